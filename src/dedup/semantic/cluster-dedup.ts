/**
 * SemDeDup within one cluster: walk the members in keep order (the priority rule decides it);
 * a member whose cosine to an already kept member is at least 1 − ε is a semantic duplicate of
 * the most similar kept member, every other member is kept. Vectors are L2-normalised, so the
 * cosine is a dot product. Cost: members × kept dot products.
 */
import { dot } from './kmeans.js';

/** For each member (by row), the row of the kept member it duplicates, or -1 when kept. */
export function dedupCluster(vectors: Float32Array, dim: number, order: readonly number[], epsilon: number): Int32Array {
  const n = vectors.length / dim;
  const keptFor = new Int32Array(n).fill(-1);
  const kept: number[] = [];
  const threshold = 1 - epsilon;
  for (const r of order) {
    let best = -1;
    let bestSim = -Infinity;
    for (const q of kept) {
      const s = dot(vectors, r, vectors, q, dim);
      if (s > bestSim) {
        bestSim = s;
        best = q;
      }
    }
    if (best >= 0 && bestSim >= threshold) keptFor[r] = best;
    else kept.push(r);
  }
  return keptFor;
}
