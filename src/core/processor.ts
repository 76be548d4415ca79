import { BatchBuilder, RecordBatch } from './batch.js';
import type { DataRecord, Exclusion } from './record.js';
import type { ExcludeRow, RecordProcessor } from './stage.js';

/** A record processor in the batch form, whichever form it was written in. */
export type BatchProcessor = (batch: RecordBatch, rows: Int32Array, exclude: ExcludeRow) => void | Promise<void>;

/**
 * The per-record form runs over a batch by building each alive row as an object and copying
 * back the columns the stage may write (`writes`): the price of the simple form.
 */
export function asBatchProcessor(p: RecordProcessor, writes: readonly string[]): BatchProcessor {
  if (p.processBatch) return p.processBatch.bind(p);
  const process = p.process?.bind(p);
  if (!process) throw new Error('a stage must give process or processBatch');
  return (batch, rows, exclude) => {
    for (let k = 0; k < rows.length; k++) {
      const i = rows[k];
      const record = batch.record(i);
      const result = process(record);
      if (result) exclude(i, result);
      else batch.absorb(i, record, writes);
    }
  };
}

/** One record through a processor of either form (tests, small tools): the exclusion, if any. */
export function processOne(p: RecordProcessor, record: DataRecord, writes: readonly string[] = []): Exclusion | undefined {
  if (p.process) return p.process(record);
  const builder = new BatchBuilder(Object.keys(record), 1);
  builder.add(record);
  const batch = builder.take();
  let excluded: Exclusion | undefined;
  p.processBatch!(batch, Int32Array.of(0), (_row, why) => (excluded = why));
  for (const name of new Set([...writes, ...batch.names()])) record[name] = batch.column(name)?.[0] ?? null;
  return excluded;
}
