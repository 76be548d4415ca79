import { fmix32 } from './minhash.js';

/**
 * Locality-sensitive hashing over MinHash signatures: `bands` groups of `rows` consecutive
 * values; two records are candidates when all rows of at least one band agree, which for
 * Jaccard similarity s happens with probability 1 − (1 − s^r)^b (the S-curve).
 */

/** P(candidate | Jaccard s) for b bands of r rows. */
export function candidateProbability(s: number, bands: number, rows: number): number {
  return 1 - Math.pow(1 - Math.pow(s, rows), bands);
}

/** Composite Gauss–Legendre over [lo, hi] (5 points on each of 64 pieces): nodes and weights; error far below 1e-12 for the S-curve. */
function quadrature(lo: number, hi: number): { x: Float64Array; w: Float64Array } {
  const nodes = [0, -0.5384693101056831, 0.5384693101056831, -0.906179845938664, 0.906179845938664];
  const weights = [0.5688888888888889, 0.47862867049936647, 0.47862867049936647, 0.23692688505618908, 0.23692688505618908];
  const pieces = 64;
  const width = (hi - lo) / pieces;
  const x = new Float64Array(pieces * 5);
  const w = new Float64Array(pieces * 5);
  for (let k = 0; k < pieces; k++) {
    const mid = lo + (k + 0.5) * width;
    for (let i = 0; i < 5; i++) {
      x[k * 5 + i] = mid + (nodes[i] * width) / 2;
      w[k * 5 + i] = (weights[i] * width) / 2;
    }
  }
  return { x, w };
}

/**
 * The bands × rows (b·r ≤ numPerm) that minimise fpWeight·FP + fnWeight·FN, where FP is the
 * area under the S-curve below the threshold and FN the area above it that the curve misses:
 * datasketch's `_optimal_param`, which The Stack v2 and text-dedup use. (0.7, 250, ½, ½) gives
 * 25 × 10. Rows run in the outer loop so that s^r and (1 − s^r)^b at each quadrature node
 * follow by multiplication (the stage is made in every worker: this took 150 ms
 * with two pow per node and pair); the winner is then chosen in datasketch's order (b, then r).
 */
export function optimalBandsRows(threshold: number, numPerm: number, fpWeight = 0.5, fnWeight = 0.5): { bands: number; rows: number } {
  const below = quadrature(0, threshold);
  const above = quadrature(threshold, 1);
  const error = new Map<number, number>(); // b * (numPerm + 1) + r → weighted error
  const missBelow = new Float64Array(below.x.length); // (1 − s^r)^b at each node, b rising
  const missAbove = new Float64Array(above.x.length);
  const powBelow = new Float64Array(below.x.length).fill(1); // s^r at each node, r rising
  const powAbove = new Float64Array(above.x.length).fill(1);
  const qBelow = new Float64Array(below.x.length); // 1 − s^r
  const qAbove = new Float64Array(above.x.length);
  for (let r = 1; r <= numPerm; r++) {
    for (let i = 0; i < qBelow.length; i++) qBelow[i] = 1 - (powBelow[i] *= below.x[i]);
    for (let i = 0; i < qAbove.length; i++) qAbove[i] = 1 - (powAbove[i] *= above.x[i]);
    missBelow.fill(1);
    missAbove.fill(1);
    for (let b = 1; b <= Math.floor(numPerm / r); b++) {
      let fp = 0;
      for (let i = 0; i < qBelow.length; i++) fp += below.w[i] * (1 - (missBelow[i] *= qBelow[i]));
      let fn = 0;
      for (let i = 0; i < qAbove.length; i++) fn += above.w[i] * (missAbove[i] *= qAbove[i]);
      error.set(b * (numPerm + 1) + r, fp * fpWeight + fn * fnWeight);
    }
  }
  let best = { bands: 0, rows: 0 };
  let bestError = Infinity;
  for (let b = 1; b <= numPerm; b++) {
    for (let r = 1; r <= Math.floor(numPerm / b); r++) {
      const e = error.get(b * (numPerm + 1) + r)!;
      if (e < bestError) {
        bestError = e;
        best = { bands: b, rows: r };
      }
    }
  }
  return best;
}

/**
 * A 64-bit key for band `band` of a signature, as two 32-bit halves written to out[0], out[1]:
 * equal bands give equal keys; the band number is hashed in, so equal values in different bands
 * never meet. (Two different bands share a key with probability about 2^-64.)
 */
export function bandKey(sig: Uint32Array, band: number, rows: number, out: Uint32Array): void {
  let hi = fmix32(Math.imul(band + 1, 0x9e3779b1));
  let lo = fmix32(Math.imul(band + 1, 0x85ebca6b) ^ 0x5bd1e995);
  const start = band * rows;
  for (let i = start; i < start + rows; i++) {
    const v = sig[i];
    hi = fmix32((Math.imul(hi, 0x01000193) ^ v) + 0x7f4a7c15);
    lo = fmix32(Math.imul(lo ^ v, 0xcc9e2d51) + 0x1b873593);
  }
  out[0] = hi >>> 0;
  out[1] = lo >>> 0;
}
