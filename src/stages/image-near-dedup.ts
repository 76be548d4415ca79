import path from 'node:path';
import { z } from 'zod';
import { batchPosition } from '../core/batch.js';
import { bucketOf } from '../core/bucket.js';
import { ExchangeWriter, readExchange } from '../core/exchange.js';
import type { Value } from '../core/record.js';
import { defineStage, type GlobalApplier, type GlobalObserver, type GlobalStage, type GlobalTaskInfo, type ReduceStep } from '../core/stage.js';
import { DuplicateResolver, type DedupEntry } from '../dedup/exact.js';
import { priorityColumns } from '../dedup/priority.js';
import { loadRemovals, removalApplier } from '../dedup/removals.js';
import { bandKeys, bandRanges, closePairs, Components } from '../images/near.js';

/**
 * `image_near_dedup`: near-duplicate images by pHash (the `phash` column `download` writes),
 * within `threshold` bits. Observe: each record to the rank of each of its band keys
 * (images/near.ts: exact candidates by the pigeonhole principle). Reduce `pairs`: per band
 * bucket, the pairs within the threshold, sent to rank 0. Reduce `decide` (rank 0): connected
 * components of the pairs, one record kept per component by `priority` (then id), each
 * removal addressed to the rank that holds it. Rank 0's memory is the records that have a near
 * duplicate, not the pool. Apply: reason `near_duplicate_image`, detail the kept id.
 */
const params = z.strictObject({
  column: z.string().min(1).default('phash'),
  /** Hamming distance (bits of 64) at or below which two images are near duplicates. */
  threshold: z.number().int().min(0).max(16).default(4),
  /** Which copy to keep: e.g. ['-original_width'] keeps the widest. Ties: id. */
  priority: z.array(z.string().min(1)).default([]),
});
type Params = z.infer<typeof params>;

/** What travels: [phash, priority values, id, rank, position]. */
type Member = [string, Value[], string, number, string];

class ImageNearDedupStage implements GlobalStage {
  readonly kind = 'global' as const;
  readonly columns = [];
  readonly reduceSteps: readonly ReduceStep[];

  constructor(private readonly p: Params) {
    this.reduceSteps = [
      { name: 'pairs', run: (t) => this.pairs(t) },
      { name: 'decide', run: (t) => this.decide(t) },
    ];
  }

  async observer(task: GlobalTaskInfo): Promise<GlobalObserver> {
    const out = new ExchangeWriter(path.join(task.stageDir, 'bands'), task.rank, task.worldSize);
    const ranges = bandRanges(this.p.threshold);
    const cols = priorityColumns(this.p.priority);
    return {
      observeBatch: (batch, rows) => {
        const hashes = batch.column(this.p.column);
        const ids = batch.column('id');
        const prio = cols.map((c) => batch.column(c));
        for (let k = 0; k < rows.length; k++) {
          const i = rows[k];
          const h = hashes?.[i];
          if (typeof h !== 'string' || !/^[0-9a-f]{16}$/.test(h)) continue; // no hash: never a near duplicate
          const member: Member = [h, prio.map((c) => c?.[i] ?? null), String(ids?.[i]), task.rank, batchPosition(batch, i)];
          const line = JSON.stringify(member);
          for (const key of bandKeys(h, ranges)) out.push(bucketOf(key, task.worldSize), `${JSON.stringify(key)}\t${line}`);
        }
      },
      finish: async () => out.publish(),
    };
  }

  private async pairs(task: GlobalTaskInfo): Promise<Record<string, number>> {
    const buckets = new Map<string, Member[]>();
    for (const line of readExchange(path.join(task.stageDir, 'bands'), task.rank)) {
      const tab = line.indexOf('\t');
      const key = JSON.parse(line.slice(0, tab)) as string;
      let list = buckets.get(key);
      if (!list) buckets.set(key, (list = []));
      list.push(JSON.parse(line.slice(tab + 1)) as Member);
    }
    const out = new ExchangeWriter(path.join(task.stageDir, 'pairs'), task.rank, task.worldSize);
    let candidates = 0;
    let pairs = 0;
    for (const members of buckets.values()) {
      candidates += (members.length * (members.length - 1)) / 2;
      for (const [a, b] of closePairs(
        members.map((m) => m[0]),
        this.p.threshold,
      )) {
        out.push(0, JSON.stringify([members[a], members[b]]));
        pairs++;
      }
    }
    out.publish();
    return { candidate_pairs: candidates, close_pairs: pairs };
  }

  private async decide(task: GlobalTaskInfo): Promise<Record<string, number>> {
    const out = new ExchangeWriter(path.join(task.stageDir, 'decisions'), task.rank, task.worldSize);
    if (task.rank !== 0) {
      out.publish();
      return {};
    }
    const components = new Components();
    const members = new Map<string, Member>(); // position → member
    for (const line of readExchange(path.join(task.stageDir, 'pairs'), 0)) {
      const [a, b] = JSON.parse(line) as [Member, Member];
      members.set(a[4], a);
      members.set(b[4], b);
      components.union(a[4], b[4]);
    }
    // The same pair may come from several bands: the components do not care.
    const resolver = new DuplicateResolver(this.p.priority);
    for (const position of [...members.keys()].sort()) {
      const m = members.get(position)!;
      resolver.add([components.find(position), m[1], m[2], m[3], m[4]] as DedupEntry);
    }
    for (const { removed, keptId } of resolver.removals()) out.push(removed[3], JSON.stringify([removed[4], keptId]));
    out.publish();
    const c = resolver.counters();
    return { near_duplicate_images: c.duplicates, near_duplicate_groups: c.duplicate_groups };
  }

  async applier(task: GlobalTaskInfo): Promise<GlobalApplier> {
    return removalApplier(loadRemovals(path.join(task.stageDir, 'decisions'), task.rank), 'near_duplicate_image');
  }
}

export const imageNearDedupStage = defineStage<Params>({
  name: 'image_near_dedup',
  description: 'Near-duplicate images by pHash within a Hamming threshold (exact candidates by band pigeonhole, components, one kept per group by priority).',
  kind: 'global',
  params,
  requires: (p) => [p.column, ...priorityColumns(p.priority)],
  create: (p) => new ImageNearDedupStage(p),
});
