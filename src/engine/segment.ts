import { existsSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { allRows, RecordBatch } from '../core/batch.js';
import { asBatchProcessor, type BatchProcessor } from '../core/processor.js';
import type { ColumnSpec, DataRecord, ExcludedRecord, Exclusion, Value } from '../core/record.js';
import type { GlobalObserver, TaskInfo } from '../core/stage.js';
import type { RecordWriter, WrittenFile } from '../io/types.js';
import { openExcludedWriter, openShardWriter } from './io.js';
import { stageKey, type Segment } from './plan.js';
import type { ProgressSlots } from './progress-slots.js';
import { outputColumns, segmentColumns } from './schema.js';
import { segmentSource, type SourceChunk } from './segment-source.js';
import { countSizes, emptyStageStats, type StageStats } from './stats.js';
import type { TaskContext } from './task.js';

/** A stage that processes records in a segment: a map stage or a global stage's applier. */
interface Processor {
  key: string;
  run: BatchProcessor;
  close?(): Promise<void>;
  counters?(): Record<string, number>;
  rewritesContent: boolean;
  stats: StageStats;
}

export interface SegmentResult {
  stages: Record<string, StageStats>;
  written: number;
  outputs: WrittenFile[];
}

/**
 * Reasons a reader gives when it could not read on: in a file of records the records after
 * that point are lost in a number nobody knows. Counted apart so totals never look complete
 * when they are not. (In a directory input an unreadable file is exactly one record.)
 */
const DAMAGE_REASONS = new Set(['truncated', 'corrupt', 'unreadable']);

async function openProcessors(ctx: TaskContext, segment: Segment, info: TaskInfo): Promise<{ processors: Processor[]; observer?: GlobalObserver }> {
  const { pipeline, layout } = ctx;
  const content = pipeline.env.contentColumn;
  const processors: Processor[] = [];
  if (segment.applies) {
    const g = segment.applies.definition.create(segment.applies.params, pipeline.env);
    const applier = await g.applier({ ...info, stageDir: layout.stageDir(segment.applies.index, segment.applies.name) });
    const key = stageKey(segment.applies);
    processors.push({ key, run: asBatchProcessor(applier, []), counters: applier.counters?.bind(applier), close: applier.finish?.bind(applier), rewritesContent: false, stats: emptyStageStats(key) });
  }
  for (const resolved of segment.maps) {
    const stage = resolved.definition.create(resolved.params, pipeline.env);
    await stage.open?.({ ...info, stageDir: layout.stageDir(resolved.index, resolved.name) });
    const key = stageKey(resolved);
    const writes = stage.columns.map((c) => c.name);
    processors.push({
      key,
      run: asBatchProcessor(stage, writes),
      counters: stage.counters?.bind(stage),
      close: stage.close?.bind(stage),
      rewritesContent: writes.includes(content),
      stats: emptyStageStats(key),
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

function addExclusion(s: StageStats, reason: string): void {
  s.excluded[reason] = (s.excluded[reason] ?? 0) + 1;
}

/** The excluded-records rows of `removed`, as one batch in EXCLUDED_COLUMNS' shape: one writer call, not one per row. */
function excludedBatch(batch: RecordBatch, removed: { row: number; why: Exclusion }[], stage: string, bytes: Float64Array): RecordBatch {
  const ids = batch.column('id');
  const sources = batch.column('source');
  const sourceRows = batch.column('source_row');
  const columns: Record<string, (row: number, why: Exclusion) => Value> = {
    id: (row) => String(ids?.[row] ?? ''),
    source: (row) => String(sources?.[row] ?? ''),
    source_row: (row) => (typeof sourceRows?.[row] === 'number' ? sourceRows[row] : null),
    stage: () => stage,
    reason: (_, why) => why.reason,
    detail: (_, why) => why.detail ?? null,
    bytes: (row) => bytes[row],
  };
  const out = new RecordBatch(removed.length);
  for (const [name, value] of Object.entries(columns))
    out.setColumn(
      name,
      removed.map(({ row, why }) => value(row, why)),
    );
  return out;
}

/** UTF-8 bytes of each row's content: measured once per batch, again only after a stage rewrites it. */
function contentBytes(batch: RecordBatch, content: string, rows: Int32Array, into?: Float64Array): Float64Array {
  const out = into ?? new Float64Array(batch.length);
  batch.byteLengths(content, rows, out);
  return out;
}

function sumAt(bytes: Float64Array, rows: Int32Array): number {
  let s = 0;
  for (let k = 0; k < rows.length; k++) s += bytes[rows[k]];
  return s;
}

/** The task's whole-segment state: counters, the open writers, what was written. */
class SegmentRun {
  readonly read = emptyStageStats('read');
  readonly write = emptyStageStats('write');
  seen = 0;
  bytesSeen = 0;
  written = 0;

  constructor(
    private readonly ctx: TaskContext,
    private readonly segment: Segment,
    private readonly last: boolean,
    private readonly processors: Processor[],
    private readonly observer: GlobalObserver | undefined,
    private readonly out: SegmentOutputs,
  ) {}

  /**
   * Count a read-time exclusion; in a file of records (JSONL, Parquet, JSON) damage that ends
   * the file early is counted apart as well.
   */
  async readExclusions(excluded: ExcludedRecord[]): Promise<void> {
    const recordFiles = this.ctx.pipeline.spec.input.type !== 'directory';
    for (const e of excluded) {
      this.read.records_in += 1;
      this.read.bytes_in += e.bytes;
      addExclusion(this.read, e.reason);
      if (recordFiles && DAMAGE_REASONS.has(e.reason)) this.read.counters.damaged_inputs = (this.read.counters.damaged_inputs ?? 0) + 1;
      this.bytesSeen += e.bytes;
      if (this.out.excludedWriter) await this.out.excludedWriter.write({ ...e, stage: 'read' } as unknown as DataRecord);
    }
    this.seen += excluded.length;
  }

  /** One batch through every processor, then observed and written. */
  async batch(batch: RecordBatch): Promise<void> {
    const content = this.ctx.pipeline.env.contentColumn;
    let rows = allRows(batch.length);
    const bytes = contentBytes(batch, content, rows);
    const total = sumAt(bytes, rows);
    if (this.segment.index === 0) countThrough(this.read, rows.length, total);
    this.seen += rows.length;
    this.bytesSeen += total;
    for (const p of this.processors) rows = await this.runProcessor(p, batch, rows, bytes);
    if (this.observer?.observeBatch) this.observer.observeBatch(batch, rows);
    else if (this.observer?.observe) for (let k = 0; k < rows.length; k++) this.observer.observe(batch.record(rows[k]));
    const t0 = performance.now();
    if (this.out.writer.writeBatch) await this.out.writer.writeBatch(batch, rows);
    else for (let k = 0; k < rows.length; k++) await this.out.writer.write(batch.record(rows[k]));
    this.write.ms += performance.now() - t0;
    if (this.last) {
      countThrough(this.write, rows.length, sumAt(bytes, rows));
      countSizes(this.write, bytes, rows, (row) => batch.hasString(content, row));
    }
    this.written += rows.length;
    batch.release(); // written: the reader may refill its buffers
  }

  private async runProcessor(p: Processor, batch: RecordBatch, rows: Int32Array, bytes: Float64Array): Promise<Int32Array> {
    const s = p.stats;
    s.records_in += rows.length;
    s.bytes_in += sumAt(bytes, rows);
    const removed: { row: number; why: Exclusion }[] = [];
    const t0 = performance.now();
    const pending = p.run(batch, rows, (row, why) => removed.push({ row, why }));
    if (pending) await pending;
    s.ms += performance.now() - t0;
    if (removed.length > 0) {
      const gone = new Set<number>();
      for (const { row, why } of removed) {
        gone.add(row);
        addExclusion(s, why.reason);
      }
      const excluded = this.out.excludedWriter;
      if (excluded?.writeBatch) await excluded.writeBatch(excludedBatch(batch, removed, p.key, bytes));
      else if (excluded) {
        const rowsOut = excludedBatch(batch, removed, p.key, bytes);
        for (let i = 0; i < rowsOut.length; i++) await excluded.write(rowsOut.record(i));
      }
      rows = rows.filter((r) => !gone.has(r));
    }
    if (p.rewritesContent) contentBytes(batch, this.ctx.pipeline.env.contentColumn, rows, bytes);
    s.records_out += rows.length;
    s.bytes_out += sumAt(bytes, rows);
    return rows;
  }
}

function countThrough(s: StageStats, records: number, bytes: number): void {
  s.records_in += records;
  s.records_out += records;
  s.bytes_in += bytes;
  s.bytes_out += bytes;
}

/** One task of a segment: read, run the fused stages, observe for the next barrier, write. */
export async function runSegment(ctx: TaskContext, segment: Segment, last: boolean, info: TaskInfo, progress?: ProgressSlots): Promise<SegmentResult> {
  const { processors, observer } = await openProcessors(ctx, segment, info);
  const out = openOutputs(ctx, segment, last, info.rank);
  const run = new SegmentRun(ctx, segment, last, processors, observer, out);
  const outputs: WrittenFile[] = [];
  try {
    const source = segmentSource(ctx, segment, info.rank)[Symbol.asyncIterator]();
    for (;;) {
      const t0 = performance.now();
      const next: IteratorResult<SourceChunk> = await source.next();
      run.read.ms += performance.now() - t0;
      if (next.done) break;
      await run.readExclusions(next.value.excluded);
      if (next.value.batch) await run.batch(next.value.batch);
      progress?.set(info.rank, run.seen, run.bytesSeen);
    }
    for (const p of processors) await p.close?.();
    await observer?.finish();
    const t0 = performance.now();
    outputs.push(...(await out.writer.close()));
    outputs.push(...((await out.excludedWriter?.close()) ?? []));
    run.write.ms += performance.now() - t0;
  } catch (err) {
    await out.writer.abort();
    await out.excludedWriter?.abort();
    throw err;
  }
  const stages: Record<string, StageStats> = {};
  if (segment.index === 0) stages.read = run.read;
  for (const p of processors) {
    if (p.counters) p.stats.counters = p.counters();
    stages[p.key] = p.stats;
  }
  if (last) stages.write = run.write;
  return { stages, written: run.written, outputs };
}
