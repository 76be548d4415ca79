import { fmix32 } from '../minhash.js';

/**
 * Node ids and the hash tables the near-dedup rounds group them with. A node is one observed
 * record: rank·2^32 + its index among the records that rank observed, an integer below 2^53,
 * so it travels exactly as a float64. Tables are open-addressing over typed arrays: no object
 * per entry, memory known in advance (what the rounds plan their budget by).
 */

export const NODE_RANK_SPAN = 2 ** 32;

export function nodeId(rank: number, local: number): number {
  return rank * NODE_RANK_SPAN + local;
}

/** The rank that observed a node (and applies the decision about it). */
export function nodeRank(node: number): number {
  return Math.floor(node / NODE_RANK_SPAN);
}

export function nodeLocal(node: number): number {
  return node % NODE_RANK_SPAN;
}

/** A 32-bit hash of a node id; `salt` makes independent hashes (routing vs spilling). */
export function hashNode(node: number, salt = 0): number {
  const hi = Math.floor(node / NODE_RANK_SPAN);
  return fmix32((node >>> 0) ^ fmix32(hi + Math.imul(salt + 1, 0x9e3779b1))) >>> 0;
}

/** The rank whose reduce task owns a node: every record keyed by it goes there. */
export function ownerOf(node: number, worldSize: number): number {
  return hashNode(node) % worldSize;
}

function capacityFor(entries: number): number {
  return 1 << Math.max(4, Math.ceil(Math.log2(Math.max(1, entries) * 2)));
}

/**
 * Maps float64 keys (node ids) to dense indices 0, 1, 2, … in first-seen order. Bytes per
 * entry at most BYTES_PER_NODE (a table of up to 4 slots per entry, as capacityFor rounds up).
 */
export class NodeIndex {
  static readonly BYTES_PER_NODE = 4 * (8 + 4) + 8;
  private readonly keys: Float64Array;
  private readonly slots: Int32Array;
  readonly ids: Float64Array;
  size = 0;
  private readonly mask: number;

  constructor(maxEntries: number) {
    const cap = capacityFor(maxEntries);
    this.keys = new Float64Array(cap);
    this.slots = new Int32Array(cap).fill(-1);
    this.ids = new Float64Array(Math.max(1, maxEntries));
    this.mask = cap - 1;
  }

  /** The dense index of `key`, added if new. */
  index(key: number): number {
    let s = hashNode(key, 7) & this.mask;
    for (;;) {
      const at = this.slots[s];
      if (at < 0) {
        if (this.size >= this.ids.length) throw new Error(`NodeIndex: more than ${this.ids.length} keys`);
        this.slots[s] = this.size;
        this.keys[s] = key;
        this.ids[this.size] = key;
        return this.size++;
      }
      if (this.keys[s] === key) return at;
      s = (s + 1) & this.mask;
    }
  }
}

/** Maps pairs of float64 keys to dense indices in first-seen order. Bytes per entry at most BYTES_PER_PAIR. */
export class PairIndex {
  static readonly BYTES_PER_PAIR = 4 * (16 + 4);
  private readonly a: Float64Array;
  private readonly b: Float64Array;
  private readonly slots: Int32Array;
  size = 0;
  private readonly mask: number;

  constructor(private readonly maxEntries: number) {
    const cap = capacityFor(maxEntries);
    this.a = new Float64Array(cap);
    this.b = new Float64Array(cap);
    this.slots = new Int32Array(cap).fill(-1);
    this.mask = cap - 1;
  }

  /** [index, whether it is new] for the pair (x, y), packed as index·2 + (new ? 1 : 0). */
  add(x: number, y: number): number {
    let s = (hashNode(x, 11) ^ Math.imul(hashNode(y, 13), 0x27d4eb2d)) & this.mask;
    for (;;) {
      const at = this.slots[s];
      if (at < 0) {
        if (this.size >= this.maxEntries) throw new Error(`PairIndex: more than ${this.maxEntries} pairs`);
        this.slots[s] = this.size;
        this.a[s] = x;
        this.b[s] = y;
        return this.size++ * 2 + 1;
      }
      if (this.a[s] === x && this.b[s] === y) return at * 2;
      s = (s + 1) & this.mask;
    }
  }
}
