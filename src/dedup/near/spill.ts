import { appendFileSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { ensureDir, removeIfExists } from '../../core/fs.js';
import { readLines } from '../../core/exchange.js';

/**
 * How a reduce round keeps to its memory budget: when its input, at the bytes per record its
 * in-memory step needs, is larger than the budget, the records are first spilled to files by a
 * hash of their key (one that routing did not use), so that every file holds whole keys and
 * fits the budget; each file is then processed alone. Grace-hash partitioning: one extra write
 * and read of the input, no sorting. A single key larger than the budget still lands whole in
 * one file (its step then exceeds the budget by that key).
 */
export interface SpillPlan {
  /** bytes the in-memory step needs per record */
  bytesPerRecord: number;
  budgetBytes: number;
  /** folder for the spill files of this task (removed before and after) */
  scratch: string;
}

/** How many partitions `records` need; 1 means no spilling. */
export function partitionsFor(records: number, plan: SpillPlan): number {
  return Math.max(1, Math.ceil((records * plan.bytesPerRecord * 1.25) / plan.budgetBytes));
}

/**
 * Numeric records of `width` float64 values from `chunks` (`records` of them in all), yielded
 * as partitions held whole in memory: one when they fit, else one per spill file. `key(chunk,
 * offset)` gives a 32-bit hash of the record at `offset`.
 */
export function* recordPartitions(
  chunks: () => Iterable<Float64Array>,
  records: number,
  width: number,
  plan: SpillPlan,
  key: (chunk: Float64Array, offset: number) => number,
): Generator<Float64Array> {
  const parts = partitionsFor(records, plan);
  if (parts === 1) {
    const all = new Float64Array(records * width);
    let at = 0;
    for (const chunk of chunks()) {
      all.set(chunk, at);
      at += chunk.length;
    }
    yield all.subarray(0, at);
    return;
  }
  removeIfExists(plan.scratch);
  ensureDir(plan.scratch);
  try {
    const files = Array.from({ length: parts }, (_, p) => path.join(plan.scratch, `part-${p}.f64`));
    const perPart = Math.max(width, Math.floor(Math.min(1 << 20, plan.budgetBytes / 4 / parts) / 8 / width) * width);
    const buffers = Array.from({ length: parts }, () => new Float64Array(perPart));
    const fill = new Int32Array(parts);
    const flush = (p: number) => {
      if (fill[p] > 0) appendFileSync(files[p], new Uint8Array(buffers[p].buffer, 0, fill[p] * 8));
      fill[p] = 0;
    };
    for (const chunk of chunks()) {
      for (let off = 0; off < chunk.length; off += width) {
        const p = key(chunk, off) % parts;
        if (fill[p] + width > perPart) flush(p);
        buffers[p].set(chunk.subarray(off, off + width), fill[p]);
        fill[p] += width;
      }
    }
    for (let p = 0; p < parts; p++) flush(p);
    buffers.length = 0;
    for (const file of files) {
      let bytes: Buffer;
      try {
        bytes = readFileSync(file);
      } catch {
        continue; // nothing hashed to this part
      }
      rmSync(file);
      yield new Float64Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 8);
    }
  } finally {
    removeIfExists(plan.scratch);
  }
}

/**
 * Lines of text (`bytes` of them in all), partitioned the same way; `plan.bytesPerRecord` is
 * then the memory per byte of input. `key`: a 32-bit hash of a line. Each partition: an array.
 */
export function* linePartitions(lines: () => Iterable<string>, bytes: number, plan: SpillPlan, key: (line: string) => number): Generator<string[]> {
  const parts = partitionsFor(bytes, plan);
  if (parts === 1) {
    yield [...lines()];
    return;
  }
  removeIfExists(plan.scratch);
  ensureDir(plan.scratch);
  try {
    const files = Array.from({ length: parts }, (_, p) => path.join(plan.scratch, `part-${p}.jsonl`));
    const pending: string[][] = Array.from({ length: parts }, () => []);
    let held = 0;
    const flushAll = () => {
      pending.forEach((list, p) => {
        if (list.length) appendFileSync(files[p], list.join('\n') + '\n');
        list.length = 0;
      });
      held = 0;
    };
    for (const line of lines()) {
      pending[key(line) % parts].push(line);
      if (++held >= 50_000) flushAll();
    }
    flushAll();
    for (const file of files) {
      const part: string[] = [];
      try {
        for (const chunk of readLines(file)) part.push(chunk);
      } catch {
        continue;
      }
      rmSync(file);
      yield part;
    }
  } finally {
    removeIfExists(plan.scratch);
  }
}
