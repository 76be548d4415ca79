import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { RecordBatch } from '../core/batch.js';
import { writeFileAtomic } from '../core/fs.js';
import { defineStage, type ExcludeRow, type GlobalApplier, type GlobalObserver, type GlobalStage, type GlobalTaskInfo } from '../core/stage.js';

/**
 * `clip_score_top`: keep the top `fraction` of the whole pool by a score column (`clip_score`
 * by default), as DataComp's CLIP-score filter does with a percentile: the threshold is numpy's
 * `percentile(scores, 100 × (1 − fraction))` (linear interpolation) over every record's score,
 * and records with a score ≥ it are kept (`clip_score_below_top`). Records without a score are
 * excluded (`no_score`). Observe: each rank writes its scores; reduce: rank 0 reads them all and
 * writes the threshold; apply: every rank compares. Scores cost 4 bytes a record.
 */
const params = z.strictObject({
  /** Fraction of the pool to keep, e.g. 0.3 (DataComp's best CLIP-score filter at medium scale). */
  fraction: z.number().gt(0).max(1),
  /** Column with the score. */
  score_column: z.string().min(1).default('clip_score'),
});
type Params = z.infer<typeof params>;

/** numpy's `percentile(values, q)` with linear interpolation, on sorted values. */
export function percentileSorted(sorted: Float32Array | Float64Array, q: number): number {
  if (sorted.length === 0) return NaN;
  const pos = (q / 100) * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

const scoresFile = (dir: string, rank: number) => path.join(dir, 'scores', `${String(rank).padStart(5, '0')}.f64`);

class ClipScoreTopStage implements GlobalStage {
  readonly kind = 'global' as const;
  readonly columns = [];

  constructor(private readonly p: Params) {}

  async observer(task: GlobalTaskInfo): Promise<GlobalObserver> {
    let scores: number[] = [];
    return {
      observeBatch: (batch: RecordBatch, rows: Int32Array) => {
        const column = batch.column(this.p.score_column);
        for (let k = 0; k < rows.length; k++) {
          const v = column?.[rows[k]];
          if (typeof v === 'number' && Number.isFinite(v)) scores.push(v);
        }
      },
      finish: async () => {
        writeFileAtomic(scoresFile(task.stageDir, task.rank), new Uint8Array(Float64Array.from(scores).buffer));
        scores = [];
      },
    };
  }

  async reduce(task: GlobalTaskInfo): Promise<Record<string, number>> {
    if (task.rank !== 0) return {};
    const dir = path.join(task.stageDir, 'scores');
    const parts = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.f64')) : [];
    const arrays = parts.map((f) => {
      const b = readFileSync(path.join(dir, f));
      return new Float64Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
    });
    const all = new Float64Array(arrays.reduce((n, a) => n + a.length, 0));
    let at = 0;
    for (const a of arrays) {
      all.set(a, at);
      at += a.length;
    }
    all.sort();
    const threshold = percentileSorted(all, 100 * (1 - this.p.fraction));
    writeFileAtomic(path.join(task.stageDir, 'threshold.json'), JSON.stringify({ threshold, scores: all.length, fraction: this.p.fraction }) + '\n');
    return { scored: all.length };
  }

  async applier(task: GlobalTaskInfo): Promise<GlobalApplier> {
    const { threshold } = JSON.parse(readFileSync(path.join(task.stageDir, 'threshold.json'), 'utf8')) as { threshold: number | null };
    const column = this.p.score_column;
    return {
      processBatch(batch: RecordBatch, rows: Int32Array, exclude: ExcludeRow) {
        const values = batch.column(column);
        for (let k = 0; k < rows.length; k++) {
          const v = values?.[rows[k]];
          if (typeof v !== 'number' || !Number.isFinite(v)) exclude(rows[k], { reason: 'no_score' });
          else if (threshold === null || v < threshold) exclude(rows[k], { reason: 'clip_score_below_top', detail: `${v.toFixed(4)} < ${threshold?.toFixed(4)}` });
        }
      },
    };
  }
}

export const clipScoreTopStage = defineStage<Params>({
  name: 'clip_score_top',
  description: "Keep the top fraction of the pool by CLIP score (DataComp's percentile threshold over all records).",
  kind: 'global',
  params,
  requires: (p) => [p.score_column],
  create: (p) => new ClipScoreTopStage(p),
});
