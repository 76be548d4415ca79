/**
 * Merge ranks keyed by the pair of token ids, in an open-addressing table of typed arrays: the
 * BPE inner loop asks for the rank of every adjacent pair, so this is the hottest lookup.
 * Key = left × VOCAB_SIZE + right (< 2^32); value = rank, or NO_RANK when the pair never merges.
 */
import { type ClipMerges, VOCAB_SIZE } from './vocab.js';

export const NO_RANK = 0x7fffffff;
const EMPTY = 0xffffffff;

export class PairRanks {
  private readonly keys: Uint32Array;
  private readonly ranks: Int32Array;
  private readonly shift: number;
  private readonly mask: number;

  constructor(merges: ClipMerges) {
    const n = merges.left.length;
    let bits = 4;
    while (1 << bits < n * 3) bits++; // load ≤ 1/3: short probes
    this.shift = 32 - bits;
    this.mask = (1 << bits) - 1;
    this.keys = new Uint32Array(1 << bits).fill(EMPTY);
    this.ranks = new Int32Array(1 << bits);
    for (let r = 0; r < n; r++) {
      const key = merges.left[r] * VOCAB_SIZE + merges.right[r];
      let slot = Math.imul(key, 0x9e3779b1) >>> this.shift;
      while (this.keys[slot] !== EMPTY) slot = (slot + 1) & this.mask;
      this.keys[slot] = key;
      this.ranks[slot] = r;
    }
  }

  /** Rank of merging tokens a then b, or NO_RANK. */
  rank(a: number, b: number): number {
    const key = a * VOCAB_SIZE + b;
    const keys = this.keys;
    let slot = Math.imul(key, 0x9e3779b1) >>> this.shift;
    for (;;) {
      const k = keys[slot];
      if (k === key) return this.ranks[slot];
      if (k === EMPTY) return NO_RANK;
      slot = (slot + 1) & this.mask;
    }
  }
}
