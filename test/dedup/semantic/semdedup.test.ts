import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dedupCluster } from '../../../src/dedup/semantic/cluster-dedup.js';
import { kmeans, seededRandom } from '../../../src/dedup/semantic/kmeans.js';
import { buildIndex, exactNearest, searchIndex } from '../../../src/dedup/semantic/vector-index.js';

/** n unit vectors around `centres` well-separated directions, plus a near-copy of every 10th. */
function generated(centres: number, perCentre: number, dim: number, seed: number, spread = 0.35): { vectors: Float32Array; copies: Map<number, number>; centreOf: number[] } {
  const random = seededRandom(seed);
  const rows: number[][] = [];
  const centreOf: number[] = [];
  const copies = new Map<number, number>();
  const unit = (v: number[]) => {
    const n = Math.hypot(...v);
    return v.map((x) => x / n);
  };
  const centreVectors = Array.from({ length: centres }, () => unit(Array.from({ length: dim }, () => random() * 2 - 1)));
  for (let c = 0; c < centres; c++) {
    for (let i = 0; i < perCentre; i++) {
      rows.push(unit(centreVectors[c].map((x) => x + (random() * 2 - 1) * spread)));
      centreOf.push(c);
      if (i % 10 === 0) {
        const original = rows.length - 1;
        rows.push(unit(rows[original].map((x) => x + (random() * 2 - 1) * 0.002)));
        centreOf.push(c);
        copies.set(rows.length - 1, original);
      }
    }
  }
  return { vectors: Float32Array.from(rows.flat()), copies, centreOf };
}

test('k-means++ (seeded) recovers well-separated clusters and is deterministic', () => {
  const { vectors, centreOf } = generated(5, 40, 16, 3, 0.08);
  const a = kmeans(vectors, 16, 5, { seed: 11 });
  const b = kmeans(vectors, 16, 5, { seed: 11 });
  assert.deepEqual(a.assignment, b.assignment);
  assert.deepEqual(a.centroids, b.centroids);
  // every true cluster lands in one k-means cluster, and different ones in different ones
  const clusterOf = new Map<number, number>();
  centreOf.forEach((c, r) => {
    if (!clusterOf.has(c)) clusterOf.set(c, a.assignment[r]);
    assert.equal(a.assignment[r], clusterOf.get(c));
  });
  assert.equal(new Set(clusterOf.values()).size, 5);
});

test('SemDeDup in a cluster: near-copies go, the first in keep order stays and is named', () => {
  const { vectors, copies } = generated(1, 60, 16, 5);
  const n = vectors.length / 16;
  const order = Array.from({ length: n }, (_, r) => r);
  const keptFor = dedupCluster(vectors, 16, order, 0.001);
  const removed = [...keptFor.keys()].filter((r) => keptFor[r] >= 0);
  assert.deepEqual(
    removed,
    [...copies.keys()].sort((x, y) => x - y),
  );
  for (const r of removed) assert.equal(keptFor[r], copies.get(r));
  // the reverse order keeps the copies and drops the originals
  const reverse = dedupCluster(vectors, 16, [...order].reverse(), 0.001);
  for (const [copy, original] of copies) assert.equal(reverse[original], copy);
});

test('usearch HNSW index finds the same nearest neighbours as a flat scan on generated vectors', () => {
  const { vectors } = generated(8, 100, 32, 9);
  const index = buildIndex(vectors, 32);
  const n = vectors.length / 32;
  let agree = 0;
  for (let q = 0; q < n; q += 37) {
    const query = vectors.slice(q * 32, (q + 1) * 32);
    const approx = searchIndex(index, query, 5).map((h) => h.key);
    const exact = exactNearest(vectors, 32, query, 5).map((h) => h.key);
    assert.equal(approx[0], q);
    agree += approx.filter((k) => exact.includes(k)).length / 5;
  }
  assert.ok(agree / Math.ceil(n / 37) >= 0.95, `recall@5 ${agree / Math.ceil(n / 37)}`);
});
