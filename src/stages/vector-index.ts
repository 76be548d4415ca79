import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { writeFileAtomic, ensureDir } from '../core/fs.js';
import { batchPosition } from '../core/batch.js';
import { defineStage, type GlobalApplier, type GlobalObserver, type GlobalStage, type GlobalTaskInfo, type ReleaseSection } from '../core/stage.js';
import { readObserved, VectorCollector } from '../dedup/semantic/store.js';
import { buildIndex, VECTOR_INDEX_FILES, type VectorIndexMeta } from '../dedup/semantic/vector-index.js';

/**
 * `vector_index`: the release's similarity-search index over an embedding column. Put it last
 * (after dedup and filters): it indexes the records that reach it, which are the released ones.
 * Observe: each rank keeps its vectors, ids and the `show` columns. Reduce (rank 0): one usearch
 * HNSW index (cosine) over all of them, with `records.jsonl` (line k = key k) and `index.json`
 * (dimensions, count, the model to embed queries with). They go into the release under
 * `artifacts/<n>-vector_index/`; `thresher search <release> "query"` reads them.
 */
const params = z.strictObject({
  embedding_column: z.string().min(1).default('embedding'),
  /** Columns copied into records.jsonl to show with a hit (besides id). */
  show: z.array(z.string().min(1)).default([]),
  /** The embedding model, as the `embed` stage names it: search embeds queries with it. */
  model: z.string().min(1).nullable().default(null),
  /** Query instruction (Qwen3-Embedding: e.g. "Given a web search query, retrieve relevant passages that answer the query"). */
  instruction: z.string().nullable().default(null),
  pooling: z.enum(['mean', 'cls', 'last']).optional(),
  /** Matryoshka cut used by `embed`, so queries are cut alike. */
  dimensions: z.number().int().min(1).optional(),
  /** HNSW graph degree (usearch connectivity). */
  connectivity: z.number().int().min(2).default(16),
});
type Params = z.infer<typeof params>;

class VectorIndexStage implements GlobalStage {
  readonly kind = 'global' as const;
  readonly columns = [];

  constructor(private readonly p: Params) {}

  async observer(task: GlobalTaskInfo): Promise<GlobalObserver> {
    const collector = new VectorCollector();
    return {
      observeBatch: (batch, rows) => {
        const vectors = batch.column(this.p.embedding_column);
        const ids = batch.column('id');
        const shown = this.p.show.map((c) => batch.column(c));
        for (let k = 0; k < rows.length; k++) {
          const i = rows[k];
          const v = vectors?.[i] as unknown;
          if (!Array.isArray(v) || v.length === 0) continue;
          collector.add(v as number[], [String(ids?.[i]), shown.map((s) => s?.[i] ?? null), batchPosition(batch, i)]);
        }
      },
      finish: async () => collector.write(task.stageDir, task.rank),
    };
  }

  async reduce(task: GlobalTaskInfo): Promise<Record<string, number>> {
    if (task.rank !== 0) return {};
    const parts = Array.from({ length: task.worldSize }, (_, r) => readObserved(task.stageDir, r));
    const count = parts.reduce((n, o) => n + o.entries.length, 0);
    const seen = parts.find((o) => o.entries.length > 0);
    const dim = seen ? seen.vectors.length / seen.entries.length : 0;
    const vectors = new Float32Array(count * dim);
    const lines: string[] = [];
    for (const o of parts) {
      vectors.set(o.vectors, lines.length * dim);
      for (const [id, shown] of o.entries) lines.push(JSON.stringify({ id, ...Object.fromEntries(this.p.show.map((c, j) => [c, shown[j]])) }));
    }
    const out = ensureDir(path.join(task.stageDir, 'artifacts'));
    const index = buildIndex(vectors, Math.max(dim, 1), this.p.connectivity);
    const tmp = path.join(task.stageDir, 'index.usearch.tmp');
    index.save(tmp);
    writeFileAtomic(path.join(out, VECTOR_INDEX_FILES.index), readFileSync(tmp));
    writeFileAtomic(path.join(out, VECTOR_INDEX_FILES.records), lines.length ? lines.join('\n') + '\n' : '');
    const meta: VectorIndexMeta = {
      format: 'usearch-hnsw/cos',
      dimensions: dim,
      count,
      connectivity: this.p.connectivity,
      embedding_column: this.p.embedding_column,
      model: this.p.model,
      instruction: this.p.instruction,
      pooling: this.p.pooling ?? null,
      truncate_dimensions: this.p.dimensions ?? null,
    };
    writeFileAtomic(path.join(out, VECTOR_INDEX_FILES.meta), JSON.stringify(meta, null, 1) + '\n');
    return { indexed: count };
  }

  async applier(): Promise<GlobalApplier> {
    return { processBatch: () => undefined }; // indexes, never removes
  }

  async summarize(task: GlobalTaskInfo & { artifactsPath: string }): Promise<ReleaseSection | void> {
    const file = path.join(task.stageDir, 'artifacts', VECTOR_INDEX_FILES.meta);
    if (!existsSync(file)) return;
    const meta = JSON.parse(readFileSync(file, 'utf8')) as VectorIndexMeta;
    return {
      key: 'vector_index',
      title: 'Vector index',
      card: [
        `${meta.count} records indexed by their \`${meta.embedding_column}\` (${meta.dimensions} dimensions, cosine, usearch HNSW) in \`${task.artifactsPath}\`.`,
        `Search it with \`thresher search <release> "query"\`${meta.model ? ` (queries embedded with \`${meta.model}\`)` : ''}.`,
      ],
      data: { ...meta, path: task.artifactsPath },
    };
  }
}

export const vectorIndexStage = defineStage<Params>({
  name: 'vector_index',
  description: 'Build the release’s similarity-search index (usearch HNSW, cosine) over an embedding column; `thresher search` queries it.',
  kind: 'global',
  params,
  requires: (p) => [p.embedding_column, ...p.show],
  create: (p) => new VectorIndexStage(p),
});
