import path from 'node:path';
import { z } from 'zod';
import { bucketOf } from '../core/bucket.js';
import { ExchangeWriter, readExchange } from '../core/exchange.js';
import { batchPosition } from '../core/batch.js';
import { defineStage, type GlobalApplier, type GlobalObserver, type GlobalStage, type GlobalTaskInfo } from '../core/stage.js';
import { DuplicateResolver, type DedupEntry } from '../dedup/exact.js';
import { priorityColumns } from '../dedup/priority.js';
import { loadRemovals, removalApplier } from '../dedup/removals.js';

/**
 * `dedup_exact`: exact dedup across all shards. Observe: each record's key (the content hash by
 * default) goes to reduce bucket hash(key) mod world_size. Reduce: per key, keep the record that
 * sorts first by `priority` (then id), and address each removal to the rank that holds it.
 * Apply: a rank loads only the removals addressed to it. Memory per task is bounded by its
 * bucket, not the pool.
 */
const params = z.strictObject({
  /** Column whose equal values make records duplicates. */
  key: z.string().default('content_id'),
  /** Columns that choose the copy to keep: ascending, or descending with a leading '-'. Ties: id. */
  priority: z.array(z.string().min(1)).default([]),
});
type Params = z.infer<typeof params>;

class ExactDedupStage implements GlobalStage {
  readonly kind = 'global' as const;
  readonly columns = [];

  constructor(private readonly p: Params) {}

  async observer(task: GlobalTaskInfo): Promise<GlobalObserver> {
    const out = new ExchangeWriter(path.join(task.stageDir, 'shuffle'), task.rank, task.worldSize);
    const { key } = this.p;
    const cols = priorityColumns(this.p.priority);
    return {
      observeBatch: (batch, rows) => {
        const keys = batch.column(key);
        if (!keys) return;
        const ids = batch.column('id');
        const prio = cols.map((c) => batch.column(c));
        for (let k = 0; k < rows.length; k++) {
          const i = rows[k];
          const kv = keys[i];
          if (typeof kv !== 'string' || kv === '') continue; // no key: never a duplicate
          const entry: DedupEntry = [kv, prio.map((p) => p?.[i] ?? null), String(ids?.[i]), task.rank, batchPosition(batch, i)];
          out.push(bucketOf(kv, task.worldSize), JSON.stringify(entry));
        }
      },
      finish: async () => out.publish(),
    };
  }

  async reduce(task: GlobalTaskInfo): Promise<Record<string, number>> {
    const resolver = new DuplicateResolver(this.p.priority);
    for (const line of readExchange(path.join(task.stageDir, 'shuffle'), task.rank)) resolver.add(JSON.parse(line) as DedupEntry);
    const out = new ExchangeWriter(path.join(task.stageDir, 'decisions'), task.rank, task.worldSize);
    for (const { removed, keptId } of resolver.removals()) out.push(removed[3], JSON.stringify([removed[4], keptId]));
    out.publish();
    return resolver.counters();
  }

  async applier(task: GlobalTaskInfo): Promise<GlobalApplier> {
    return removalApplier(loadRemovals(path.join(task.stageDir, 'decisions'), task.rank), 'duplicate');
  }
}

export const exactDedupStage = defineStage<Params>({
  name: 'dedup_exact',
  description: 'Exact dedup by content hash across all shards; keeps one copy per key by a configurable priority and records the kept id for each removed one.',
  kind: 'global',
  params,
  requires: (p) => [p.key, ...priorityColumns(p.priority)],
  create: (p) => new ExactDedupStage(p),
});
