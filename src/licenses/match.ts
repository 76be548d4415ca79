import { bigramAt, loadCorpus, wordIds, type LicenseCorpus, type ReferenceLicense } from './corpus.js';
import { templateScore } from './diff.js';
import { licenseWords } from './normalize.js';

/**
 * Finds full licence texts in a text: exact and near matches by Sørensen–Dice similarity over
 * word bigrams, `2·|A∩B| / (|A| + |B|)` with A the distinct bigrams of a stretch of the text and
 * B those of a reference licence, and several licences in one text (LICENSE files that
 * concatenate MIT and Apache-2.0, a README with a licence at its end).
 *
 * Segmentation: the inverted index counts, for every licence, how many of its bigrams the text
 * holds (containment). For the licences that mostly occur (≥ MIN_CONTAINMENT), the densest
 * stretch of the text about the licence's length is taken as its window (trimmed at gaps when
 * that raises the score), and the window's Dice score against the licence decides. Among the
 * windows at or above the threshold, the best score is a match, unless another shares clearly
 * more bigrams with its licence (a licence present in full beats a shorter one it contains); its words
 * are taken out and the search repeats on the rest, so each licence of a concatenation is found
 * in its own window and a licence is never matched twice on the same words.
 */

export interface TextMatch {
  /** SPDX id (or `X WITH exception` for texts that include an exception). */
  id: string;
  /** Dice score of the window against the licence, 0..1. */
  score: number;
  /** `exact`: the window's words are the licence's words; `dice`: a near match. */
  method: 'exact' | 'dice';
  /** Window in normalised words: [start, end). */
  start: number;
  end: number;
}

export interface MatchOptions {
  /** Dice score a window needs to count as the licence (default DEFAULT_THRESHOLD). */
  threshold?: number;
  /** Most licences reported for one text. */
  maxLicenses?: number;
}

/** Near-match threshold, tuned on the tuning half of the labelled texts (bench/accuracy/license.ts). */
export const DEFAULT_THRESHOLD = 0.88;
/** A licence is a candidate when the text holds at least this share of its bigrams. */
const MIN_CONTAINMENT = 0.5;
/** Candidates scored per round: the ones with most bigrams in common. */
const MAX_CANDIDATES = 24;
/** A window explains clearly more of the text when it shares this many times the bigrams. */
const MORE_TEXT = 1.1;
/** Candidates whose windows are trimmed and compared, best untrimmed scores first. */
const REFINED = 4;
/** A window may be this much longer than the licence (inserted notes, wrapped headers). */
const WINDOW_SLACK = 1.3;

interface Candidate {
  index: number;
  start: number;
  end: number;
  score: number;
  /** Bigrams the window shares with the licence. */
  common: number;
  /** Positions in the window holding one of the licence's bigrams. */
  hits: number[];
}

/** The licences holding each bigram of the text (undefined: none), position by position. */
function postingsOf(corpus: LicenseCorpus, words: Int32Array): (Int32Array | undefined)[] {
  const out = new Array<Int32Array | undefined>(Math.max(0, words.length - 1));
  for (let i = 0; i + 1 < words.length; i++) out[i] = corpus.postings.get(bigramAt(words, i));
  return out;
}

function holds(list: Int32Array | undefined, index: number): boolean {
  if (!list) return false;
  let lo = 0;
  let hi = list.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid] === index) return true;
    if (list[mid] < index) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}

/**
 * Licences holding at least MIN_CONTAINMENT of their bigrams among the live positions, best
 * possible Dice first (`2s / (s + |L|)` for s shared bigrams: a window holds at least those), so
 * a short licence is not crowded out by the longer ones that contain it (MIT by its variants).
 */
function candidates(corpus: LicenseCorpus, words: Int32Array, post: (Int32Array | undefined)[], live: Uint8Array): number[] {
  const shared = new Int32Array(corpus.licenses.length);
  const seen = new Set<number>();
  for (let i = 0; i < post.length; i++) {
    const list = post[i];
    if (!list || !live[i]) continue;
    const b = bigramAt(words, i);
    if (seen.has(b)) continue;
    seen.add(b);
    for (let k = 0; k < list.length; k++) shared[list[k]]++;
  }
  const out: number[] = [];
  for (let l = 0; l < shared.length; l++) if (shared[l] >= MIN_CONTAINMENT * corpus.licenses[l].bigramCount) out.push(l);
  const bound = (l: number) => (2 * shared[l]) / (shared[l] + corpus.licenses[l].bigramCount);
  return out.sort((a, b) => bound(b) - bound(a)).slice(0, MAX_CANDIDATES);
}

/** Dice score of the live bigrams in [start, last] against licence `index`, and how many it shares. */
function diceOf(words: Int32Array, post: (Int32Array | undefined)[], live: Uint8Array, index: number, lic: ReferenceLicense, start: number, last: number) {
  const inWindow = new Set<number>();
  let common = 0;
  for (let i = start; i <= last; i++) {
    if (!live[i]) continue;
    const b = bigramAt(words, i);
    if (inWindow.has(b)) continue;
    inWindow.add(b);
    if (holds(post[i], index)) common++;
  }
  return { score: (2 * common) / (inWindow.size + lic.bigramCount), common };
}

/** The stretch about the licence's length holding most of its bigrams, with its hits. */
function window(words: Int32Array, post: (Int32Array | undefined)[], live: Uint8Array, index: number, lic: ReferenceLicense): Candidate | undefined {
  const hits: number[] = [];
  for (let i = 0; i < post.length; i++) if (live[i] && holds(post[i], index)) hits.push(i);
  if (hits.length === 0) return undefined;
  const width = Math.ceil(lic.words.length * WINDOW_SLACK) + 8;
  let best = 0;
  let bestFrom = 0;
  for (let a = 0, b = 0; a < hits.length; a++) {
    while (b < hits.length && hits[b] - hits[a] <= width) b++;
    if (b - a > best) [best, bestFrom] = [b - a, a];
  }
  const inside = hits.slice(bestFrom, bestFrom + best);
  const { score, common } = diceOf(words, post, live, index, lic, inside[0], inside[inside.length - 1]);
  return { index, start: inside[0], end: inside[inside.length - 1] + 2, score, common, hits: inside };
}

/** Trimming moves each end of a window by at most this share of its length. */
const MAX_TRIM = 0.4;

/**
 * The best Dice score over windows that keep one end and move the other inward, one position at
 * a time (counts per bigram make each step O(1)). Returns the new start (or last position).
 */
function bestCut(words: Int32Array, post: (Int32Array | undefined)[], live: Uint8Array, index: number, lic: ReferenceLicense, start: number, last: number, fromEnd: boolean) {
  const counts = new Map<number, number>();
  let common = 0;
  for (let i = start; i <= last; i++) {
    if (!live[i]) continue;
    const b = bigramAt(words, i);
    const n = counts.get(b) ?? 0;
    counts.set(b, n + 1);
    if (n === 0 && holds(post[i], index)) common++;
  }
  let best = { at: fromEnd ? last : start, score: (2 * common) / (counts.size + lic.bigramCount) };
  const steps = Math.floor((last - start) * MAX_TRIM);
  for (let s = 0; s < steps; s++) {
    const i = fromEnd ? last - s : start + s;
    if (!live[i]) continue;
    const b = bigramAt(words, i);
    const n = counts.get(b)!;
    if (n === 1) {
      counts.delete(b);
      if (holds(post[i], index)) common--;
    } else counts.set(b, n - 1);
    const score = (2 * common) / (counts.size + lic.bigramCount);
    if (score > best.score) best = { at: fromEnd ? i - 1 : i + 1, score };
  }
  return best;
}

/**
 * A window may begin or end with stray hits: a title ("The MIT License") above a sentence the
 * licence lacks, or the common phrases of a neighbouring licence in a concatenation (a
 * disclaimer beside Apache-2.0's). The start, then the end, moves inward to where the score is best.
 */
function trimmed(words: Int32Array, post: (Int32Array | undefined)[], live: Uint8Array, lic: ReferenceLicense, c: Candidate): Candidate {
  const last = c.end - 2;
  const start = bestCut(words, post, live, c.index, lic, c.start, last, false).at;
  const end = bestCut(words, post, live, c.index, lic, start, last, true).at;
  if (start === c.start && end === last) return c;
  const d = diceOf(words, post, live, c.index, lic, start, end);
  return d.score > c.score ? { ...c, start, end: end + 2, ...d } : c;
}

/** Windows scoring below this by bigrams are too far from the licence to be a copy of it. */
const TEMPLATE_FLOOR = 0.7;

/**
 * A near window's score also by word diff, where a short stretch replaced by another (a holder's
 * name where the licence has "the copyright holder") costs little (see diff.ts): the better of
 * the two counts, so a copy with its names filled in reaches its licence, and beats a relative
 * that happens to share the names but differs by a clause.
 */
function withTemplateScore(words: Int32Array, lic: ReferenceLicense, c: Candidate): Candidate {
  if (c.score < TEMPLATE_FLOOR || c.score >= 1) return c;
  const score = templateScore(lic.words, words, c.start, c.end);
  return score !== null && score > c.score ? { ...c, score } : c;
}

/** Windows this close by bigrams are told apart by their template scores. */
const CLOSE = 0.03;
/**
 * Only short licences (in words) are: their variables (holder names) are a good share of their
 * words, while a long licence's relatives differ by paragraphs that a word diff would take for
 * replaced names (Pixar's added paragraph against Apache-2.0's appendix).
 */
const SHORT_LICENSE = 600;

/**
 * Relatives near the best by bigrams (BSD-3-Clause, and a variant whose text words its holder
 * "the author" as a copy with its name filled in may) are rescored by word diff, so the one
 * that differs from the copy only by names beats the one that differs by a clause.
 */
function closeRelatives(words: Int32Array, corpus: LicenseCorpus, windows: Candidate[]): Candidate[] {
  const best = Math.max(...windows.map((c) => c.score));
  if (best >= 1) return windows;
  const close = windows.filter((c) => c.score >= best - CLOSE && corpus.licenses[c.index].words.length <= SHORT_LICENSE);
  if (close.length < 2) return windows;
  const rescored = close.map((c) => {
    const score = templateScore(corpus.licenses[c.index].words, words, c.start, c.end);
    return score === null ? c : { ...c, score };
  });
  return [...rescored, ...windows.filter((c) => !close.includes(c))];
}

function isExact(words: Int32Array, c: Candidate, lic: ReferenceLicense): boolean {
  if (c.end - c.start !== lic.words.length) return false;
  for (let i = 0; i < lic.words.length; i++) if (words[c.start + i] !== lic.words[i]) return false;
  return true;
}

/** Every licence text found in `words` (normalised words), in text order. */
export function matchWords(words: string[], options: MatchOptions = {}, corpus: LicenseCorpus = loadCorpus()): TextMatch[] {
  const threshold = options.threshold ?? DEFAULT_THRESHOLD;
  const ids = wordIds(words, corpus.vocabulary, new Map());
  const post = postingsOf(corpus, ids);
  const live = new Uint8Array(post.length).fill(1);
  const found: TextMatch[] = [];
  while (found.length < (options.maxLicenses ?? 8)) {
    const windows = candidates(corpus, ids, post, live)
      .map((index) => window(ids, post, live, index, corpus.licenses[index]))
      .filter((c): c is Candidate => c !== undefined)
      .sort((a, b) => b.score - a.score)
      .slice(0, REFINED)
      .map((c) => trimmed(ids, post, live, corpus.licenses[c.index], c));
    let passing = windows.filter((c) => c.score >= threshold);
    // none is near enough by bigrams: a copy with its names filled in may still be (see diff.ts)
    if (passing.length === 0) passing = windows.map((c) => withTemplateScore(ids, corpus.licenses[c.index], c)).filter((c) => c.score >= threshold);
    if (passing.length === 0) break;
    passing = closeRelatives(ids, corpus, passing);
    // the best score, unless another licence explains clearly more of the text (a longer licence
    // that contains a shorter one and is there in full)
    const top = passing.reduce((a, b) => (b.score > a.score ? b : a));
    const best = passing.filter((c) => c.common > top.common * MORE_TEXT).reduce((a, b) => (b.common > a.common ? b : a), top);
    const lic = corpus.licenses[best.index];
    found.push({ id: lic.id, score: best.score, method: isExact(ids, best, lic) ? 'exact' : 'dice', start: best.start, end: best.end });
    live.fill(0, Math.max(0, best.start - 1), Math.min(live.length, best.end));
  }
  return found.sort((a, b) => a.start - b.start);
}

/** Every licence text found in `text`, in text order. */
export function matchLicenseText(text: string, options: MatchOptions = {}): TextMatch[] {
  return matchWords(licenseWords(text), options);
}
