import type { InputFile, InputSlice } from './types.js';

/**
 * Byte-wise (UTF-8) order of strings, the same on every machine and locale, without encoding
 * them: UTF-8 orders as code points do, and UTF-16 code units order as code points except that
 * surrogates (U+D800..DFFF, halves of astral characters) sort below U+E000..FFFF. Listing a
 * folder sorts every path with this (a Buffer per path cost a tenth of the listing).
 */
export function compareBytes(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return codePointRank(x) - codePointRank(y);
  }
  return a.length - b.length;
}

/** A code unit's place in code-point order: surrogates above the rest of the BMP. */
function codePointRank(u: number): number {
  if (u < 0xd800) return u;
  return u < 0xe000 ? u + 0x2000 : u - 0x800;
}

/**
 * Contiguous, deterministic assignment of weighted items to ranks: item i goes to the rank
 * whose share of the cumulative weight contains the item's midpoint. Keeps neighbours (files
 * of one package, pieces of one file) together and balances by weight. Zero total weight
 * falls back to balancing by count. Returns the [start, end) index range of `rank`.
 */
export function contiguousRange(weights: readonly number[], rank: number, worldSize: number): [number, number] {
  if (!Number.isInteger(worldSize) || worldSize < 1) throw new RangeError(`worldSize must be a positive integer, got ${worldSize}`);
  if (!Number.isInteger(rank) || rank < 0 || rank >= worldSize) throw new RangeError(`rank ${rank} out of range for worldSize ${worldSize}`);
  const n = weights.length;
  let total = 0;
  for (const w of weights) total += w;
  const useCount = total <= 0;
  if (useCount) total = n;
  let start = -1;
  let end = -1;
  let cum = 0;
  for (let i = 0; i < n; i++) {
    const w = useCount ? 1 : weights[i];
    const r = Math.min(worldSize - 1, Math.floor(((cum + w / 2) * worldSize) / total));
    cum += w;
    if (r === rank) {
      if (start < 0) start = i;
      end = i + 1;
    } else if (r > rank) {
      break;
    }
  }
  return start < 0 ? [0, 0] : [start, end];
}

/** A slice of input with the work it stands for. */
export interface WeightedSlice {
  slice: InputSlice;
  weight: number;
}

/** `pieces` equal row ranges of a file of `rows` rows; `weight` is the whole file's. */
export function rowRangeSlices(file: InputFile, rows: number, pieces: number, weight: number): WeightedSlice[] {
  const out: WeightedSlice[] = [];
  for (let i = 0; i < pieces; i++) {
    const rowStart = Math.floor((rows * i) / pieces);
    const rowEnd = Math.floor((rows * (i + 1)) / pieces);
    out.push({ slice: { file, rowStart, rowEnd }, weight: (weight * (rowEnd - rowStart)) / rows });
  }
  return out;
}

/** The slices of `rank`: a contiguous run of the units, balanced by weight. */
export function slicesOfRank(units: readonly WeightedSlice[], rank: number, worldSize: number): InputSlice[] {
  const [a, b] = contiguousRange(
    units.map((u) => u.weight),
    rank,
    worldSize,
  );
  return units.slice(a, b).map((u) => u.slice);
}
