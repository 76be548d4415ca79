import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { bucketOf } from '../core/bucket.js';
import { batchPosition } from '../core/batch.js';
import { ExchangeWriter, readExchange } from '../core/exchange.js';
import { writeFileAtomic } from '../core/fs.js';
import type { Value } from '../core/record.js';
import { defineStage, type GlobalApplier, type GlobalObserver, type GlobalStage, type GlobalTaskInfo, type ReduceStep } from '../core/stage.js';
import { compareStrings, priorityColumns, priorityOrder } from '../dedup/priority.js';
import { loadRemovals, removalApplier } from '../dedup/removals.js';
import { dedupCluster } from '../dedup/semantic/cluster-dedup.js';
import { kmeans, nearestCentroid } from '../dedup/semantic/kmeans.js';
import { readObserved, vectorFromBase64, vectorToBase64, VectorCollector, type VectorEntry } from '../dedup/semantic/store.js';

/**
 * `semantic_dedup`: SemDeDup (Abbas et al., 2023) as NeMo Curator runs it, on an embedding
 * column (`embed` writes one). Observe: each rank keeps its vectors. Reduce `centroids`: rank 0
 * fits spherical k-means (k-means++, seeded by the run seed) on a sample of at most
 * `sample_size` vectors (chosen by a hash of the id). Reduce `assign`: each rank sends each of
 * its vectors to the rank owning its nearest centroid (cluster mod world size). Reduce `dedup`:
 * per cluster, members in `priority` order (then id) are kept unless their cosine to a kept
 * member is ≥ 1 − `epsilon`; a removed one names the kept id. Apply: removals by position.
 * Records without a vector are never duplicates.
 */
const params = z.strictObject({
  /** Column with the (L2-normalised) embedding, float32[]. */
  embedding_column: z.string().min(1).default('embedding'),
  /** k of k-means; capped at the number of vectors. */
  clusters: z.number().int().min(1).default(100),
  /** Cosine distance under which two records are duplicates (NeMo Curator's eps; 0.01 is strict, 0.1 loose). */
  epsilon: z.number().gt(0).lt(1).default(0.01),
  /** Columns that choose the copy to keep: ascending, or descending with a leading '-'. Ties: id. */
  priority: z.array(z.string().min(1)).default([]),
  /** Vectors k-means is fitted on (all of them when fewer). */
  sample_size: z.number().int().min(1).default(100_000),
  max_iterations: z.number().int().min(1).default(20),
});
type Params = z.infer<typeof params>;

/** An item of a cluster on its way to the deduping rank: cluster, entry, observing rank, vector (base64 float32). */
type Routed = [cluster: number, entry: VectorEntry, rank: number, vector: string];

class SemanticDedupStage implements GlobalStage {
  readonly kind = 'global' as const;
  readonly columns = [];
  readonly reduceSteps: readonly ReduceStep[];

  constructor(private readonly p: Params) {
    this.reduceSteps = [
      { name: 'centroids', run: (t) => this.centroids(t) },
      { name: 'assign', run: (t) => this.assign(t) },
      { name: 'dedup', run: (t) => this.dedup(t) },
    ];
  }

  async observer(task: GlobalTaskInfo): Promise<GlobalObserver> {
    const collector = new VectorCollector();
    const cols = priorityColumns(this.p.priority);
    return {
      observeBatch: (batch, rows) => {
        const vectors = batch.column(this.p.embedding_column);
        const ids = batch.column('id');
        const prio = cols.map((c) => batch.column(c));
        for (let k = 0; k < rows.length; k++) {
          const i = rows[k];
          const v = vectors?.[i] as unknown;
          if (!Array.isArray(v) && !(v instanceof Float32Array)) continue;
          if (v.length === 0) continue;
          collector.add(v as ArrayLike<number>, [String(ids?.[i]), prio.map((p) => p?.[i] ?? null), batchPosition(batch, i)]);
        }
      },
      finish: async () => collector.write(task.stageDir, task.rank),
    };
  }

  private centroidsFile(dir: string): string {
    return path.join(dir, 'centroids.json');
  }

  /** Rank 0 fits k-means on a hash-chosen sample of every rank's vectors. */
  private async centroids(task: GlobalTaskInfo): Promise<Record<string, number>> {
    if (task.rank !== 0) return {};
    const perRank = Array.from({ length: task.worldSize }, (_, r) => readObserved(task.stageDir, r));
    const total = perRank.reduce((n, o) => n + o.entries.length, 0);
    const seen = perRank.find((o) => o.entries.length > 0);
    const dim = seen ? seen.vectors.length / seen.entries.length : 0;
    const keepBelow = total <= this.p.sample_size ? Infinity : (this.p.sample_size / total) * 2 ** 20;
    const chosen: Float32Array[] = [];
    for (const o of perRank) {
      o.entries.forEach((e, r) => {
        if (bucketOf(e[0] + '\u0000' + e[2], 2 ** 20) < keepBelow) chosen.push(o.vectors.subarray(r * dim, (r + 1) * dim));
      });
    }
    const sample = new Float32Array(chosen.length * dim);
    chosen.forEach((v, r) => sample.set(v, r * dim));
    const { centroids, iterations } = kmeans(sample, dim, this.p.clusters, { seed: task.seed, maxIterations: this.p.max_iterations });
    writeFileAtomic(this.centroidsFile(task.stageDir), JSON.stringify({ dim, k: dim ? centroids.length / dim : 0, centroids: Array.from(centroids) }));
    return { vectors: total, kmeans_sample: chosen.length, kmeans_iterations: iterations };
  }

  /** Each rank routes its vectors to the rank of their nearest centroid. */
  private async assign(task: GlobalTaskInfo): Promise<Record<string, number>> {
    const { dim, k, centroids } = JSON.parse(readFileSync(this.centroidsFile(task.stageDir), 'utf8')) as { dim: number; k: number; centroids: number[] };
    const c = Float32Array.from(centroids);
    const { vectors, entries } = readObserved(task.stageDir, task.rank);
    const out = new ExchangeWriter(path.join(task.stageDir, 'clusters'), task.rank, task.worldSize);
    entries.forEach((e, r) => {
      const { index } = nearestCentroid(vectors, r, c, k, dim);
      const routed: Routed = [index, e, task.rank, vectorToBase64(vectors, r, dim)];
      out.push(index % task.worldSize, JSON.stringify(routed));
    });
    out.publish();
    return {};
  }

  /** Each rank dedups the clusters it owns and sends each removal to the rank that saw the record. */
  private async dedup(task: GlobalTaskInfo): Promise<Record<string, number>> {
    const clusters = new Map<number, Routed[]>();
    for (const line of readExchange(path.join(task.stageDir, 'clusters'), task.rank)) {
      const item = JSON.parse(line) as Routed;
      let list = clusters.get(item[0]);
      if (!list) clusters.set(item[0], (list = []));
      list.push(item);
    }
    const byPriority = priorityOrder(this.p.priority);
    const order = (a: Routed, b: Routed) => byPriority(a[1][1] as Value[], b[1][1] as Value[]) || compareStrings(a[1][0], b[1][0]) || compareStrings(a[1][2], b[1][2]);
    const out = new ExchangeWriter(path.join(task.stageDir, 'decisions'), task.rank, task.worldSize);
    let removed = 0;
    for (const cluster of [...clusters.keys()].sort((a, b) => a - b)) {
      const items = clusters.get(cluster)!.sort(order);
      const first = vectorFromBase64(items[0][3]);
      const dim = first.length;
      const vectors = new Float32Array(items.length * dim);
      items.forEach((it, r) => vectors.set(r === 0 ? first : vectorFromBase64(it[3]), r * dim));
      const keptFor = dedupCluster(
        vectors,
        dim,
        items.map((_, r) => r),
        this.p.epsilon,
      );
      keptFor.forEach((kept, r) => {
        if (kept < 0) return;
        removed++;
        out.push(items[r][2], JSON.stringify([items[r][1][2], items[kept][1][0]]));
      });
    }
    out.publish();
    return { clusters: clusters.size, semantic_duplicates: removed };
  }

  async applier(task: GlobalTaskInfo): Promise<GlobalApplier> {
    return removalApplier(loadRemovals(path.join(task.stageDir, 'decisions'), task.rank), 'semantic_duplicate');
  }
}

export const semanticDedupStage = defineStage<Params>({
  name: 'semantic_dedup',
  description: 'SemDeDup: k-means over embeddings, then within each cluster drop records within epsilon cosine distance of a kept one (kept id in the detail).',
  kind: 'global',
  params,
  requires: (p) => [p.embedding_column, ...priorityColumns(p.priority)],
  create: (p) => new SemanticDedupStage(p),
});
