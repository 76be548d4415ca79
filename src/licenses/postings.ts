/**
 * The inverted index of the licence corpus: bigram key → the licences holding it, ascending.
 * Stored flat (keys, offsets, values) with an open-addressing table over the keys, so the
 * whole index is five typed arrays: it is written to and read from the build store as bytes,
 * with no per-entry object to create or collect (a Map of 69k lists cost more to load than
 * everything else in the corpus). A list's view is made on first use and kept.
 */
export class Postings {
  private readonly views: (Int32Array | undefined)[];
  private readonly mask: number;

  constructor(
    readonly keys: Int32Array,
    readonly offsets: Int32Array,
    readonly values: Int32Array,
    /** Slot → key index + 1 (0: empty); a power of two at least twice the key count. */
    readonly table: Int32Array,
  ) {
    this.views = new Array<Int32Array | undefined>(keys.length);
    this.mask = table.length - 1;
  }

  get size(): number {
    return this.keys.length;
  }

  get(key: number): Int32Array | undefined {
    for (let slot = mix(key) & this.mask; ; slot = (slot + 1) & this.mask) {
      const at = this.table[slot];
      if (at === 0) return undefined;
      if (this.keys[at - 1] === key) {
        const i = at - 1;
        return (this.views[i] ??= this.values.subarray(this.offsets[i], this.offsets[i + 1]));
      }
    }
  }

  /**
   * From each licence's distinct bigram keys (non-negative Int32; licence = array index). One
   * sort over (key, licence) pairs instead of a Map of growing lists: building the SPDX index
   * is a first run's main cost, and the Map's 69k arrays were a third of it with their GC.
   */
  static fromLicenceBigrams(bigrams: readonly Int32Array[]): Postings {
    if (bigrams.length > LICENCE_SPAN) throw new RangeError(`over ${LICENCE_SPAN} licences`);
    let total = 0;
    for (const b of bigrams) total += b.length;
    const pairs = new Float64Array(total);
    let n = 0;
    for (let licence = 0; licence < bigrams.length; licence++) {
      for (const key of bigrams[licence]) {
        if (key < 0) throw new RangeError(`negative bigram key ${key}`);
        pairs[n++] = key * LICENCE_SPAN + licence;
      }
    }
    pairs.sort();
    // one pass over the sorted pairs: a key starts a list where it differs from the one before
    const values = new Int32Array(total);
    const allKeys = new Int32Array(total);
    const allOffsets = new Int32Array(total + 1);
    let last = -1;
    for (let i = 0; i < total; i++) {
      const key = Math.floor(pairs[i] / LICENCE_SPAN);
      values[i] = pairs[i] - key * LICENCE_SPAN;
      if (last < 0 || allKeys[last] !== key) allKeys[++last] = key;
      allOffsets[last + 1] = i + 1;
    }
    const keys = allKeys.slice(0, last + 1);
    const offsets = allOffsets.slice(0, last + 2);
    let size = 2;
    while (size < keys.length * 2) size *= 2;
    const table = new Int32Array(size);
    for (let k = 0; k < keys.length; k++) {
      let slot = mix(keys[k]) & (size - 1);
      while (table[slot] !== 0) slot = (slot + 1) & (size - 1);
      table[slot] = k + 1;
    }
    return new Postings(keys, offsets, values, table);
  }
}

/** Licence indices packed under a key in one float64 (keys < 2^31, so key·2^20 + licence < 2^53). */
const LICENCE_SPAN = 2 ** 20;

/** Spreads the bigram keys (a·2^15 + b) over the table; Math.imul keeps it in Int32. */
function mix(key: number): number {
  const h = Math.imul(key ^ (key >>> 15), 0x2c1b3c6d);
  return (h ^ (h >>> 12)) >>> 0;
}
