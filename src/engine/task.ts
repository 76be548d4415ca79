import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { InputError, ThresherError } from '../core/errors.js';
import { writeFileAtomic } from '../core/fs.js';
import type { ColumnSpec, DataRecord, ExcludedRecord } from '../core/record.js';
import type { GlobalApplier, GlobalObserver, GlobalStage, GlobalTaskInfo, MapStage, StageResult, TaskInfo } from '../core/stage.js';
import type { InputFile, ReadItem, RecordWriter, WrittenFile } from '../io/types.js';
import type { LoadedPipeline, ResolvedStage } from '../pipeline/load.js';
import { createTaskReader, openExcludedWriter, openShardWriter } from './io.js';
import { RunLayout } from './layout.js';
import { planSteps, stageKey, type Segment, type Step } from './plan.js';
import { ProgressSlots } from './progress-slots.js';
import { readRunState, type RunState } from './run-state.js';
import { emptyStageStats, type StageStats, type TaskStats } from './stats.js';
import { readShards } from './shard-reader.js';
import { outputColumns, segmentColumns } from './schema.js';

export interface TaskContext {
  pipeline: LoadedPipeline;
  layout: RunLayout;
  run: RunState;
  steps: Step[];
}

/** A stage that processes records in a segment: a map stage or a global stage's applier. */
interface Processor {
  key: string;
  close?(): Promise<void>;
  process(record: DataRecord): StageResult;
  counters?(): Record<string, number>;
  rewritesContent: boolean;
  stats: StageStats;
}

const PROGRESS_EVERY = 256;

function byteLength(value: unknown): number {
  return typeof value === 'string' ? Buffer.byteLength(value, 'utf8') : 0;
}

export function loadTaskContext(pipeline: LoadedPipeline, outputRoot: string): TaskContext {
  const layout = new RunLayout(outputRoot);
  const run = readRunState(layout);
  if (run.pipeline_sha256 !== pipeline.sha256) {
    throw new ThresherError(`${pipeline.file}: the pipeline changed since this run was planned in ${layout.workDir} (run it with --fresh to start over)`);
  }
  return { pipeline, layout, run, steps: planSteps(pipeline) };
}

export function isTaskDone(ctx: TaskContext, step: string, rank: number): boolean {
  return existsSync(ctx.layout.marker(step, rank));
}

export function readTaskStats(ctx: TaskContext, step: string, rank: number): TaskStats {
  return JSON.parse(readFileSync(ctx.layout.marker(step, rank), 'utf8')) as TaskStats;
}

/**
 * Runs one task. Idempotent: it first removes whatever an earlier, killed attempt of the same
 * task left, writes every output under a temporary name and renames it, and writes its
 * completion marker last. It shares nothing with other tasks but files.
 */
export async function runTask(ctx: TaskContext, stepName: string, rank: number, progress?: ProgressSlots): Promise<TaskStats> {
  const step = ctx.steps.find((s) => s.name === stepName);
  if (!step) throw new ThresherError(`unknown step ${JSON.stringify(stepName)} (steps: ${ctx.steps.map((s) => s.name).join(', ')})`);
  const worldSize = ctx.run.world_size;
  if (!Number.isInteger(rank) || rank < 0 || rank >= worldSize) throw new ThresherError(`rank ${rank} is outside 0..${worldSize - 1}`);
  const started = performance.now();
  const info: TaskInfo = { step: stepName, rank, worldSize, seed: ctx.run.seed };
  const { stages, written, outputs } =
    step.kind === 'segment' ? await runSegment(ctx, step.segment, step.last, info, progress) : { stages: await runReduce(ctx, step.stage, info), written: 0, outputs: [] };
  const relative = outputs.map((f) => ({ path: path.relative(ctx.layout.workDir, f.path), rows: f.rows }));
  const stats: TaskStats = { step: stepName, rank, ms: Math.round(performance.now() - started), records_written: written, outputs: relative, stages };
  writeFileAtomic(ctx.layout.marker(stepName, rank), JSON.stringify(stats, null, 1));
  return stats;
}

function globalInfo(ctx: TaskContext, stage: ResolvedStage, info: TaskInfo): GlobalTaskInfo {
  return { ...info, stageDir: ctx.layout.stageDir(stage.index, stage.name) };
}

async function runReduce(ctx: TaskContext, resolved: ResolvedStage, info: TaskInfo): Promise<Record<string, StageStats>> {
  const stage = resolved.definition.create(resolved.params, ctx.pipeline.env) as GlobalStage;
  const t0 = performance.now();
  const counters = await stage.reduce(globalInfo(ctx, resolved, info));
  const stats = emptyStageStats(stageKey(resolved));
  stats.counters = counters;
  stats.ms = performance.now() - t0;
  return { [stats.stage]: stats };
}

/** Remove the outputs an earlier attempt of this (segment, rank) may have left. */
function clearRankOutputs(dir: string, rank: number): void {
  if (!existsSync(dir)) return;
  const mine = new RegExp(`^\\.?[a-z]+-${String(rank).padStart(5, '0')}-`);
  for (const name of readdirSync(dir)) if (mine.test(name)) rmSync(path.join(dir, name), { force: true });
}

/**
 * Readers name files by their source name (relative to the input root, as provenance
 * keeps them); an error that stops the run names the path the user can open.
 */
async function* withFullPaths(items: AsyncIterable<ReadItem>, files: InputFile[]): AsyncGenerator<ReadItem> {
  try {
    yield* items;
  } catch (err) {
    const file = err instanceof InputError ? files.find((f) => f.path === err.file) : undefined;
    if (!file || !(err instanceof InputError)) throw err;
    throw new InputError(file.absPath, err.problem, { row: err.row, record: err.record });
  }
}

async function segmentSource(ctx: TaskContext, segment: Segment, rank: number): Promise<AsyncIterable<ReadItem>> {
  if (segment.index === 0) {
    const reader = await createTaskReader(ctx.pipeline, ctx.run.input_columns);
    const files = JSON.parse(readFileSync(ctx.layout.inputsFile, 'utf8')) as InputFile[];
    return withFullPaths(reader.read(reader.slices(files, rank, ctx.run.world_size), ctx.pipeline.spec.on_bad_input), files);
  }
  const dir = ctx.layout.segmentDataDir(segment.index - 1);
  const prefix = `part-${String(rank).padStart(5, '0')}-`;
  const files = existsSync(dir) ? readdirSync(dir).filter((n) => n.startsWith(prefix)).sort().map((n) => path.join(dir, n)) : [];
  return (async function* () {
    for await (const record of readShards(files)) yield { record };
  })();
}

async function runSegment(ctx: TaskContext, segment: Segment, last: boolean, info: TaskInfo, progress?: ProgressSlots): Promise<{ stages: Record<string, StageStats>; written: number; outputs: WrittenFile[] }> {
  const { pipeline, layout } = ctx;
  const content = pipeline.env.contentColumn;
  const processors: Processor[] = [];
  if (segment.applies) {
    const g = segment.applies.definition.create(segment.applies.params, pipeline.env) as GlobalStage;
    const applier: GlobalApplier = await g.applier(globalInfo(ctx, segment.applies, info));
    processors.push({
      key: stageKey(segment.applies),
      process: (r) => applier.process(r),
      counters: applier.counters?.bind(applier),
      close: applier.finish?.bind(applier),
      rewritesContent: false,
      stats: emptyStageStats(stageKey(segment.applies)),
    });
  }
  for (const resolved of segment.maps) {
    const stage = resolved.definition.create(resolved.params, pipeline.env) as MapStage;
    await stage.open?.(info);
    processors.push({
      key: stageKey(resolved),
      process: (r) => stage.process(r),
      counters: stage.counters?.bind(stage),
      close: stage.close?.bind(stage),
      rewritesContent: stage.columns.some((c) => c.name === content),
      stats: emptyStageStats(stageKey(resolved)),
    });
  }
  let observer: GlobalObserver | undefined;
  if (segment.observes) {
    const g = segment.observes.definition.create(segment.observes.params, pipeline.env) as GlobalStage;
    observer = await g.observer(globalInfo(ctx, segment.observes, info));
  }

  const dataDir = last ? path.join(layout.workDir, 'output', 'data') : layout.segmentDataDir(segment.index);
  const excludedDir = layout.segmentExcludedDir(segment.index);
  clearRankOutputs(dataDir, info.rank);
  clearRankOutputs(excludedDir, info.rank);
  const columns: ColumnSpec[] = last ? outputColumns(pipeline, ctx.run.input_columns) : segmentColumns(pipeline, ctx.run.input_columns, segment.index);
  const writer: RecordWriter = openShardWriter(pipeline, columns, dataDir, info.rank, last);
  const excludedWriter: RecordWriter | undefined = pipeline.spec.output.excluded ? openExcludedWriter(excludedDir, info.rank) : undefined;

  const read = emptyStageStats('read');
  const write = emptyStageStats('write');
  const excludeRecord = async (record: DataRecord, stage: string, result: { reason: string; detail?: string }, bytes: number) => {
    if (!excludedWriter) return;
    const row: ExcludedRecord = { id: record.id, source: String(record.source ?? ''), source_row: (record.source_row as number | null) ?? null, stage, reason: result.reason, detail: result.detail, bytes };
    await excludedWriter.write(row as unknown as DataRecord);
  };

  let seen = 0;
  let bytesSeen = 0;
  let written = 0;
  const outputs: WrittenFile[] = [];
  try {
    for await (const item of await segmentSource(ctx, segment, info.rank)) {
      if (item.excluded) {
        const e = item.excluded;
        read.records_in += 1;
        read.bytes_in += e.bytes;
        read.excluded[e.reason] = (read.excluded[e.reason] ?? 0) + 1;
        if (excludedWriter) await excludedWriter.write({ ...e, stage: 'read' } as unknown as DataRecord);
        bytesSeen += e.bytes;
      } else {
        const record = item.record;
        let bytes = byteLength(record[content]);
        if (segment.index === 0) {
          read.records_in += 1;
          read.records_out += 1;
          read.bytes_in += bytes;
          read.bytes_out += bytes;
        }
        bytesSeen += bytes;
        let kept = true;
        for (const p of processors) {
          const s = p.stats;
          s.records_in += 1;
          s.bytes_in += bytes;
          const t0 = performance.now();
          const result = p.process(record);
          s.ms += performance.now() - t0;
          if (result) {
            s.excluded[result.reason] = (s.excluded[result.reason] ?? 0) + 1;
            await excludeRecord(record, p.key, result, bytes);
            kept = false;
            break;
          }
          if (p.rewritesContent) bytes = byteLength(record[content]);
          s.records_out += 1;
          s.bytes_out += bytes;
        }
        if (kept) {
          observer?.observe(record);
          if (last) {
            write.records_in += 1;
            write.records_out += 1;
            write.bytes_in += bytes;
            write.bytes_out += bytes;
          }
          await writer.write(record);
          written += 1;
        }
      }
      if (++seen % PROGRESS_EVERY === 0) progress?.set(info.rank, seen, bytesSeen);
    }
    for (const p of processors) await p.close?.();
    await observer?.finish();
    outputs.push(...(await writer.close()));
    outputs.push(...((await excludedWriter?.close()) ?? []));
  } catch (err) {
    await writer.abort();
    await excludedWriter?.abort();
    throw err;
  }
  progress?.set(info.rank, seen, bytesSeen);

  const out: Record<string, StageStats> = {};
  if (segment.index === 0) out.read = read;
  for (const p of processors) {
    if (p.counters) p.stats.counters = p.counters();
    out[p.key] = p.stats;
  }
  if (last) out.write = write;
  return { stages: out, written, outputs };
}

