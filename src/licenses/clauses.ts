import { bigramAt, type LicenseCorpus } from './corpus.js';
import { diffHunks, type Hunk } from './diff.js';
import { preferBase } from './relatives.js';
import { othersHolding, trimmed, windows as windowsOf, type Candidate, type IndexedText } from './windows.js';

/**
 * A short licence's clauses without its disclaimer of warranty, or with the disclaimer in the
 * copy's own words: "Redistribution and use ... are permitted provided that: 1. ... 2. ... 3.
 * ..." and nothing, or "This software comes with no warranty", after it. Hundreds of SPDX
 * texts hold BSD's or MIT's clauses, and without its disclaimer a BSD-2-Clause copy holds a
 * third of the licence's bigrams: no window is near enough by Dice, and the parts that many
 * licences share name none of them (match.ts). Yet the copy is the licence whose every word but
 * its disclaimer is there, with nothing a relative adds (BSD-3-Clause's third clause, X11's
 * name clause): by word diff of the window against each licence that could be it,
 *
 * - the licence words the copy lacks must be, apart from what gapped.ts allows, one or two
 *   disclaimers: stretches that disclaim warranty or liability within their first words and
 *   ask or grant nothing (no "must", "may", "permission", "redistribution" ...), so a clause
 *   left out is never taken for a disclaimer;
 * - a disclaimer may be replaced by the copy's own (one that speaks of warranty or liability
 *   too, no longer than the original), and by nothing else;
 * - the rest is scored as gapped.ts scores a copy, over the licence's words less its disclaimer,
 *   with the same bar;
 *
 * and among close scores the licence the copy holds most words of wins (X11's clauses are X11,
 * not MIT with a clause added); among licences whose clauses are the same words, the family's
 * base: the one that most other SPDX texts hold 80% of (BSD-2-Clause, which dozens of BSD texts
 * extend, not Linux-OpenIB, its clauses with MIT's disclaimer), a base before its named variants
 * (relatives.ts), then the shorter.
 */

/** Licences longer than this (in words) are read by Dice and partial copies only. */
const SHORT = 600;
/** A candidate's licence holds at least this share of its bigrams in the text ... */
const MIN_CONTAINMENT = 0.25;
/** ... and at least this many. */
const MIN_BIGRAMS = 15;
/** Candidates diffed, most contained first. */
const TRIED = 12;
/** A window whose bigrams are less than this share the licence's is not a copy of its clauses. */
const MIN_PRECISION = 0.5;
/** The score a copy of the clauses needs (gapped.ts's bar). */
const THRESHOLD = 0.95;
/** A run of added words costs this, in missing-word units. */
const ADDED_RUN = 1;
/** At most this many runs of added words ... */
const MAX_RUNS = 4;
/** ... and this share of the clauses' length added in all. */
const MAX_ADDED = 0.5;
/** A replaced stretch of at most this many words on both sides costs half a word (a name). */
const VARIABLE_WORDS = 10;
/** Hunks whose licence words are this close are one missing stretch (a reworded disclaimer shares a few words). */
const MERGE_GAP = 5;
/** A disclaimer's sentence opens at most this many words before its first word of warranty ... */
const OPENER_REACH = 12;
/** A subject's determiner ("this software", "the authors") stands at most this many words before its verb ... */
const SUBJECT_REACH = 10;
/** ... and a name without one ("Sun", "Xerox Corporation") at most this many. */
const SUBJECT_WORDS = 6;
/** "makes" stands at most this many words before the first word of warranty ("makes no representation or warranties"). */
const VERB_REACH = 5;
/** ... is at least this long ... */
const MIN_DISCLAIMER = 6;
/** ... and a licence has at most this many. */
const MAX_DISCLAIMERS = 2;
/** What is left of a licence without its disclaimer: at least this many words. */
const MIN_CLAUSE_WORDS = 15;
/** Words at a licence's start that a copy may leave out (its title). */
const TITLE_WORDS = 8;
/** Scores this close are told apart by how much of the licence the copy holds ... */
const CLOSE = 0.03;
/** ... and counts of held words this close (a few shared words of a disclaimer) by which licence is the family's base. */
const HELD_MARGIN = 0.05;
const HELD_MARGIN_WORDS = 3;
/** A licence holding this share of another's bigrams is written from it. */
const WRITTEN_FROM = 0.8;

const WARRANTY = ['warranty', 'warranties', 'warranted', 'disclaim', 'disclaims', 'disclaimed', 'representations', 'representation'];
/** Words that open the subject of "... is provided as is" ("this software", "the software"). */
const DETERMINERS = ['this', 'the', 'these'];
const LIABILITY = ['liable', 'liability', 'damages'];
/** Words of a clause that asks or grants something: never in a disclaimer. */
const CONDITIONS = [
  'must',
  'may',
  'permission',
  'permitted',
  'permit',
  'granted',
  'grant',
  'redistribution',
  'redistributions',
  'redistribute',
  'retain',
  'reproduce',
  'endorse',
  'promote',
  'advertising',
];

interface Lexicon {
  warranty: Set<number>;
  liability: Set<number>;
  conditions: Set<number>;
  determiners: Set<number>;
  makes: Set<number>;
  disclaims: Set<number>;
  provided: Set<number>;
  be: Set<number>;
  as: number;
  is: number;
  in: number;
  no: number;
  there: number;
}

const lexicons = new WeakMap<LicenseCorpus, Lexicon>();

function lexicon(corpus: LicenseCorpus): Lexicon {
  let lex = lexicons.get(corpus);
  if (!lex) {
    const ids = (words: string[]) => new Set(words.map((w) => corpus.vocabulary.get(w) ?? -1));
    const id = (word: string) => corpus.vocabulary.get(word) ?? -1;
    lex = {
      warranty: ids(WARRANTY),
      liability: ids(LIABILITY),
      conditions: ids(CONDITIONS),
      determiners: ids(DETERMINERS),
      makes: ids(['makes', 'make']),
      disclaims: ids(['disclaim', 'disclaims', 'disclaimed']),
      provided: ids(['provided', 'supplied', 'furnished', 'distributed', 'available']),
      be: ids(['is', 'are']),
      as: id('as'),
      is: id('is'),
      in: id('in'),
      no: id('no'),
      there: id('there'),
    };
    lexicons.set(corpus, lex);
  }
  return lex;
}

/**
 * Where the disclaimer in the licence's missing words `words[from, to)` begins, or null when
 * they hold none. It begins with the sentence of its first word of warranty ("as is",
 * "warranty", "disclaims"), which the SPDX texts open in a few ways: a subject of a few words
 * before "is provided" ("THIS SOFTWARE IS PROVIDED BY THE COPYRIGHT HOLDERS ... AS IS"), a holder's
 * name before "makes no representations" or "disclaims", or "in no event", "no warranty",
 * "there is no". The words before it are a clause's (a copy cut after "... and the following"
 * lacks "disclaimer in the documentation ..."), and cost as missing words. The opening may be
 * among the words the copy holds (a copy cut inside its disclaimer). From there on nothing may
 * ask or grant anything.
 */
function disclaimerStart(lex: Lexicon, words: Int32Array, from: number, to: number): number | null {
  let anchor = -1;
  for (let i = from; i < to && anchor < 0; i++) if (lex.warranty.has(words[i]) || (words[i] === lex.as && words[i + 1] === lex.is)) anchor = i;
  if (anchor < 0) return null;
  const start = Math.max(from, sentenceStart(lex, words, anchor, from));
  if (to - start < MIN_DISCLAIMER) return null;
  return hasCondition(lex, words, start, to) ? null : start;
}

/** Whether `words[from, to)` hold a word of a clause that asks or grants something. */
function hasCondition(lex: Lexicon, words: Int32Array, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (lex.conditions.has(words[i])) return true;
  return false;
}

/** The start of the disclaimer sentence holding the word of warranty at `anchor` (see disclaimerStart). */
function sentenceStart(lex: Lexicon, words: Int32Array, anchor: number, from: number): number {
  const reach = Math.max(0, anchor - OPENER_REACH);
  // "<subject> is provided [by ...] as is", "<subject> is made available as is"
  for (let p = anchor - 1; p > reach; p--) {
    if (!lex.provided.has(words[p])) continue;
    const be = lex.be.has(words[p - 1]) ? p - 1 : lex.be.has(words[p - 2]) ? p - 2 : -1;
    if (be >= 0) return subjectStart(lex, words, be, from);
  }
  // "<name> makes no representations or warranties", "<name> disclaims"
  for (let v = Math.max(reach, anchor - VERB_REACH); v <= anchor; v++) if (lex.makes.has(words[v]) || (v === anchor && lex.disclaims.has(words[v]))) return subjectStart(lex, words, v, from);
  // "in no event", "no warranty", "there is no"
  for (let i = reach; i < anchor; i++) if ((words[i] === lex.in && words[i + 1] === lex.no) || words[i] === lex.no || words[i] === lex.there) return i;
  return anchor;
}

/**
 * Where the subject of the verb at `verb` begins: the nearest "this", "the" ... before it
 * ("THIS SOFTWARE", "the authors of this software" from "this"); else, when the missing words
 * start at most SUBJECT_WORDS before it, there (a holder's name: "Sun makes"); else the verb.
 */
function subjectStart(lex: Lexicon, words: Int32Array, verb: number, from: number): number {
  for (let i = verb - 1; i >= Math.max(0, verb - SUBJECT_REACH); i--) if (lex.determiners.has(words[i])) return i;
  return verb - from <= SUBJECT_WORDS ? from : verb;
}

/** Whether the copy's words `words[from, to)` speak of warranty or liability (a disclaimer of its own). */
function speaksOfWarranty(lex: Lexicon, words: Int32Array, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (lex.warranty.has(words[i]) || lex.liability.has(words[i])) return true;
  return false;
}

/** Hunks whose missing licence words lie within MERGE_GAP of each other, as one. */
function merged(hunks: Hunk[]): Hunk[] {
  const out: Hunk[] = [];
  for (const h of hunks) {
    const prev = out[out.length - 1];
    if (prev?.deletedTo !== undefined && h.deletedFrom !== undefined && h.deletedFrom - prev.deletedTo <= MERGE_GAP)
      out[out.length - 1] = {
        deleted: h.deletedTo! - prev.deletedFrom!,
        inserted: prev.inserted + h.inserted,
        deletedFrom: prev.deletedFrom,
        deletedTo: h.deletedTo,
        insertedFrom: prev.insertedFrom ?? h.insertedFrom,
        insertedTo: h.insertedTo ?? prev.insertedTo,
      };
    else out.push({ ...h });
  }
  return out;
}

export interface ClauseScore {
  score: number;
  /** Licence words the copy holds. */
  held: number;
  /** Words of the licence less its disclaimer. */
  clauses: number;
}

/** The score of `words[from, to)` as the clauses of `licence` without (or with a replaced) disclaimer; null when it is not. */
export function clauseScore(corpus: LicenseCorpus, licence: Int32Array, words: Int32Array, from: number, to: number): ClauseScore | null {
  const n = licence.length;
  const hunks = diffHunks(licence, words, from, to, Math.ceil(n * 1.2));
  if (!hunks) return null;
  const lex = lexicon(corpus);
  let disclaimers = 0;
  let disclaimed = 0;
  let cost = 0;
  let runs = 0;
  let added = 0;
  let missing = 0;
  for (const h of merged(hunks)) {
    // a title left out ("ISC License", "MIT No Attribution"), or where the window takes in the
    // words before the copy, is no clause left out
    if (h.deletedFrom === 0 && h.deleted <= TITLE_WORDS && h.inserted <= TITLE_WORDS) {
      disclaimed += h.deleted;
      continue;
    }
    const start = h.deletedFrom === undefined ? null : disclaimerStart(lex, licence, h.deletedFrom, h.deletedTo!);
    if (start !== null) {
      // the clause words before it are missing words like any other, but a condition cut off
      // there ("... without specific prior written permission") is a clause the copy lacks
      if (hasCondition(lex, licence, h.deletedFrom!, start)) return null;
      disclaimers++;
      disclaimed += h.deletedTo! - start;
      missing += start - h.deletedFrom!;
      cost += start - h.deletedFrom!;
      // in its place, the copy's own disclaimer or nothing: other words there are another
      // text's (a copy of a longer relative cut where this licence's disclaimer begins)
      if (h.inserted > 0 && (h.inserted > h.deleted || !speaksOfWarranty(lex, words, from + h.insertedFrom!, from + h.insertedTo!))) return null;
      continue;
    }
    missing += h.deleted;
    if (h.deleted > 0 && h.inserted > 0 && h.deleted <= VARIABLE_WORDS && h.inserted <= VARIABLE_WORDS) {
      cost += 0.5;
      continue;
    }
    cost += h.deleted;
    if (h.inserted > 0) [runs, added, cost] = [runs + 1, added + h.inserted, cost + ADDED_RUN];
  }
  const clauses = n - disclaimed;
  if (disclaimers === 0 || disclaimers > MAX_DISCLAIMERS || clauses < MIN_CLAUSE_WORDS || runs > MAX_RUNS || added > MAX_ADDED * clauses) return null;
  return { score: 1 - cost / clauses, held: n - disclaimed - missing, clauses };
}

/**
 * Short licences holding at least MIN_CONTAINMENT of their bigrams in the text (counts of
 * windows.ts's sharedCounts): those sharing most bigrams with it first (a copy of the clauses
 * holds all of its licence's clause bigrams), and among those, the shorter (the disclaimer and
 * a relative's additions are what the copy lacks).
 */
function contained(corpus: LicenseCorpus, shared: Int32Array): number[] {
  const out: number[] = [];
  for (let l = 0; l < shared.length; l++) {
    const lic = corpus.licenses[l];
    if (lic.words.length <= SHORT && shared[l] >= MIN_BIGRAMS && shared[l] >= MIN_CONTAINMENT * lic.bigramCount) out.push(l);
  }
  const containment = (l: number) => shared[l] / corpus.licenses[l].bigramCount;
  return out.sort((a, b) => shared[b] - shared[a] || containment(b) - containment(a)).slice(0, TRIED);
}

/**
 * The window of the licence whose clauses the text holds without its disclaimer (or with its
 * own), or none. `found`: ids of the licences found in the text so far; a window one of them
 * holds nearly all of is the rest of its text (Sleepycat's BSD parts), not a second licence.
 */
export function clauseCopies(corpus: LicenseCorpus, text: IndexedText, shared: Int32Array, found: string[] = []): Candidate[] {
  let passing: (Candidate & ClauseScore)[] = [];
  const earlier = corpus.licenses.flatMap((l, index) => (found.includes(l.id) ? [index] : []));
  const tried: Candidate[] = [];
  for (const w of windowsOf(corpus, text, contained(corpus, shared))) {
    if (!w || w.common < MIN_PRECISION * w.size || earlier.some((index) => heldBy(corpus, text, w, index))) continue;
    const c = trimmed(text, corpus.licenses[w.index], w);
    // (a window around words an earlier licence took is no copy of its own)
    if (text.live.subarray(c.start, c.end - 1).includes(0)) continue;
    tried.push(c);
    const s = clauseScore(corpus, corpus.licenses[c.index].words, text.words, c.start, c.end);
    if (s && s.score >= THRESHOLD) passing.push({ ...c, ...s });
  }
  if (passing.length === 0) return [];
  // the text goes on with another licence's words past the window (BSD-1-Clause's clause, and
  // BSD-2-Clause's second clause cut short; MIT's clauses and "Except as contained in this
  // notice"): a copy of the other cut short, not this one's clauses alone
  const longer = (c: Candidate) => tried.some((t) => t.start <= c.start && t.end >= c.end && t.common >= c.common + MORE_BIGRAMS && t.common >= COVER_PRECISION * t.size);
  // a short clause that dozens of licences hold (BSD's first clause, BSD-1-Clause's only one) is
  // as likely the start of any of them: it names none (match.ts's rule for short partial copies)
  const common = (c: Candidate & ClauseScore) => c.clauses < SHORT_CLAUSES && othersHolding(corpus, text, c, HELD_BY) >= FEW;
  passing = passing.filter((c) => !longer(c) && !common(c));
  if (passing.length === 0) return [];
  const best = Math.max(...passing.map((c) => c.score));
  const close = passing.filter((c) => c.score >= best - CLOSE);
  const most = Math.max(...close.map((c) => c.held));
  const near = close.filter((c) => c.held >= most - Math.max(HELD_MARGIN_WORDS, HELD_MARGIN * most));
  // licences whose clauses are the same words (BSD-2-Clause's are Linux-OpenIB's, ISC's are
  // pkgconf's) score the same: the family's base, the one the most other licences are written from
  const top = Math.max(...near.map((c) => c.score));
  const tied = near.filter((c) => c.score === top);
  const written = new Map(tied.map((c) => [c, tied.length > 1 ? writtenFrom(corpus, c.index) : 0]));
  const size = (c: Candidate) => corpus.licenses[c.index].words.length;
  const pick = tied.reduce((a, b) => (written.get(b)! > written.get(a)! || (written.get(b) === written.get(a) && size(b) < size(a)) ? b : a));
  return [preferBase(corpus, text.words, pick, near)];
}

/** A window that covers the chosen one and shares this many bigrams more with its own licence ... */
const MORE_BIGRAMS = 4;
/** ... while made of that licence's words at least this much, says the text is more of that licence. */
const COVER_PRECISION = 0.9;

/** Clauses shorter than this (in words) ... */
const SHORT_CLAUSES = 50;
/** ... that this many other licences hold (HELD_BY of the window's bigrams: dozens hold BSD's first clause) name none of them. */
const FEW = 12;

/** Share of the bigrams a window shares with its licence that licence `index` holds too, to count as its. */
const HELD_BY = 0.9;

/** Whether licence `index` holds HELD_BY of the bigrams the window of `c` shares with its licence. */
function heldBy(corpus: LicenseCorpus, text: IndexedText, c: Candidate, index: number): boolean {
  const seen = new Set<number>();
  let held = 0;
  for (let i = c.start; i < c.end - 1; i++) {
    const d = text.bigram[i];
    if (!text.live[i] || seen.has(d) || !((c.holds.mask[d] >>> c.holds.bit) & 1)) continue;
    seen.add(d);
    if (text.post[d]?.includes(index)) held++;
  }
  return held >= HELD_BY * seen.size;
}

/** How many other licences hold WRITTEN_FROM of the bigrams of licence `index`: those written from it. */
function writtenFrom(corpus: LicenseCorpus, index: number): number {
  const words = corpus.licenses[index].words;
  const counts = new Int32Array(corpus.licenses.length);
  const seen = new Set<number>();
  for (let i = 0; i + 1 < words.length; i++) {
    const b = bigramAt(words, i);
    if (seen.has(b)) continue;
    seen.add(b);
    for (const l of corpus.postings.get(b) ?? []) counts[l]++;
  }
  let n = 0;
  counts.forEach((k, l) => {
    if (l !== index && k >= WRITTEN_FROM * seen.size) n++;
  });
  return n;
}
