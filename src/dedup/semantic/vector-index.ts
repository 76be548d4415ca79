/**
 * The vector index a release carries: an HNSW graph from `usearch` (prebuilt binaries for
 * Linux, macOS and Windows in the npm package, so it installs without a compiler; hnswlib-node
 * builds with node-gyp at install) over cosine distance, keys 0..n−1 in the order of the
 * release's `records.jsonl`. Built with one thread so the same vectors give the same file.
 * `exactNearest` is the flat scan the index is measured against.
 */
import { Index, MetricKind, ScalarKind } from 'usearch';
import { dot } from './kmeans.js';

/** The files of an index in a release, beside each other. */
export const VECTOR_INDEX_FILES = { index: 'index.usearch', records: 'records.jsonl', meta: 'index.json' } as const;

export interface VectorIndexMeta {
  format: string;
  dimensions: number;
  count: number;
  connectivity: number;
  embedding_column: string;
  /** The model queries are embedded with, as the pipeline names it (a hub id, or a path relative to the pipeline file). */
  model: string | null;
  instruction: string | null;
  pooling: 'mean' | 'cls' | 'last' | null;
  truncate_dimensions: number | null;
}

export interface Neighbour {
  key: number;
  /** Cosine similarity (the vectors are normalised). */
  score: number;
}

function newIndex(dim: number, connectivity = 16): Index {
  return new Index({ dimensions: dim, metric: MetricKind.Cos, quantization: ScalarKind.F32, connectivity, expansion_add: 128, expansion_search: 64, multi: false });
}

export function buildIndex(vectors: Float32Array, dim: number, connectivity = 16): Index {
  const index = newIndex(dim, connectivity);
  const n = vectors.length / dim;
  if (n > 0) {
    const keys = new BigUint64Array(n);
    for (let i = 0; i < n; i++) keys[i] = BigInt(i);
    index.add(keys, vectors, 1);
  }
  return index;
}

/** An index file saved by `buildIndex(...).save(file)`, memory-mapped. */
export function viewIndex(file: string, dim: number): Index {
  const index = newIndex(dim);
  index.view(file);
  return index;
}

export function searchIndex(index: Index, query: Float32Array, k: number): Neighbour[] {
  if (index.size() === 0) return [];
  const m = index.search(query, Math.min(k, index.size()), 1);
  return Array.from(m.keys, (key, i) => ({ key: Number(key), score: 1 - m.distances[i] })).filter((_, i) => Number.isFinite(m.distances[i]));
}

/** The k most similar rows by a full scan (ties: lower key). */
export function exactNearest(vectors: Float32Array, dim: number, query: Float32Array, k: number): Neighbour[] {
  const n = vectors.length / dim;
  const scores = new Float32Array(n);
  for (let r = 0; r < n; r++) scores[r] = dot(vectors, r, query, 0, dim);
  const order = Array.from({ length: n }, (_, r) => r).sort((a, b) => scores[b] - scores[a] || a - b);
  return order.slice(0, k).map((key) => ({ key, score: scores[key] }));
}
