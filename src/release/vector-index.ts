/**
 * Where a release keeps its vector index (written by the `vector_index` stage): the files under
 * the stage's artifacts folder, and the manifest section that points at them.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ThresherError } from '../core/errors.js';
import { VECTOR_INDEX_FILES, type VectorIndexMeta } from '../dedup/semantic/vector-index.js';

export { VECTOR_INDEX_FILES, type VectorIndexMeta };

/** The index folder of a release and its description; fails with a message when the release has none. */
export function findVectorIndex(release: string): { dir: string; meta: VectorIndexMeta } {
  const manifestFile = path.join(release, 'manifest.json');
  if (!existsSync(manifestFile)) throw new ThresherError(`${release}: no manifest.json (not a release folder)`);
  const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as { sections?: Record<string, { artifacts?: string | null; path?: string }> };
  const section = Object.entries(manifest.sections ?? {}).find(([key]) => key === 'vector_index' || key.startsWith('vector_index-'))?.[1];
  const rel = section?.artifacts ?? section?.path;
  if (!rel) throw new ThresherError(`${release}: the release has no vector index (add a vector_index stage after embed)`);
  const dir = path.join(release, rel);
  return { dir, meta: JSON.parse(readFileSync(path.join(dir, VECTOR_INDEX_FILES.meta), 'utf8')) as VectorIndexMeta };
}
