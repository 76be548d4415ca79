import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { InputError, ThresherError } from '../core/errors.js';
import type { ColumnSpec, DataRecord, ExcludedRecord } from '../core/record.js';
import type { GlobalApplier, GlobalObserver, StageResult, TaskInfo } from '../core/stage.js';
import type { InputFile, ReadItem, RecordWriter, WrittenFile } from '../io/types.js';
import { checkFilesUnchanged, followsLinks } from './input-check.js';
import { createTaskReader, openExcludedWriter, openShardWriter } from './io.js';
import { readMarker } from './markers.js';
import { stageKey, type Segment } from './plan.js';
import type { ProgressSlots } from './progress-slots.js';
import { outputColumns, segmentColumns } from './schema.js';
import { readShards } from './shard-reader.js';
import { emptyStageStats, type StageStats } from './stats.js';
import type { TaskContext } from './task.js';

/** A stage that processes records in a segment: a map stage or a global stage's applier. */
interface Processor {
  key: string;
  close?(): Promise<void>;
  process(record: DataRecord): StageResult;
  counters?(): Record<string, number>;
  rewritesContent: boolean;
  stats: StageStats;
}

export interface SegmentResult {
  stages: Record<string, StageStats>;
  written: number;
  outputs: WrittenFile[];
}

const PROGRESS_EVERY = 256;

/**
 * Reasons a reader gives when it could not read on: the records after that point are lost in
 * a number nobody knows. Counted apart so totals never look complete when they are not.
 */
const DAMAGE_REASONS = new Set(['truncated', 'corrupt', 'unreadable']);

function byteLength(value: unknown): number {
  return typeof value === 'string' ? Buffer.byteLength(value, 'utf8') : 0;
}

async function openProcessors(ctx: TaskContext, segment: Segment, info: TaskInfo): Promise<{ processors: Processor[]; observer?: GlobalObserver }> {
  const { pipeline, layout } = ctx;
  const content = pipeline.env.contentColumn;
  const processors: Processor[] = [];
  if (segment.applies) {
    const g = segment.applies.definition.create(segment.applies.params, pipeline.env);
    const applier: GlobalApplier = await g.applier({ ...info, stageDir: layout.stageDir(segment.applies.index, segment.applies.name) });
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
    const stage = resolved.definition.create(resolved.params, pipeline.env);
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
    const g = segment.observes.definition.create(segment.observes.params, pipeline.env);
    observer = await g.observer({ ...info, stageDir: layout.stageDir(segment.observes.index, segment.observes.name) });
  }
  return { processors, observer };
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

/** The task's input files are checked against the plan before the first record and after the last. */
async function* readInput(ctx: TaskContext, rank: number): AsyncGenerator<ReadItem> {
  const reader = await createTaskReader(ctx.pipeline, ctx.run.input_columns);
  const files = JSON.parse(readFileSync(ctx.layout.inputsFile, 'utf8')) as InputFile[];
  const slices = reader.slices(files, rank, ctx.run.world_size);
  const mine = new Set(slices.map((s) => s.file));
  const follow = followsLinks(ctx.pipeline);
  checkFilesUnchanged(mine, follow);
  yield* withFullPaths(reader.read(slices, ctx.pipeline.spec.on_bad_input), files);
  checkFilesUnchanged(mine, follow);
}

/**
 * What segment k > 0 reads: the shards segment k-1's marker for this rank names, and no other
 * file in that folder. A named shard that is gone is an error, never an empty input.
 */
async function* readPreviousSegment(ctx: TaskContext, segment: Segment, rank: number): AsyncGenerator<ReadItem> {
  const before = `segment-${segment.index - 1}`;
  const marker = readMarker(ctx.layout, before, rank);
  if (!marker) throw new ThresherError(`${ctx.layout.marker(before, rank)}: task ${before}/${rank} is not complete; its output is this task's input`);
  const dataDir = ctx.layout.segmentDataDir(segment.index - 1);
  const files = marker.outputs.map((o) => path.join(ctx.layout.workDir, o.path)).filter((f) => path.dirname(f) === dataDir);
  for (const f of files) if (!existsSync(f)) throw new ThresherError(`${f}: output of ${before}/${rank} is missing (rerun that task with \`thresher task --force\`, or the run with --fresh)`);
  for await (const record of readShards(files)) yield { record };
}

function segmentSource(ctx: TaskContext, segment: Segment, rank: number): AsyncIterable<ReadItem> {
  return segment.index === 0 ? readInput(ctx, rank) : readPreviousSegment(ctx, segment, rank);
}

function addExclusion(s: StageStats, reason: string): void {
  s.excluded[reason] = (s.excluded[reason] ?? 0) + 1;
}

function toExcludedRow(record: DataRecord, stage: string, result: { reason: string; detail?: string }, bytes: number): DataRecord {
  const row: ExcludedRecord = { id: record.id, source: String(record.source ?? ''), source_row: (record.source_row as number | null) ?? null, stage, reason: result.reason, detail: result.detail, bytes };
  return row as unknown as DataRecord;
}

/**
 * Count a read-time exclusion. In a file of records (JSONL, Parquet, JSON), damage ends the
 * file early and an unknown number of records after it is lost: counted apart as well. In a
 * directory input an unreadable file is exactly one record, fully accounted for.
 */
function countReadExclusion(read: StageStats, e: ExcludedRecord, recordFiles: boolean): void {
  read.records_in += 1;
  read.bytes_in += e.bytes;
  addExclusion(read, e.reason);
  if (recordFiles && DAMAGE_REASONS.has(e.reason)) read.counters.damaged_inputs = (read.counters.damaged_inputs ?? 0) + 1;
}

interface SegmentOutputs {
  writer: RecordWriter;
  excludedWriter?: RecordWriter;
}

function openOutputs(ctx: TaskContext, segment: Segment, last: boolean, rank: number): SegmentOutputs {
  const { pipeline, layout } = ctx;
  const dataDir = last ? layout.outputDataDir : layout.segmentDataDir(segment.index);
  const excludedDir = layout.segmentExcludedDir(segment.index);
  clearRankOutputs(dataDir, rank);
  clearRankOutputs(excludedDir, rank);
  const columns: ColumnSpec[] = last ? outputColumns(pipeline, ctx.run.input_columns) : segmentColumns(pipeline, ctx.run.input_columns, segment.index);
  return {
    writer: openShardWriter(pipeline, columns, dataDir, rank, last),
    excludedWriter: pipeline.spec.output.excluded ? openExcludedWriter(excludedDir, rank) : undefined,
  };
}

/** Runs one record through the processors; the exclusion that stopped it, if any. */
function processRecord(record: DataRecord, processors: Processor[], content: string, bytesIn: number): { bytes: number; excludedBy?: { p: Processor; result: NonNullable<StageResult> } } {
  let bytes = bytesIn;
  for (const p of processors) {
    const s = p.stats;
    s.records_in += 1;
    s.bytes_in += bytes;
    const t0 = performance.now();
    const result = p.process(record);
    s.ms += performance.now() - t0;
    if (result) {
      addExclusion(s, result.reason);
      return { bytes, excludedBy: { p, result } };
    }
    if (p.rewritesContent) bytes = byteLength(record[content]);
    s.records_out += 1;
    s.bytes_out += bytes;
  }
  return { bytes };
}

function countThrough(s: StageStats, bytes: number): void {
  s.records_in += 1;
  s.records_out += 1;
  s.bytes_in += bytes;
  s.bytes_out += bytes;
}

/** One task of a segment: read, run the fused stages, observe for the next barrier, write. */
export async function runSegment(ctx: TaskContext, segment: Segment, last: boolean, info: TaskInfo, progress?: ProgressSlots): Promise<SegmentResult> {
  const content = ctx.pipeline.env.contentColumn;
  const recordFiles = ctx.pipeline.spec.input.type !== 'directory';
  const { processors, observer } = await openProcessors(ctx, segment, info);
  const { writer, excludedWriter } = openOutputs(ctx, segment, last, info.rank);
  const read = emptyStageStats('read');
  const write = emptyStageStats('write');
  let seen = 0;
  let bytesSeen = 0;
  let written = 0;
  const outputs: WrittenFile[] = [];
  try {
    for await (const item of segmentSource(ctx, segment, info.rank)) {
      if (item.excluded) {
        countReadExclusion(read, item.excluded, recordFiles);
        if (excludedWriter) await excludedWriter.write({ ...item.excluded, stage: 'read' } as unknown as DataRecord);
        bytesSeen += item.excluded.bytes;
      } else {
        const record = item.record;
        const bytesIn = byteLength(record[content]);
        if (segment.index === 0) countThrough(read, bytesIn);
        bytesSeen += bytesIn;
        const { bytes, excludedBy } = processRecord(record, processors, content, bytesIn);
        if (excludedBy) {
          if (excludedWriter) await excludedWriter.write(toExcludedRow(record, excludedBy.p.key, excludedBy.result, bytes));
        } else {
          observer?.observe(record);
          if (last) countThrough(write, bytes);
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
  const stages: Record<string, StageStats> = {};
  if (segment.index === 0) stages.read = read;
  for (const p of processors) {
    if (p.counters) p.stats.counters = p.counters();
    stages[p.key] = p.stats;
  }
  if (last) stages.write = write;
  return { stages, written, outputs };
}
