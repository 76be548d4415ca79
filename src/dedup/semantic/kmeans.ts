/**
 * Spherical k-means on L2-normalised vectors (rows of one Float32Array), as SemDeDup clusters
 * embeddings: similarity is the dot product, a centroid is its members' mean renormalised.
 * greedy k-means++ seeding (see seedCentroids; distance 1 − cos) from a seeded generator, then Lloyd iterations until no assignment
 * changes or `maxIterations`. The same vectors, k and seed give the same centroids.
 */

/** mulberry32: a small seeded generator in [0, 1). */
export function seededRandom(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Dot product of row a of `x` and row b of `y` (both `dim` wide). */
export function dot(x: Float32Array, a: number, y: Float32Array, b: number, dim: number): number {
  let s = 0;
  const i = a * dim;
  const j = b * dim;
  for (let k = 0; k < dim; k++) s += x[i + k] * y[j + k];
  return s;
}

/** Index of the centroid nearest to row r (highest dot; ties: lower index), written with its similarity. */
export function nearestCentroid(vectors: Float32Array, r: number, centroids: Float32Array, k: number, dim: number): { index: number; similarity: number } {
  let best = 0;
  let bestSim = -Infinity;
  for (let c = 0; c < k; c++) {
    const s = dot(vectors, r, centroids, c, dim);
    if (s > bestSim) {
      bestSim = s;
      best = c;
    }
  }
  return { index: best, similarity: bestSim };
}

function normaliseRow(v: Float32Array, r: number, dim: number): void {
  let s = 0;
  for (let k = 0; k < dim; k++) s += v[r * dim + k] ** 2;
  const inv = s > 0 ? 1 / Math.sqrt(s) : 0;
  for (let k = 0; k < dim; k++) v[r * dim + k] *= inv;
}

/** A row drawn with probability ∝ `weights` (the last row when rounding leaves nothing). */
function drawWeighted(weights: Float64Array, total: number, random: () => number): number {
  let target = random() * total;
  for (let r = 0; r < weights.length; r++) {
    target -= weights[r];
    if (target < 0) return r;
  }
  return weights.length - 1;
}

/**
 * Greedy k-means++ seeding (as scikit-learn does it): each next centre is the best, by the total
 * distance left, of 2 + ⌊ln k⌋ rows drawn with probability ∝ distance to the nearest chosen
 * centre. Plain k-means++ now and then puts two centres in one tight cluster; the greedy draw
 * almost never does.
 */
function seedCentroids(vectors: Float32Array, n: number, dim: number, k: number, random: () => number): Float32Array {
  const centroids = new Float32Array(k * dim);
  const distance = new Float64Array(n).fill(Infinity);
  const trial = new Float64Array(n);
  const tries = 2 + Math.floor(Math.log(k));
  const take = (row: number, c: number) => {
    centroids.set(vectors.subarray(row * dim, (row + 1) * dim), c * dim);
    let total = 0;
    for (let r = 0; r < n; r++) {
      distance[r] = Math.min(distance[r], Math.max(0, 1 - dot(vectors, r, vectors, row, dim)));
      total += distance[r];
    }
    return total;
  };
  let total = take(Math.floor(random() * n), 0);
  for (let c = 1; c < k; c++) {
    if (total <= 0) {
      total = take(Math.floor(random() * n), c); // every row sits on a centre: any will do
      continue;
    }
    let best = -1;
    let bestTotal = Infinity;
    for (let t = 0; t < tries; t++) {
      const candidate = drawWeighted(distance, total, random);
      let sum = 0;
      for (let r = 0; r < n; r++) {
        trial[r] = Math.min(distance[r], Math.max(0, 1 - dot(vectors, r, vectors, candidate, dim)));
        sum += trial[r];
      }
      if (sum < bestTotal) {
        bestTotal = sum;
        best = candidate;
      }
    }
    total = take(best, c);
  }
  return centroids;
}

export interface KMeansResult {
  centroids: Float32Array;
  /** Cluster of each row. */
  assignment: Int32Array;
  iterations: number;
}

export function kmeans(vectors: Float32Array, dim: number, k: number, options: { seed?: number; maxIterations?: number } = {}): KMeansResult {
  const n = vectors.length / dim;
  if (n === 0) return { centroids: new Float32Array(0), assignment: new Int32Array(0), iterations: 0 };
  k = Math.max(1, Math.min(k, n));
  const random = seededRandom(options.seed ?? 0);
  const centroids = seedCentroids(vectors, n, dim, k, random);
  const assignment = new Int32Array(n).fill(-1);
  const counts = new Int32Array(k);
  let iterations = 0;
  for (; iterations < (options.maxIterations ?? 20); iterations++) {
    let changed = 0;
    for (let r = 0; r < n; r++) {
      const { index } = nearestCentroid(vectors, r, centroids, k, dim);
      if (index !== assignment[r]) {
        assignment[r] = index;
        changed++;
      }
    }
    if (changed === 0) break;
    // New centroids: the mean of each cluster, renormalised; an empty cluster keeps its centre.
    const sums = new Float32Array(k * dim);
    counts.fill(0);
    for (let r = 0; r < n; r++) {
      const c = assignment[r];
      counts[c]++;
      for (let j = 0; j < dim; j++) sums[c * dim + j] += vectors[r * dim + j];
    }
    for (let c = 0; c < k; c++) {
      if (counts[c] === 0) continue;
      centroids.set(sums.subarray(c * dim, (c + 1) * dim), c * dim);
      normaliseRow(centroids, c, dim);
    }
  }
  return { centroids, assignment, iterations };
}
