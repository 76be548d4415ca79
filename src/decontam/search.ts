import { lowerTable, spaceTable, type WhitespaceRule } from './normalize.js';

/**
 * Does a text, normalised on the fly (normalize.ts), contain any of a set of normalised
 * patterns, and which one starts first. Every pattern is at least `anchor` characters long and
 * is found through its first `anchor` characters: a rolling hash of the last `anchor`
 * normalised characters is kept while the text is read, a bit table says whether some anchor
 * may have that hash, and only there are the candidates (the patterns whose anchor has that
 * hash, in id order) compared letter by letter, anchor and rest.
 *
 * Why a rolling hash rather than Aho-Corasick: all anchors have one length, so "which anchors
 * end here" is one hash lookup, the same few operations per character whatever the text. An
 * automaton over thousands of 50-character anchors of real code has 10^5 nodes, mostly with one
 * child: on code that shares prefixes with the items (the usual case) the walk follows failure
 * links through those nodes on most characters, and a dense table for every node would take
 * nodes × alphabet × 4 bytes. The hash cost 0.6 s of CPU where the automaton took 3.2 s on
 * node_modules (179 MB) against 4,296 items; both answer the same (the check script
 * bench/code-stages-check.ts and test/decontam compare them with `indexOf`).
 *
 * Why MetaCLIP's automaton does not fit: it walks a trie only from positions where a key starts
 * (every key begins with a space); a benchmark item starts anywhere.
 *
 * Letters: the alphabet is the code units occurring in patterns, numbered 1, 2, ...; `codeOf`
 * maps every code unit, lower-cased, to its letter (0: in no pattern, so no window holding it
 * matches) or to WS.
 */

const WS = 0xffff;
/** Hash multiplier: odd, so the hash of a window is a polynomial mod 2^32 whose top bits mix every letter. */
const B = 0x9e3779b1;

export class SubstringSearch {
  private readonly codeOf: Uint16Array;
  private readonly spaceCode: number;
  private readonly collapse: boolean;
  /** B^(anchor-1) mod 2^32: the weight of the letter leaving the window */
  private readonly outWeight: number;
  /** one bit per hash prefix: set where some anchor's hash has it */
  private readonly bits: Int32Array;
  private readonly shift: number;
  /** anchor hash → the smallest pattern id with that hash */
  private readonly firstOf = new Map<number, number>();
  /** per pattern: the next larger id whose anchor has the same hash, or -1 */
  private readonly nextSame: Int32Array;
  /** letters of every pattern, back to back */
  private readonly letters: Uint16Array;
  private readonly start: Int32Array;
  /** the last `anchor` letters read (ring buffer, a power of two long) */
  private readonly ring: Uint16Array;
  readonly anchor: number;
  /** distinct anchor hashes */
  readonly anchors: number;

  /**
   * `patterns` must already be normalised under `rule` and non-empty; ids are their indices.
   * `anchor`: how many leading characters are hashed (at most the shortest pattern).
   */
  constructor(patterns: readonly string[], rule: WhitespaceRule, anchor = Infinity) {
    this.collapse = rule === 'collapse';
    const letterOf = alphabetOf(patterns);
    this.codeOf = codeTable(letterOf);
    this.spaceCode = letterOf[32];
    let shortest = anchor;
    for (const p of patterns) shortest = Math.min(shortest, p.length);
    this.anchor = patterns.length === 0 ? 1 : Math.max(1, shortest);
    this.outWeight = power(B, this.anchor - 1);
    this.ring = new Uint16Array(2 ** Math.ceil(Math.log2(this.anchor)));
    this.start = new Int32Array(patterns.length + 1);
    patterns.forEach((p, i) => (this.start[i + 1] = this.start[i] + p.length));
    this.letters = new Uint16Array(this.start[patterns.length]);
    patterns.forEach((p, i) => {
      for (let k = 0; k < p.length; k++) this.letters[this.start[i] + k] = letterOf[p.charCodeAt(k)];
    });
    // about 64 bits per anchor: a window that is no anchor passes the bit test 1.5 % of the time
    const log2 = Math.min(26, Math.max(10, Math.ceil(Math.log2(patterns.length * 64 + 1))));
    this.shift = 32 - log2;
    this.bits = new Int32Array(2 ** (log2 - 5));
    this.nextSame = new Int32Array(patterns.length).fill(-1);
    const lastOf = new Map<number, number>();
    for (let id = 0; id < patterns.length; id++) {
      const h = this.hashOf(id);
      const last = lastOf.get(h);
      if (last === undefined) this.firstOf.set(h, id);
      else this.nextSame[last] = id;
      lastOf.set(h, id);
      const b = h >>> this.shift;
      this.bits[b >>> 5] |= 1 << (b & 31);
    }
    this.anchors = this.firstOf.size;
  }

  /** The rolling hash of pattern `id`'s anchor, as `firstMatch` computes it for a window. */
  private hashOf(id: number): number {
    let h = 0;
    for (let k = 0; k < this.anchor; k++) h = (Math.imul(h, B) + this.letters[this.start[id] + k]) | 0;
    return h;
  }

  /** Id of the pattern the normalised `text` contains that starts first (ties: smallest id), or -1. */
  firstMatch(text: string): number {
    const { codeOf, collapse, spaceCode, outWeight, bits, shift, ring, anchor } = this;
    const mask = ring.length - 1;
    ring.fill(0);
    let h = 0;
    let n = 0;
    let prevSpace = false;
    for (let i = 0; i < text.length; i++) {
      let c = codeOf[text.charCodeAt(i)];
      if (c === WS) {
        if (!collapse || prevSpace) continue;
        prevSpace = true;
        c = spaceCode;
      } else prevSpace = false;
      // the letter `anchor` places back leaves the window (0 while fewer have been read)
      const out = ring[(n - anchor) & mask];
      ring[n & mask] = c;
      h = (Math.imul(h - Math.imul(out, outWeight), B) + c) | 0;
      n++;
      if (n < anchor) continue;
      const b = h >>> shift;
      if ((bits[b >>> 5] & (1 << (b & 31))) === 0) continue;
      const id = this.matchHere(h, n, text, i + 1, prevSpace);
      if (id >= 0) return id;
    }
    return -1;
  }

  /** The smallest id whose anchor has hash `h`, equals the last `anchor` letters and whose rest follows from `from`; or -1. */
  private matchHere(h: number, n: number, text: string, from: number, prevSpace: boolean): number {
    const first = this.firstOf.get(h);
    if (first === undefined) return -1;
    const { ring, letters, start, anchor } = this;
    const mask = ring.length - 1;
    for (let id = first; id >= 0; id = this.nextSame[id]) {
      const s = start[id];
      let k = 0;
      while (k < anchor && ring[(n - anchor + k) & mask] === letters[s + k]) k++;
      if (k === anchor && this.restFollows(text, from, s + anchor, start[id + 1], prevSpace)) return id;
    }
    return -1;
  }

  /** Whether the letters `letters[k..end)` follow in `text` from `from` on. */
  private restFollows(text: string, from: number, k: number, end: number, prevSpace: boolean): boolean {
    const { codeOf, letters } = this;
    for (let j = from; k < end; j++) {
      if (j >= text.length) return false;
      let c = codeOf[text.charCodeAt(j)];
      if (c === WS) {
        if (!this.collapse || prevSpace) continue;
        prevSpace = true;
        c = this.spaceCode;
      } else prevSpace = false;
      if (c !== letters[k++]) return false;
    }
    return true;
  }
}

/** `base`^`e` mod 2^32. */
function power(base: number, e: number): number {
  let r = 1;
  for (let k = 0; k < e; k++) r = Math.imul(r, base);
  return r;
}

/** Code unit → letter (1, 2, ... in code unit order; 0: in no pattern). */
function alphabetOf(patterns: readonly string[]): Uint16Array {
  const letterOf = new Uint16Array(65536);
  for (const p of patterns) {
    if (p.length === 0) throw new RangeError('empty pattern: it would match every text');
    for (let i = 0; i < p.length; i++) letterOf[p.charCodeAt(i)] = 1;
  }
  let letters = 1;
  for (let u = 0; u < 65536; u++) if (letterOf[u]) letterOf[u] = letters++;
  return letterOf;
}

/** Code unit → letter of its lower-case form (0: in no pattern), whitespace → WS. */
function codeTable(letterOf: Uint16Array): Uint16Array {
  const lo = lowerTable();
  const sp = spaceTable();
  const table = new Uint16Array(65536);
  for (let u = 0; u < 65536; u++) table[u] = sp[u] ? WS : letterOf[lo[u]];
  return table;
}
