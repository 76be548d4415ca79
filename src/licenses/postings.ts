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

  /** From bigram → licence indices (each list ascending); keys must be non-negative Int32. */
  static fromLists(lists: Map<number, number[]>): Postings {
    const keys = Int32Array.from(lists.keys());
    const offsets = new Int32Array(keys.length + 1);
    let i = 0;
    for (const list of lists.values()) {
      offsets[i + 1] = offsets[i] + list.length;
      i++;
    }
    const values = new Int32Array(offsets[keys.length]);
    i = 0;
    for (const list of lists.values()) values.set(list, offsets[i++]);
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

/** Spreads the bigram keys (a·2^15 + b) over the table; Math.imul keeps it in Int32. */
function mix(key: number): number {
  const h = Math.imul(key ^ (key >>> 15), 0x2c1b3c6d);
  return (h ^ (h >>> 12)) >>> 0;
}
