/**
 * Lays a plain trie out as a double array: node s with base b has its child on code c at slot
 * b + c, and that slot's check holds s's slot. First-fit placement in depth-first order (a
 * word's nodes end up near each other). Unbranched suffixes become tails.
 */

import type { PlainTrie } from './trie-build.js';

export interface PlacedTables {
  trie: Int32Array;
  slotEntry: Int32Array;
  tailCodes: Uint16Array;
  tailStart: Int32Array;
  tailEntry: Int32Array;
}

/**
 * Anchor candidates for nodes with several children are free slots that have not yet failed as
 * the slot of a node's smallest child code this many times. The limit keeps the search from
 * rescanning a crowded region for every node (with an 8,000-character alphabet it otherwise
 * takes minutes).
 */
const MAX_TRIALS = 16;

/** The growing base/check arrays and the first-fit search for free bases. */
class SlotSpace {
  capacity: number;
  base: Int32Array;
  check: Int32Array;
  private used: Uint8Array;
  private trials: Uint8Array;
  /** "next candidate at or after i", a union-find with path halving that skips used and exhausted slots */
  private anchorNext: Int32Array;
  /** lowest slot that may be free */
  private firstFree = 2;

  constructor(
    nodes: number,
    private readonly alphabet: number,
  ) {
    this.capacity = Math.max(1024, Math.ceil(nodes * 0.5) + alphabet + 2);
    this.base = new Int32Array(this.capacity);
    this.check = new Int32Array(this.capacity).fill(-1);
    this.used = new Uint8Array(this.capacity);
    this.trials = new Uint8Array(this.capacity);
    this.anchorNext = new Int32Array(this.capacity);
    for (let i = 0; i < this.capacity; i++) this.anchorNext[i] = i;
    // Slot 0 is the root; slot 1 can never be a child (base >= 1 and code >= 1), so mark it
    // used or the first-fit scan would start from it forever.
    this.markUsed(0);
    this.markUsed(1);
  }

  grow(need: number): void {
    if (need < this.capacity) return;
    let next = this.capacity * 2;
    while (next <= need) next *= 2;
    const widen = <T extends Int32Array | Uint8Array>(a: T, fill: number): T => {
      const b = new (a.constructor as new (n: number) => T)(next);
      if (fill !== 0) b.fill(fill);
      b.set(a as never);
      return b;
    };
    this.base = widen(this.base, 0);
    this.check = widen(this.check, -1);
    this.used = widen(this.used, 0);
    this.trials = widen(this.trials, 0);
    this.anchorNext = widen(this.anchorNext, 0);
    for (let i = this.capacity; i < next; i++) this.anchorNext[i] = i;
    this.capacity = next;
  }

  markUsed(slot: number): void {
    this.used[slot] = 1;
    this.anchorNext[slot] = slot + 1;
  }

  private nextAnchor(i: number): number {
    for (;;) {
      this.grow(i + this.alphabet + 1);
      const n = this.anchorNext[i];
      if (n === i) return i;
      this.anchorNext[i] = this.anchorNext[n];
      i = n;
    }
  }

  /** A base for a node with one child (most nodes): the lowest free slot, keeping the array dense. */
  baseForOne(code: number): number {
    while (this.used[this.firstFree]) this.firstFree++;
    // (a child with a large code cannot use the low slots: take a candidate beyond them)
    return (this.firstFree > code ? this.firstFree : this.nextAnchor(code + 1)) - code;
  }

  /**
   * A base for a node with several children: first fit over the anchor candidates; the
   * smallest child goes to a candidate slot, and the base is taken when every other child's
   * slot is free too.
   */
  baseForMany(childCodes: readonly number[], minCode: number): number {
    let pos = this.nextAnchor(minCode + 1);
    for (;;) {
      const b = pos - minCode;
      let ok = true;
      for (let j = 0; j < childCodes.length; j++) {
        if (this.used[b + childCodes[j]]) {
          ok = false;
          break;
        }
      }
      if (ok) return b;
      if (++this.trials[pos] >= MAX_TRIALS) this.anchorNext[pos] = pos + 1;
      pos = this.nextAnchor(pos + 1);
    }
  }
}

/** Unbranched key suffixes stored as runs of codes instead of trie nodes. */
class TailStore {
  /** tails take at most one code per node */
  readonly codes: Uint16Array;
  length = 0;
  readonly start: number[] = [0];
  readonly entry: number[] = [];
  /** slot[k]: the slot of the node that holds tail k */
  readonly slot: number[] = [];

  constructor(nodes: number) {
    this.codes = new Uint16Array(nodes);
  }

  /** Store the path below `node` (which sits at `slot`) as one tail. */
  add(trie: PlainTrie, node: number, slot: number): void {
    let n = trie.firstChild[node];
    for (;;) {
      this.codes[this.length++] = trie.code[n];
      const next = trie.firstChild[n];
      if (next < 0) break;
      n = next;
    }
    this.slot.push(slot);
    this.entry.push(trie.entry[n]);
    this.start.push(this.length);
  }
}

/**
 * isTail[n]: below n (n included) there is one unbranched path ending at the only key end. A
 * child's id is always larger than its parent's, so one backward pass settles it.
 */
function markTails(trie: PlainTrie): Uint8Array {
  const { nodes, firstChild, nextSibling, entry } = trie;
  const isTail = new Uint8Array(nodes);
  for (let n = nodes - 1; n > 0; n--) {
    const c = firstChild[n];
    if (c < 0) isTail[n] = entry[n] >= 0 ? 1 : 0;
    else isTail[n] = entry[n] < 0 && nextSibling[c] < 0 && isTail[c] ? 1 : 0;
  }
  return isTail;
}

export function placeDoubleArray(trie: PlainTrie, alphabet: number): PlacedTables {
  const { nodes, firstChild, nextSibling, code, entry } = trie;
  const isTail = markTails(trie);
  const space = new SlotSpace(nodes, alphabet);
  const tails = new TailStore(nodes);
  const slotOf = new Int32Array(nodes);
  let maxSlot = 0;
  const childCodes: number[] = [];
  const children: number[] = [];
  const stack: number[] = [0];
  while (stack.length > 0) {
    const node = stack.pop() as number;
    const slot = slotOf[node];
    if (node !== 0 && entry[node] < 0 && isTail[node]) {
      // the path below becomes a tail; its nodes get no slots
      tails.add(trie, node, slot);
      space.base[slot] = 0;
      continue;
    }
    childCodes.length = 0;
    children.length = 0;
    let minCode = Infinity;
    for (let c = firstChild[node]; c >= 0; c = nextSibling[c]) {
      childCodes.push(code[c]);
      children.push(c);
      if (code[c] < minCode) minCode = code[c];
    }
    // leaves: any base >= 1 works, every lookup from them fails its check
    const b = childCodes.length === 0 ? 1 : childCodes.length === 1 ? space.baseForOne(minCode) : space.baseForMany(childCodes, minCode);
    for (const c of children) {
      const childSlot = b + code[c];
      space.markUsed(childSlot);
      space.check[childSlot] = slot;
      slotOf[c] = childSlot;
      if (childSlot > maxSlot) maxSlot = childSlot;
    }
    for (let j = children.length - 1; j >= 0; j--) stack.push(children[j]);
    space.base[slot] = entry[node] >= 0 ? -b : b;
  }
  return finishTables(space, trie, slotOf, maxSlot, alphabet, tails);
}

/** Interleave base/check into the final array, sized so every lookup stays in bounds. */
function finishTables(space: SlotSpace, trie: PlainTrie, slotOf: Int32Array, maxSlot: number, alphabet: number, tails: TailStore): PlacedTables {
  // Every lookup reads slot base + code with base up to the largest base and code up to the
  // alphabet size, so keep that many slots.
  let maxBase = 1;
  for (let s = 0; s <= maxSlot; s++) {
    const b = Math.abs(space.base[s]);
    if (space.check[s] !== -1 || s === 0) if (b > maxBase) maxBase = b;
  }
  const slots = Math.max(maxSlot + 1, maxBase + alphabet + 1);
  space.grow(slots);
  const { base, check } = space;
  const out = new Int32Array(2 * slots);
  const slotEntry = new Int32Array(slots).fill(-1);
  for (let s = 0; s < slots; s++) {
    out[2 * s] = base[s];
    out[2 * s + 1] = check[s];
  }
  for (let node = 0; node < trie.nodes; node++) {
    if (trie.entry[node] >= 0 && (node === 0 || check[slotOf[node]] !== -1)) slotEntry[slotOf[node]] = trie.entry[node];
  }
  for (let k = 0; k < tails.slot.length; k++) slotEntry[tails.slot[k]] = k;
  return {
    trie: out,
    slotEntry,
    tailCodes: tails.codes.slice(0, tails.length),
    tailStart: Int32Array.from(tails.start),
    tailEntry: Int32Array.from(tails.entry),
  };
}
