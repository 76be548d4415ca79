import { BIGRAM_BASE, bigramAt, type LicenseCorpus, type ReferenceLicense } from './corpus.js';

/**
 * The bigram side of the licence matcher (match.ts): which licences a text mostly holds, the
 * densest window of each, and that window's Dice score, trimmed at its ends where that raises it.
 *
 * Why dense bigram numbers: a text's bigrams are numbered 0..distinct-1 once (`indexText`), so the
 * sets and counts the scoring keeps per window are typed arrays indexed by that number instead of hash
 * sets of bigram keys and a binary search of a posting list per position and licence.
 * "Does licence L hold this bigram" is one bit per candidate in a mask per distinct bigram.
 */

/** A licence is a candidate when the text holds at least this share of its bigrams. */
const MIN_CONTAINMENT = 0.5;
/** Candidates scored per round: the ones with most bigrams in common (at most 31: one bit each in a mask). */
const MAX_CANDIDATES = 24;
/** A window may be this much longer than the licence (inserted notes, wrapped headers). */
const WINDOW_SLACK = 1.3;
/** Trimming moves each end of a window by at most this share of its length. */
const MAX_TRIM = 0.4;

/** A text's words as the scoring sees them. */
export interface IndexedText {
  /** word ids (corpus.ts wordIds) */
  words: Int32Array;
  /** per position i (the bigram of words i, i+1): its dense number */
  bigram: Int32Array;
  /** per dense number: the licences holding that bigram (ascending), or undefined */
  post: (Int32Array | undefined)[];
  /** 1 while position i has not been taken by a licence found earlier */
  live: Uint8Array;
}

export interface Candidate {
  index: number;
  start: number;
  end: number;
  score: number;
  /** Bigrams the window shares with the licence. */
  common: number;
  /** Distinct bigrams in the window. */
  size: number;
  /** Positions in the window holding one of the licence's bigrams. */
  hits: number[];
  /** which bigrams the licence holds: bit `bit` of `mask[dense number]` */
  holds: Holds;
}

interface Holds {
  mask: Int32Array;
  bit: number;
}

/**
 * Numbers the text's distinct bigrams in order of first occurrence. A word pair is its own key
 * in an open-addressing table (two Int32Arrays), rather than `bigramAt`'s number in a Map:
 * pairs with a word outside the licences' vocabulary have keys beyond 2^31 that a Map stores as
 * heap numbers. Only in-vocabulary pairs can have postings.
 */
export function indexText(corpus: LicenseCorpus, words: Int32Array): IndexedText {
  const n = Math.max(0, words.length - 1);
  const bigram = new Int32Array(n);
  const post: (Int32Array | undefined)[] = [];
  const bits = Math.max(4, Math.ceil(Math.log2(2 * n + 1)));
  const mask = 2 ** bits - 1;
  const keyA = new Int32Array(mask + 1);
  const keyB = new Int32Array(mask + 1);
  const number = new Int32Array(mask + 1).fill(-1);
  for (let i = 0; i < n; i++) {
    const a = words[i];
    const b = words[i + 1];
    let h = (Math.imul(a, 0x9e3779b1) ^ Math.imul(b, 0x85ebca6b)) >>> (32 - bits);
    while (number[h] !== -1 && (keyA[h] !== a || keyB[h] !== b)) h = (h + 1) & mask;
    if (number[h] === -1) {
      number[h] = post.length;
      keyA[h] = a;
      keyB[h] = b;
      post.push(a < BIGRAM_BASE && b < BIGRAM_BASE ? corpus.postings.get(bigramAt(words, i)) : undefined);
    }
    bigram[i] = number[h];
  }
  return { words, bigram, post, live: new Uint8Array(n).fill(1) };
}

/** Per licence, how many of its distinct bigrams the live positions of the text hold. */
export function sharedCounts(corpus: LicenseCorpus, text: IndexedText): Int32Array {
  const { bigram, post, live } = text;
  const shared = new Int32Array(corpus.licenses.length);
  const seen = new Uint8Array(post.length);
  for (let i = 0; i < bigram.length; i++) {
    const d = bigram[i];
    const list = post[d];
    if (!list || !live[i] || seen[d]) continue;
    seen[d] = 1;
    for (let k = 0; k < list.length; k++) shared[list[k]]++;
  }
  return shared;
}

/**
 * Licences holding at least MIN_CONTAINMENT of their bigrams among the live positions, best
 * possible Dice first (`2s / (s + |L|)` for s shared bigrams: a window holds at least those), so
 * a short licence is not crowded out by the longer ones that contain it (MIT by its variants).
 */
export function candidates(corpus: LicenseCorpus, text: IndexedText, shared = sharedCounts(corpus, text)): number[] {
  const out: number[] = [];
  for (let l = 0; l < shared.length; l++) if (shared[l] >= MIN_CONTAINMENT * corpus.licenses[l].bigramCount) out.push(l);
  const bound = (l: number) => (2 * shared[l]) / (shared[l] + corpus.licenses[l].bigramCount);
  return out.sort((a, b) => bound(b) - bound(a)).slice(0, MAX_CANDIDATES);
}

/**
 * The densest window of each licence of `indices` (undefined where it holds no live bigram), in
 * the order given. Each distinct bigram's posting list is read once, when a live position first
 * has it, into a mask of the candidates holding it (at most 24: one bit each).
 */
export function windows(corpus: LicenseCorpus, text: IndexedText, indices: number[]): (Candidate | undefined)[] {
  if (indices.length === 0) return [];
  const { bigram, post, live } = text;
  const slot = new Int8Array(corpus.licenses.length).fill(-1);
  indices.forEach((index, k) => (slot[index] = k));
  const mask = new Int32Array(post.length).fill(-1); // -1: not read yet (and never read where no position is live)
  const hits = indices.map((): number[] => []);
  for (let i = 0; i < bigram.length; i++) {
    if (!live[i]) continue;
    const d = bigram[i];
    let m = mask[d];
    if (m === -1) m = mask[d] = maskOf(post[d], slot, indices);
    for (let s = 0; m !== 0; s++, m >>>= 1) if (m & 1) hits[s].push(i);
  }
  return indices.map((index, k) => window(text, index, corpus.licenses[index], hits[k], { mask, bit: k }));
}

/** Bit k set when `list` (ascending licence indices) holds `indices[k]`. */
function maskOf(list: Int32Array | undefined, slot: Int8Array, indices: number[]): number {
  if (!list) return 0;
  let m = 0;
  if (list.length <= 8 * indices.length) {
    for (let k = 0; k < list.length; k++) {
      const s = slot[list[k]];
      if (s >= 0) m |= 1 << s;
    }
    return m;
  }
  indices.forEach((index, k) => {
    let lo = 0;
    let hi = list.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (list[mid] === index) {
        m |= 1 << k;
        break;
      }
      if (list[mid] < index) lo = mid + 1;
      else hi = mid - 1;
    }
  });
  return m;
}

/** The stretch about the licence's length holding most of its bigrams. */
function window(text: IndexedText, index: number, lic: ReferenceLicense, hits: number[], holds: Holds): Candidate | undefined {
  if (hits.length === 0) return undefined;
  const width = Math.ceil(lic.words.length * WINDOW_SLACK) + 8;
  let best = 0;
  let bestFrom = 0;
  for (let a = 0, b = 0; a < hits.length; a++) {
    while (b < hits.length && hits[b] - hits[a] <= width) b++;
    if (b - a > best) [best, bestFrom] = [b - a, a];
  }
  const inside = hits.slice(bestFrom, bestFrom + best);
  const { score, common, size } = diceOf(text, holds, lic, inside[0], inside[inside.length - 1]);
  return { index, start: inside[0], end: inside[inside.length - 1] + 2, score, common, size, hits: inside, holds };
}

/** Dice score of the live bigrams in [start, last] against the licence, and how many it shares. */
function diceOf(text: IndexedText, holds: Holds, lic: ReferenceLicense, start: number, last: number) {
  const { bigram, live } = text;
  const { mask, bit } = holds;
  const inWindow = new Uint8Array(text.post.length);
  let size = 0;
  let common = 0;
  for (let i = start; i <= last; i++) {
    const d = bigram[i];
    if (!live[i] || inWindow[d]) continue;
    inWindow[d] = 1;
    size++;
    common += (mask[d] >>> bit) & 1;
  }
  return { score: (2 * common) / (size + lic.bigramCount), common, size };
}

/**
 * The best Dice score over windows that keep one end and move the other inward, one position at
 * a time (counts per bigram make each step O(1)). Returns the new start (or last position).
 */
function bestCut(text: IndexedText, holds: Holds, lic: ReferenceLicense, start: number, last: number, fromEnd: boolean) {
  const { bigram, live } = text;
  const { mask, bit } = holds;
  const counts = new Int32Array(text.post.length);
  let size = 0;
  let common = 0;
  for (let i = start; i <= last; i++) {
    if (!live[i]) continue;
    const d = bigram[i];
    if (counts[d]++ === 0) {
      size++;
      common += (mask[d] >>> bit) & 1;
    }
  }
  let best = { at: fromEnd ? last : start, score: (2 * common) / (size + lic.bigramCount) };
  const steps = Math.floor((last - start) * MAX_TRIM);
  for (let s = 0; s < steps; s++) {
    const i = fromEnd ? last - s : start + s;
    if (!live[i]) continue;
    const d = bigram[i];
    if (--counts[d] === 0) {
      size--;
      common -= (mask[d] >>> bit) & 1;
    }
    const score = (2 * common) / (size + lic.bigramCount);
    if (score > best.score) best = { at: fromEnd ? i - 1 : i + 1, score };
  }
  return best;
}

/**
 * A window may begin or end with stray hits: a title ("The MIT License") above a sentence the
 * licence lacks, or the common phrases of a neighbouring licence in a concatenation (a
 * disclaimer beside Apache-2.0's). The start, then the end, moves inward to where the score is best.
 */
export function trimmed(text: IndexedText, lic: ReferenceLicense, c: Candidate): Candidate {
  const last = c.end - 2;
  const start = bestCut(text, c.holds, lic, c.start, last, false).at;
  const end = bestCut(text, c.holds, lic, start, last, true).at;
  if (start === c.start && end === last) return c;
  const d = diceOf(text, c.holds, lic, start, end);
  return d.score > c.score ? { ...c, start, end: end + 2, ...d } : c;
}

/**
 * How many licences with another id than the licence of `c` hold at least `share` of the bigrams
 * its window shares with that licence (of `c.common` when `ofCommon`, else of the distinct ones):
 * a part many licences hold names none of them.
 */
export function othersHolding(corpus: LicenseCorpus, text: IndexedText, c: Candidate, share: number, ofCommon = false): number {
  const counts = new Int32Array(corpus.licenses.length);
  const seen = new Set<number>();
  for (let i = c.start; i < c.end - 1; i++) {
    const d = text.bigram[i];
    if (!text.live[i] || seen.has(d) || !((c.holds.mask[d] >>> c.holds.bit) & 1)) continue;
    seen.add(d);
    for (const l of text.post[d] ?? []) counts[l]++;
  }
  const id = corpus.licenses[c.index].id;
  const needed = share * (ofCommon ? c.common : seen.size);
  let n = 0;
  counts.forEach((k, l) => {
    if (k >= needed && corpus.licenses[l].id !== id) n++;
  });
  return n;
}
