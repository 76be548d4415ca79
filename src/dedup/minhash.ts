import { createKernel, type MinHashKernel, type Permutations } from './minhash-kernel.js';

/**
 * MinHash signatures as The Stack v2 makes them (DESIGN.md §3): the text is cut into shingles
 * (word 5-grams after lowercasing and splitting on non-word characters, or NeMo-style character
 * n-grams), each shingle gets a 32-bit hash, and signature value i is the minimum over the
 * distinct shingle hashes h of (a_i·h + b_i) mod (2^32 − 5) (or mod 65521 for 16-bit
 * signatures), with a_i, b_i drawn from a seed.
 *
 * The hot path allocates nothing per shingle: a word's hash is built code unit by code unit as
 * the text is scanned, a shingle's hash rolls over the last n word (or character) hashes, most
 * repeats are dropped by a small direct-mapped memory (stamped, never cleared), and the
 * permutations run in minhash-kernel.ts.
 *
 * Words: a word character is a letter, a number or `_` (Python's `\w`, Unicode: \p{L}, \p{N}, _);
 * everything else separates words. Lowercasing maps each UTF-16 code unit through
 * String.prototype.toLowerCase when that gives one code unit (all but a handful, e.g. U+0130).
 * With `emptyWords`, two adjacent separators make an empty word between them, as Python's
 * `re.split(r"\W", text)` does in text-dedup's script; by default runs of separators are one
 * break. A text with fewer than n words (or characters) has no shingle and no signature.
 */
export interface ShingleOptions {
  unit: 'words' | 'chars';
  ngram: number;
  lowercase: boolean;
  emptyWords: boolean;
}

export interface MinHashOptions extends ShingleOptions {
  numPerm: number;
  hashBits: 16 | 32;
  seed: number;
}

export const PRIME_32 = 4294967291; // 2^32 − 5, the largest prime below 2^32
export const PRIME_16 = 65521; // 2^16 − 15

const FNV_OFFSET = 0x811c9dc5 | 0;
const FNV_PRIME = 0x01000193;
const ROLL_BASE = 0x9e3779b1 | 0; // odd: multiplying by it is a bijection mod 2^32

let wordTable: Uint8Array | undefined;
let lowerTable: Uint16Array | undefined;
let charHashTable: Int32Array | undefined;

/** 1 for BMP code units that are word characters, 2 for surrogates (decided per code point). */
function wordChars(): Uint8Array {
  if (wordTable) return wordTable;
  const table = new Uint8Array(65536);
  const all = String.fromCharCode(...Array.from({ length: 0xd800 }, (_, i) => i)) + String.fromCharCode(...Array.from({ length: 0x10000 - 0xe000 }, (_, i) => 0xe000 + i));
  for (const m of all.matchAll(/[\p{L}\p{N}_]/gu)) table[m[0].charCodeAt(0)] = 1;
  table.fill(2, 0xd800, 0xe000);
  return (wordTable = table);
}

function lowercase(): Uint16Array {
  if (lowerTable) return lowerTable;
  const table = new Uint16Array(65536);
  for (let c = 0; c < 65536; c++) {
    const lower = c >= 0xd800 && c < 0xe000 ? '' : String.fromCharCode(c).toLowerCase();
    table[c] = lower.length === 1 ? lower.charCodeAt(0) : c;
  }
  return (lowerTable = table);
}

/** Murmur3's finaliser: every input bit affects every output bit. */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) | 0;
}

/** A fixed random 32-bit value per code unit: character shingles roll over these. */
function charHashes(): Int32Array {
  if (charHashTable) return charHashTable;
  const table = new Int32Array(65536);
  for (let c = 0; c < 65536; c++) table[c] = fmix32(Math.imul(c + 1, ROLL_BASE));
  return (charHashTable = table);
}

/** ROLL_BASE^k mod 2^32. */
function rollPower(k: number): number {
  let p = 1;
  for (let i = 0; i < k; i++) p = Math.imul(p, ROLL_BASE);
  return p;
}

/**
 * The shingle hashes of a text, in text order, repeats included, into `out` (at least
 * text.length + 2 long); returns how many. Shingle hash = fmix32 of the polynomial
 * Σ t_j·B^(n−1−j) mod 2^32 over its n word (or character) hashes t_j.
 */
export function shingleHashes(text: string, o: ShingleOptions, out: Uint32Array | Int32Array): number {
  return o.unit === 'words' ? wordShingles(text, o, out) : charShingles(text, o, out);
}

/**
 * Per BMP code unit: the unit a word hashes (lowercased when asked) for word characters,
 * SEPARATOR for the rest, SURROGATE for surrogates (decided per code point): one lookup per
 * character in the hot loop instead of two.
 */
const SEPARATOR = -1;
const SURROGATE = -2;
const wordUnitTables = new Map<boolean, Int32Array>();

function wordUnits(lowercased: boolean): Int32Array {
  let table = wordUnitTables.get(lowercased);
  if (table) return table;
  const word = wordChars();
  const lower = lowercase();
  table = new Int32Array(65536);
  for (let c = 0; c < 65536; c++) table[c] = word[c] === 2 ? SURROGATE : word[c] === 1 ? (lowercased ? lower[c] : c) : SEPARATOR;
  wordUnitTables.set(lowercased, table);
  return table;
}

function wordShingles(text: string, o: ShingleOptions, out: Uint32Array | Int32Array): number {
  const units = wordUnits(o.lowercase);
  const emptyWords = o.emptyWords;
  const n = o.ngram;
  const ring = new Int32Array(n);
  const outPow = rollPower(n - 1);
  let words = 0;
  let count = 0;
  let rolled = 0;
  let h = FNV_OFFSET;
  let inWord = false;
  const len = text.length;
  for (let i = 0; i <= len; i++) {
    let u = i < len ? units[text.charCodeAt(i)] : SEPARATOR; // a separator after the end closes the last word
    if (u === SURROGATE) u = surrogateIsWord(text, i) ? text.charCodeAt(i) : SEPARATOR;
    if (u >= 0) {
      h = Math.imul(h ^ u, FNV_PRIME);
      inWord = true;
      continue;
    }
    if (!inWord && !emptyWords) continue;
    // a word ends here (with emptyWords, possibly the empty word between two separators)
    const t = fmix32(h);
    const slot = words % n;
    rolled = (Math.imul(rolled - Math.imul(ring[slot], outPow), ROLL_BASE) + t) | 0;
    ring[slot] = t;
    words++;
    if (words >= n) out[count++] = fmix32(rolled);
    h = FNV_OFFSET;
    inWord = false;
  }
  return count;
}

/** A surrogate code unit: whether the code point it belongs to is a word character. */
function surrogateIsWord(text: string, i: number): boolean {
  const cp = text.codePointAt(i)!;
  const at = cp > 0xffff ? i : i - 1; // a low surrogate: look at the pair it ends
  const full = at >= 0 ? text.codePointAt(at)! : cp;
  return full > 0xffff && /[\p{L}\p{N}]/u.test(String.fromCodePoint(full));
}

function charShingles(text: string, o: ShingleOptions, out: Uint32Array | Int32Array): number {
  const lower = o.lowercase ? lowercase() : undefined;
  const table = charHashes();
  const n = o.ngram;
  const outPow = rollPower(n - 1);
  let rolled = 0;
  let count = 0;
  for (let i = 0; i < text.length; i++) {
    const c = lower ? lower[text.charCodeAt(i)] : text.charCodeAt(i);
    const gone = i >= n ? (lower ? lower[text.charCodeAt(i - n)] : text.charCodeAt(i - n)) : -1;
    rolled = (Math.imul(rolled - (gone < 0 ? 0 : Math.imul(table[gone], outPow)), ROLL_BASE) + table[c]) | 0;
    if (i >= n - 1) out[count++] = fmix32(rolled);
  }
  return count;
}

/** splitmix32-style stream of 32-bit values from a seed: the permutations' a and b. */
function uniform32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    return fmix32(s) >>> 0;
  };
}

/** a_i in [1, p), b_i in [0, p), drawn (by rejection, so uniformly) from the seed. */
export function makePermutations(numPerm: number, hashBits: 16 | 32, seed: number): Permutations {
  const prime = hashBits === 32 ? PRIME_32 : PRIME_16;
  const next = uniform32(seed);
  const draw = (min: number) => {
    for (;;) {
      const x = hashBits === 32 ? next() : next() >>> 16;
      if (x >= min && x < prime) return x;
    }
  };
  const a = new Float64Array(numPerm);
  const b = new Float64Array(numPerm);
  for (let i = 0; i < numPerm; i++) {
    a[i] = draw(1);
    b[i] = draw(0);
  }
  return { a, b, prime };
}

/**
 * Makes signatures, one text at a time, reusing its buffers. Not shared between threads:
 * each task makes its own.
 */
export class MinHasher {
  readonly numPerm: number;
  private readonly kernel: MinHashKernel;
  private raw = new Int32Array(4096);
  private count = 0;
  /** A direct-mapped memory of recent hashes: drops most repeats before the kernel, in L1 */
  private readonly recentKeys = new Int32Array(RECENT);
  private readonly recentStamps = new Uint32Array(RECENT);
  private stamp = 0;

  constructor(
    private readonly o: MinHashOptions,
    kernelOptions: { simd?: boolean } = {},
  ) {
    if (!Number.isInteger(o.ngram) || o.ngram < 1) throw new Error(`ngram must be a positive integer, not ${o.ngram}`);
    this.numPerm = o.numPerm;
    this.kernel = createKernel(makePermutations(o.numPerm, o.hashBits, o.seed), kernelOptions);
  }

  get simd(): boolean {
    return this.kernel.simd;
  }

  /**
   * Writes the signature of `text` into `out` (numPerm values) and returns its number of
   * shingles, repeats included; 0 means the text has no shingle (too short) and `out` is
   * untouched.
   */
  signature(text: string, out: Uint32Array): number {
    if (this.raw.length < text.length + 2) this.raw = new Int32Array(Math.ceil(text.length * 1.25) + 2);
    const n = (this.count = shingleHashes(text, this.o, this.raw));
    if (n === 0) return 0;
    const pairs = this.kernel.reserve(n);
    this.kernel.run(this.dropRepeats(n, pairs), out);
    return n;
  }

  /** The distinct shingle hashes of the last `signature`, sorted ascending (a new array). */
  sortedShingles(): Uint32Array {
    return sortedDistinct(new Uint32Array(this.raw.buffer, 0, this.count));
  }

  /**
   * The hashes of raw[0..n) into `pairs` as (h >>> 16, h & 0xffff), less the repeats the
   * direct-mapped memory catches; returns how many. A minimum does not change when a value
   * repeats, so letting a few repeats through is harmless, while an exact set (a hash table
   * the size of the text) cost more than the repeats it saved: 2.64 → 2.00 CPU s on
   * node_modules (8.72M hashes reach the kernel instead of the 8.46M distinct ones).
   */
  private dropRepeats(n: number, pairs: Float64Array): number {
    if (++this.stamp === 0xffffffff) {
      this.recentStamps.fill(0);
      this.stamp = 1;
    }
    const { recentKeys, recentStamps, stamp, raw } = this;
    let u = 0;
    for (let j = 0; j < n; j++) {
      const h = raw[j];
      const slot = h & (RECENT - 1); // h is already mixed (fmix32): its low bits are as good as any
      if (recentStamps[slot] === stamp && recentKeys[slot] === h) continue;
      recentStamps[slot] = stamp;
      recentKeys[slot] = h;
      const v = h >>> 0;
      pairs[2 * u] = v >>> 16;
      pairs[2 * u + 1] = v & 0xffff;
      u++;
    }
    return u;
  }
}

const RECENT = 8192;

/** Sorted distinct values of `values` (sorted in place). */
function sortedDistinct(values: Uint32Array): Uint32Array {
  const sorted = values.sort();
  let u = 0;
  for (let j = 0; j < sorted.length; j++) if (j === 0 || sorted[j] !== sorted[j - 1]) sorted[u++] = sorted[j];
  return sorted.slice(0, u);
}

/** The sorted distinct shingle hashes of one text (for exact Jaccard). */
export function shingleSet(text: string, o: ShingleOptions): Uint32Array {
  const raw = new Uint32Array(text.length + 2);
  return sortedDistinct(raw.subarray(0, shingleHashes(text, o, raw)));
}

/** |A ∩ B| / |A ∪ B| of two sorted sets of distinct values (1 for two empty sets). */
export function jaccard(a: Uint32Array, b: Uint32Array): number {
  let i = 0;
  let j = 0;
  let common = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      common++;
      i++;
      j++;
    } else if (a[i] < b[j]) i++;
    else j++;
  }
  const union = a.length + b.length - common;
  return union === 0 ? 1 : common / union;
}

/** The share of equal positions of two signatures: MinHash's estimate of their Jaccard similarity. */
export function estimatedJaccard(a: Uint32Array, b: Uint32Array): number {
  let same = 0;
  for (let i = 0; i < a.length; i++) if (a[i] === b[i]) same++;
  return same / a.length;
}
