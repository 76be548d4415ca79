import { bigramAt, type LicenseCorpus } from './corpus.js';
import { diffHunks, type Hunk } from './diff.js';
import type { Candidate } from './windows.js';

/**
 * Clause-level matching for short licences: a copy that holds every clause of a licence, in
 * order, with sentences of its own between them ("Note that the files in contrib/ ...", a line
 * on where to send questions, a project's name and URL after the first clause) is that
 * licence. Dice and the word diff of diff.ts count each added word as much as a missing one, so
 * two added sentences (40 words) take a 150-word BSD or zlib text below the threshold, and
 * nothing is found. Here, by the word diff of the window against the licence:
 *
 * - a licence word the copy lacks costs one (a clause left out is another licence);
 * - a short stretch replaced by another (a holder's name, a reworded phrase) costs half;
 * - a run of added words costs ADDED_RUN however long, up to MAX_RUNS runs and MAX_ADDED of the
 *   licence's length in all;
 *
 * and the score is `1 - cost / licence words`. Used only when no window passes otherwise, for
 * licences of at most SHORT words, and with a higher bar (GAPPED_THRESHOLD): every licence whose
 * text another contains (MIT-0 in MIT, BSD-2-Clause in BSD-3-Clause) scores near the longer one
 * when the copy is the longer one, so among close scores the licence that accounts for the most
 * words of the copy wins.
 */

/** Licences longer than this (in words) are read by Dice, partial copies and titles only. */
const SHORT = 600;
/** Windows this far from the licence by bigrams are not tried. */
const FLOOR = 0.7;
/** What a run of added words costs, in missing-word units. */
const ADDED_RUN = 1;
/** At most this many runs of added words ... */
const MAX_RUNS = 4;
/** ... and this share of the licence's length added in all. */
const MAX_ADDED = 0.5;
/** A replaced stretch of at most this many words on both sides costs half a word (diff.ts's VARIABLE_WORDS). */
const VARIABLE_WORDS = 10;
/** The score a gapped copy needs. */
export const GAPPED_THRESHOLD = 0.95;
/** Scores this close are told apart by how many licence words the copy holds. */
const CLOSE = 0.03;

export interface Gapped {
  score: number;
  /** Licence words found in the window. */
  held: number;
}

/** The clause-level score of `words[from, to)` against a licence's words, or null when it cannot be one. */
export function gappedScore(licence: Int32Array, words: Int32Array, from: number, to: number): Gapped | null {
  const n = licence.length;
  const hunks = diffHunks(licence, words, from, to, Math.ceil(n * (1 - GAPPED_THRESHOLD) * 2 + n * MAX_ADDED));
  if (!hunks) return null;
  let cost = 0;
  let runs = 0;
  let added = 0;
  let missing = 0;
  for (const h of hunks) {
    missing += h.deleted;
    if (h.deleted > 0 && h.inserted > 0 && h.deleted <= VARIABLE_WORDS && h.inserted <= VARIABLE_WORDS) {
      cost += 0.5;
      continue;
    }
    cost += h.deleted;
    if (h.inserted > 0) {
      runs++;
      added += h.inserted;
      cost += ADDED_RUN;
    }
  }
  if (runs > MAX_RUNS || added > MAX_ADDED * n) return null;
  if (repeatsItself(licence, words, from, hunks)) return null;
  return { score: 1 - cost / n, held: n - missing };
}

/** Share of an added run's word pairs that are its licence's own: above it, the run is a second copy. */
const REPEATED = 0.5;

/** The distinct word pairs of a licence, kept per licence array. */
const pairsOf = new WeakMap<Int32Array, Set<number>>();
function licencePairs(licence: Int32Array): Set<number> {
  let set = pairsOf.get(licence);
  if (!set) {
    set = new Set();
    for (let i = 0; i + 1 < licence.length; i++) set.add(bigramAt(licence, i));
    pairsOf.set(licence, set);
  }
  return set;
}

/**
 * Whether a run of words the window adds to its licence is made of that licence's own words: the
 * window then spans two copies (a BSD text, and the next BSD-style text whose advertising clause
 * the window reached for), not one copy with a sentence of its own. Added sentences of a copy's
 * own ("Note that the files in contrib/ ...") share few word pairs with the licence.
 */
function repeatsItself(licence: Int32Array, words: Int32Array, from: number, hunks: Hunk[]): boolean {
  const own = licencePairs(licence);
  for (const h of hunks) {
    if (h.inserted < SENTENCE || h.insertedFrom === undefined) continue;
    const start = from + h.insertedFrom;
    const end = from + h.insertedTo!;
    let held = 0;
    for (let i = start; i + 1 < end; i++) if (own.has(bigramAt(words, i))) held++;
    if (held >= REPEATED * (end - start - 1)) return true;
  }
  return false;
}

/** Whether the window `[from, to)` holds two copies of (parts of) the licence rather than one; false when the diff is too long to run. */
export function spansTwoCopies(licence: Int32Array, words: Int32Array, from: number, to: number): boolean {
  if (licence.length > SHORT) return false;
  const hunks = diffHunks(licence, words, from, to, Math.min(800, Math.ceil((licence.length + to - from) * 0.5)));
  return hunks !== null && repeatsItself(licence, words, from, hunks);
}

/** The windows of short licences that pass as gapped copies, the one to report first. */
export function gapped(corpus: LicenseCorpus, words: Int32Array, windows: Candidate[]): Candidate[] {
  const passing: (Candidate & { held: number })[] = [];
  for (const c of windows) {
    const licence = corpus.licenses[c.index].words;
    if (licence.length > SHORT || c.score < FLOOR) continue;
    const g = gappedScore(licence, words, c.start, c.end);
    if (g && g.score >= GAPPED_THRESHOLD) passing.push({ ...c, score: g.score, held: g.held });
  }
  if (passing.length === 0) return [];
  const best = Math.max(...passing.map((c) => c.score));
  const close = passing.filter((c) => c.score >= best - CLOSE);
  const pick = close.reduce((a, b) => (b.held > a.held || (b.held === a.held && b.score > a.score) ? b : a));
  return [pick];
}

/** An added run of at least this many words is a sentence of the copy's own (fewer: a name, a reworded phrase). */
const SENTENCE = 6;

/**
 * The stretches of a short licence's window, in words, that the licence has no part of: sentences
 * a copy added between the licence's own ("Alternatively, this software may be distributed under
 * the GPL"), where detect.ts still reads notices. Empty for long licences (no diff is run).
 */
export function addedSentences(licence: Int32Array, words: Int32Array, from: number, to: number): [number, number][] {
  if (licence.length > SHORT) return [];
  const hunks = diffHunks(licence, words, from, to, Math.min(800, Math.ceil((licence.length + to - from) * 0.5)));
  const out: [number, number][] = [];
  for (const h of hunks ?? []) {
    const variable = h.deleted > 0 && h.deleted <= VARIABLE_WORDS && h.inserted <= VARIABLE_WORDS;
    if (h.inserted >= SENTENCE && !variable) out.push([from + h.insertedFrom!, from + h.insertedTo!]);
  }
  return out;
}
