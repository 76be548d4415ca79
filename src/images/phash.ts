/**
 * pHash as the `imagehash` library computes it: a 32×32 greyscale thumbnail, its 2-D DCT-II,
 * the 8×8 lowest frequencies (DC included), one bit per coefficient: above their median.
 * Near-identical images (re-encoded, resized, slightly recoloured) differ in a few bits.
 * The DCT's constant factors are left out: they scale every coefficient alike, so the bits
 * (comparisons with the median) do not change.
 */
export const PHASH_SIDE = 32;
const LOW = 8;

/** cos(π(2x+1)u / 64) for u < 8, x < 32: the only DCT rows the hash needs. */
const COS = (() => {
  const t = new Float64Array(LOW * PHASH_SIDE);
  for (let u = 0; u < LOW; u++) for (let x = 0; x < PHASH_SIDE; x++) t[u * PHASH_SIDE + x] = Math.cos((Math.PI * (2 * x + 1) * u) / (2 * PHASH_SIDE));
  return t;
})();

/** The 64-bit pHash of a 32×32 greyscale thumbnail (row-major bytes), as 16 hex digits. */
export function phashOfThumbnail(grey: Uint8Array): string {
  if (grey.length !== PHASH_SIDE * PHASH_SIDE) throw new Error(`phash: expected ${PHASH_SIDE}×${PHASH_SIDE} grey bytes, got ${grey.length}`);
  // Rows first: 32 rows × 8 frequencies, then columns: 8 × 8.
  const rows = new Float64Array(PHASH_SIDE * LOW);
  for (let y = 0; y < PHASH_SIDE; y++)
    for (let v = 0; v < LOW; v++) {
      let s = 0;
      for (let x = 0; x < PHASH_SIDE; x++) s += grey[y * PHASH_SIDE + x] * COS[v * PHASH_SIDE + x];
      rows[y * LOW + v] = s;
    }
  const low = new Float64Array(LOW * LOW);
  for (let u = 0; u < LOW; u++)
    for (let v = 0; v < LOW; v++) {
      let s = 0;
      for (let y = 0; y < PHASH_SIDE; y++) s += rows[y * LOW + v] * COS[u * PHASH_SIDE + y];
      low[u * LOW + v] = s;
    }
  const sorted = Float64Array.from(low).sort();
  const median = (sorted[31] + sorted[32]) / 2;
  let hi = 0;
  let lo = 0;
  for (let i = 0; i < 32; i++) hi = (hi << 1) | (low[i] > median ? 1 : 0);
  for (let i = 32; i < 64; i++) lo = (lo << 1) | (low[i] > median ? 1 : 0);
  return (hi >>> 0).toString(16).padStart(8, '0') + (lo >>> 0).toString(16).padStart(8, '0');
}

function popcount32(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (((x + (x >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

/** Bits in which two 16-hex-digit hashes differ. */
export function hammingHex(a: string, b: string): number {
  return popcount32(parseInt(a.slice(0, 8), 16) ^ parseInt(b.slice(0, 8), 16)) + popcount32(parseInt(a.slice(8), 16) ^ parseInt(b.slice(8), 16));
}
