/**
 * `thresher search <release> "query" [-k 10] [--model M]`: embed the query as the release's
 * index says (its model, pooling, Matryoshka cut, query instruction), find the nearest records
 * in the release's usearch index, print one JSON line per hit: rank, score (cosine), id and
 * the columns the index kept.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { ThresherError } from '../core/errors.js';
import { searchIndex, viewIndex, VECTOR_INDEX_FILES } from '../dedup/semantic/vector-index.js';
import { TextEmbedder } from '../models/text/embed.js';
import { findVectorIndex } from '../release/vector-index.js';

export interface SearchOptions {
  k: number;
  /** Model folder or hub id; default the one the index names (relative to the release's pipeline folder, else as given). */
  model?: string;
  device?: 'auto' | 'cuda' | 'cpu';
}

export interface SearchHit {
  rank: number;
  score: number;
  id: string;
  [column: string]: unknown;
}

/**
 * The folder of the pipeline file that made the release: releases name their pipeline file by
 * name only (no local absolute paths in a published dataset), so it is found by going back up
 * the pipeline's `output.path` from the release's output folder. Releases made before that kept
 * the absolute path. Undefined when `output.path` is absolute or leaves the pipeline's folder.
 */
function pipelineDirOf(release: string): string | undefined {
  const manifest = JSON.parse(readFileSync(path.join(release, 'manifest.json'), 'utf8')) as { pipeline?: { source?: string } };
  const source = manifest.pipeline?.source;
  if (source && path.isAbsolute(source)) return path.dirname(source);
  let out: unknown;
  try {
    out = (parse(readFileSync(path.join(release, 'pipeline.yaml'), 'utf8')) as { output?: { path?: unknown } } | null)?.output?.path ?? '.';
  } catch {
    return undefined;
  }
  if (typeof out !== 'string' || path.isAbsolute(out) || out.split(/[\\/]/).includes('..')) return undefined;
  const root = path.dirname(path.resolve(release)); // a release is <output root>/vN
  return path.resolve(root, path.relative(path.resolve('/', out), '/'));
}

/** The index's model: a folder relative to the pipeline file that made the release when there is one, else as named (a hub id). */
function modelOfIndex(release: string, model: string | null): string | null {
  if (!model) return null;
  const dir = pipelineDirOf(release);
  const local = dir ? path.resolve(dir, model) : undefined;
  return local && existsSync(local) ? local : model;
}

export async function searchRelease(release: string, query: string, options: SearchOptions): Promise<SearchHit[]> {
  const { dir, meta } = findVectorIndex(release);
  const model = options.model ?? modelOfIndex(release, meta.model);
  if (!model) throw new ThresherError(`${release}: the index names no model; pass --model`);
  const embedder = await TextEmbedder.load(model, {
    device: options.device,
    pooling: meta.pooling ?? undefined,
    dimensions: meta.truncate_dimensions ?? undefined,
    instruction: meta.instruction ?? undefined,
    batchSize: 1,
  });
  try {
    const { embeddings, dim } = await embedder.embed([query], { query: true });
    if (dim !== meta.dimensions) throw new ThresherError(`query embedding has ${dim} dimensions, the index ${meta.dimensions}: not the model the index was built with`);
    const index = viewIndex(path.join(dir, VECTOR_INDEX_FILES.index), meta.dimensions);
    const hits = searchIndex(index, embeddings, options.k);
    const records = readFileSync(path.join(dir, VECTOR_INDEX_FILES.records), 'utf8').split('\n');
    return hits.map((h, r) => ({ rank: r + 1, score: Number(h.score.toFixed(6)), ...(JSON.parse(records[h.key]) as { id: string }) }));
  } finally {
    await embedder.close();
  }
}
