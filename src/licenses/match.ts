import { loadCorpus, wordIds, type LicenseCorpus, type ReferenceLicense } from './corpus.js';
import { clauseCopies } from './clauses.js';
import { templateScore } from './diff.js';
import { addedSentences, gapped, spansTwoCopies } from './gapped.js';
import { licenseWords } from './normalize.js';
import { isVariantOf, preferBase, variantEvidence } from './relatives.js';
import { isOpeningCopy, openingCopies } from './prefix.js';
import { namedAt } from './titles.js';
import { withoutParts } from './parts.js';
import { candidates, indexText, othersHolding, sharedCounts, trimmed, windows as windowsOf, type Candidate, type IndexedText } from './windows.js';

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
  /** `exact`: the window's words are the licence's words; `dice`: a near match; `partial`: part of the licence (see `partial`), or its clauses without its disclaimer (clauses.ts); `gapped`: the licence's clauses with sentences added between them (gapped.ts). */
  method: 'exact' | 'dice' | 'partial' | 'gapped';
  /** Licences whose text this one's includes (LGPL-3.0's GPL-3.0): their notices are its own. */
  includes?: string[];
  /** Window in normalised words: [start, end). */
  start: number;
  end: number;
  /** Stretches of the window the licence has no part of (sentences the copy added, gapped.ts). */
  gaps?: [number, number][];
}

export interface MatchOptions {
  /** Dice score a window needs to count as the licence (default DEFAULT_THRESHOLD). */
  threshold?: number;
  /** Most licences reported for one text. */
  maxLicenses?: number;
}

/** Near-match threshold, tuned on the tuning half of the labelled texts (bench/accuracy/license.ts). */
export const DEFAULT_THRESHOLD = 0.88;
/** A window explains clearly more of the text when it shares this many times the bigrams. */
const MORE_TEXT = 1.1;
/** A partial copy whose window is this much its licence's words ... */
const VERBATIM = 0.99;
/** ... beats a near match that explains less than this share of its own window. */
const UNEXPLAINED = 0.97;
/** Share of a containing licence's own bigrams its window must hold to beat the licence it contains. */
const OWN_PART = 0.5;
/** Candidates whose windows are trimmed and compared, best untrimmed scores first. */
const REFINED = 8;
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

/** Windows this close to the best are told apart by the licence name in their opening (titles.ts). */
const TITLE_CLOSE = 0.05;
/** A title stands at most this many words above the window it heads (clause copies). */
const TITLE_WORDS = 8;
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
function closeRelatives(words: Int32Array, corpus: LicenseCorpus, windows: Candidate[], partialCopies: boolean): Candidate[] {
  const best = Math.max(...windows.map((c) => c.score));
  if (best >= 1) return windows;
  const close = windows.filter((c) => c.score >= best - CLOSE && corpus.licenses[c.index].words.length <= SHORT_LICENSE);
  if (close.length < 2) return windows;
  const template = close.map((c) => templateScore(corpus.licenses[c.index].words, words, c.start, c.end));
  // a partial copy's score is its precision, on another scale than a word diff against the whole
  // licence (which counts the missing part): the diff only orders the close ones, at the best's
  // level, or a relative outside the close group would beat them all (the first 80% of a
  // BSD-3-Clause copy was BSD-4-Clause)
  const top = Math.max(...template.map((t) => t ?? 0));
  const rescored = close.map((c, i) => {
    const score = template[i];
    if (score === null) return c;
    return { ...c, score: partialCopies && top > 0 ? (best * score) / top : score };
  });
  return [...rescored, ...windows.filter((c) => !close.includes(c))];
}

/** A partial copy holds at least this share of the licence's bigrams (candidates() asks as much) ... */
const PARTIAL_COVER = 0.5;
/** ... almost nothing else in its window ... */
const PARTIAL_PRECISION = 0.9;
/**
 * ... and at least this many of them: a paragraph is not a partial text (the disclaimer that MIT
 * shares with a dozen licences is two thirds of MIT), so only longer licences are read in part.
 */
const PARTIAL_MIN = 100;

/**
 * Windows that are a partial copy of their licence: most of the window is the licence's text,
 * and over half of the licence is there. Dice cannot see them (60% of a licence scores 0.75),
 * but a file that quotes the first half of the GPL, or a licence cut off by a page limit, is
 * under that licence as ScanCode reads it. Scored by precision, so a fuller copy still wins.
 */
function partial(corpus: LicenseCorpus, windows: Candidate[], min = PARTIAL_MIN): Candidate[] {
  return windows
    .filter((c) => c.common >= min && c.common >= PARTIAL_COVER * corpus.licenses[c.index].bigramCount && c.common >= PARTIAL_PRECISION * c.size)
    .map((c) => ({ ...c, score: c.common / c.size }));
}

/** Words of a licence's grant or conditions, which no warranty disclaimer holds. */
const GRANT_WORDS = new Set(
  'license licensed licensee licenses permission permitted permit redistribution redistributions redistribute distribute distributed distribution copy copies modify modified grant granted grants sublicense'.split(
    ' ',
  ),
);
/** How a warranty disclaimer opens ("THIS SOFTWARE IS PROVIDED AS IS ...", "IN NO EVENT SHALL ...", "... is distributed in the hope that it will be useful"). */
const DISCLAIMER_OPENING = /^(?:(?:this|the) software is provided|in no event|(?:is )?distributed in the hope)\b/;
const OPENING_WORDS = 5;

/**
 * Whether a partial copy's window is a warranty disclaimer alone: it opens as one and holds no
 * word of a grant or condition. Beside a licence text already read, such a paragraph ("THIS
 * SOFTWARE IS PROVIDED AS IS ... DISCLAIMED ...") is that text's or a repeated one, not a second
 * licence, though it may be half of a short BSD variant's words. (Alone in a file it is still
 * read: the last 70% of a one-clause BSD text is its disclaimer.)
 */
function disclaimerAlone(words: string[], c: Candidate): boolean {
  if (!DISCLAIMER_OPENING.test(words.slice(c.start, c.start + OPENING_WORDS).join(' '))) return false;
  for (let i = c.start + OPENING_WORDS; i < c.end; i++) if (GRANT_WORDS.has(words[i])) return false;
  return true;
}

/** Partial copies found, or none where `drop` allows it and every one is a warranty disclaimer alone. */
function unlessDisclaimersAlone(words: string[], candidates: Candidate[], drop: boolean): Candidate[] {
  return drop && candidates.every((c) => disclaimerAlone(words, c)) ? [] : candidates;
}

/** A short licence's partial copy needs this many bigrams ... */
const SHORT_PARTIAL_MIN = 40;
/** ... nearly nothing else in its window ... */
const SHORT_PARTIAL_PRECISION = 0.95;
/** ... and no other licence sharing this share of them (MIT's disclaimer is a dozen licences'). */
const DISTINCT = 0.9;

/**
 * Partial copies of short licences (60% of an HPND or zlib text), which the 100-bigram floor of
 * `partial` leaves unread: only when no other licence in the whole corpus holds nearly as many
 * of the window's bigrams, or only a few do, so a paragraph that many licences share (MIT's
 * disclaimer, BSD's first clause) names none of them.
 */
function shortPartial(corpus: LicenseCorpus, text: IndexedText, windows: Candidate[]): Candidate[] {
  const found = partial(corpus, windows, SHORT_PARTIAL_MIN).filter((c) => c.common >= SHORT_PARTIAL_PRECISION * c.size);
  const others = found.map((c) => othersHolding(corpus, text, c, DISTINCT, true));
  const distinctOnes = found.filter((_, i) => others[i] === 0);
  if (distinctOnes.length) return distinctOnes;
  // a part that only a few licences share (zlib's clauses: Zlib, and Cube, which adds a clause to
  // them) is of the one it is most of
  const few = found.filter((_, i) => others[i] < FEW);
  const cover = (c: Candidate) => c.common / corpus.licenses[c.index].bigramCount;
  return few.length ? [few.reduce((a, b) => (b.score > a.score || (b.score === a.score && cover(b) > cover(a)) ? b : a))] : [];
}

/** Fewer other licences than this sharing a part leave it to the one it is most of. */
const FEW = 4;

function isExact(words: Int32Array, c: Candidate, lic: ReferenceLicense): boolean {
  if (c.end - c.start !== lic.words.length) return false;
  for (let i = 0; i < lic.words.length; i++) if (words[c.start + i] !== lic.words[i]) return false;
  return true;
}

/** Every licence text found in `words` (normalised words), in text order. */
export function matchWords(words: string[], options: MatchOptions = {}, corpus: LicenseCorpus = loadCorpus()): TextMatch[] {
  const threshold = options.threshold ?? DEFAULT_THRESHOLD;
  const ids = wordIds(words, corpus.vocabulary, new Map());
  const text = indexText(corpus, ids);
  const found: TextMatch[] = [];
  while (found.length < (options.maxLicenses ?? 8)) {
    const shared = sharedCounts(corpus, text);
    const windows = windowsOf(corpus, text, candidates(corpus, text, shared))
      .filter((c): c is Candidate => c !== undefined)
      .sort((a, b) => b.score - a.score)
      .slice(0, REFINED)
      .map((c) => trimmed(text, corpus.licenses[c.index], c));
    const match = choose(corpus, text, words, windows, threshold, shared, found);
    if (!match) break;
    found.push(match);
    text.live.fill(0, Math.max(0, match.start - 1), Math.min(text.live.length, match.end));
  }
  return withoutParts(withoutAppendedGpl(found.sort((a, b) => a.start - b.start)), ids, corpus);
}

/**
 * SPDX's LGPL-3.0 text is the LGPL's additional permissions followed by the whole GPL-3.0 (the
 * LGPL-3.0 is written as permissions on top of it), and corpus.ts indexes the first part alone:
 * a GPL-3.0 text right after an LGPL-3.0 one is the rest of that licence, not a second one.
 */
function withoutAppendedGpl(found: TextMatch[]): TextMatch[] {
  const out: TextMatch[] = [];
  for (const m of found) {
    const prev = out[out.length - 1];
    if (prev?.id.startsWith('LGPL-3.0') && m.id.startsWith('GPL-3.0') && m.start - prev.end < 40)
      out[out.length - 1] = { ...prev, end: m.end, score: Math.min(prev.score, m.score), method: prev.method === m.method ? m.method : 'dice', includes: [m.id] };
    else out.push(m);
  }
  return out;
}

/** Share of the best window that a wider licence's window must cover to explain more of the same text. */
const HOLDS_BEST = 0.9;
/** Whether window `c` covers the best window `top` (all but a tenth of it): a window beside it explains other text. */
function holdsBest(c: Candidate, top: Candidate): boolean {
  return Math.min(c.end, top.end) - Math.max(c.start, top.start) >= HOLDS_BEST * (top.end - top.start);
}

/** The windows that may be this round's licence, and which fallback found them. */
interface Passing {
  passing: Candidate[];
  /** no window passed on its score: partial copies and the fallbacks after them */
  partialOnly: boolean;
  gappedOnly: boolean;
  clausesOnly: boolean;
}

/** Windows near enough by score, else by each fallback in turn, the first that finds any. */
function passingWindows(corpus: LicenseCorpus, text: IndexedText, words: string[], windows: Candidate[], threshold: number, shared: Int32Array, found: TextMatch[]): Passing {
  const ids = text.words;
  let passing = windows.filter((c) => c.score >= threshold);
  // none is near enough by bigrams: a copy with its names filled in may still be (see diff.ts)
  if (passing.length === 0) passing = windows.map((c) => withTemplateScore(ids, corpus.licenses[c.index], c)).filter((c) => c.score >= threshold);
  const partialOnly = passing.length === 0;
  // (beside a text already read, a disclaimer alone is that text's, or a repeated one: no second licence)
  if (partialOnly) passing = unlessDisclaimersAlone(words, partial(corpus, windows), found.length > 0);
  // (a short licence's warranty paragraph alone is no copy of it even alone in a file: the old GNU
  // notice "... is distributed in the hope that it will be useful ... No author or distributor
  // accepts responsibility ..." is a third of Crossword's words, and goes on to grant the GPL)
  if (partialOnly && passing.length === 0) passing = unlessDisclaimersAlone(words, shortPartial(corpus, text, windows), true);
  // a short licence's clauses with sentences of the copy's own between them (gapped.ts)
  const gappedOnly = partialOnly && passing.length === 0;
  if (gappedOnly) passing = gapped(corpus, ids, windows);
  // a short licence's clauses without its disclaimer, or with one of the copy's own (clauses.ts),
  // unless a title names another licence: the last resort yields to what the text calls itself
  // (X11's clauses cut before its name clause are MIT's words under an "X11 License" title)
  const clausesOnly = gappedOnly && passing.length === 0;
  if (clausesOnly)
    passing = clauseCopies(
      corpus,
      text,
      shared,
      found.map((m) => m.id),
    ).filter((c) => {
      // (a title right above the window: a grant further up is another licence's notice)
      const from = Math.max(0, c.start - TITLE_WORDS);
      const named = namedAt(corpus, words.slice(from, c.end), c.start - from);
      return named.size === 0 || named.has(c.index);
    });
  // a long licence's opening, word for word, that no other licence holds (prefix.ts)
  if (clausesOnly && passing.length === 0) passing = openingCopies(corpus, text, shared);
  return { passing: closeRelatives(ids, corpus, passing, partialOnly), partialOnly, gappedOnly, clausesOnly };
}

/** The licence of this round's windows, or null when none is near enough. */
function choose(corpus: LicenseCorpus, text: IndexedText, words: string[], windows: Candidate[], threshold: number, shared: Int32Array, found: TextMatch[]): TextMatch | null {
  const ids = text.words;
  const { passing, partialOnly, gappedOnly, clausesOnly } = passingWindows(corpus, text, words, windows, threshold, shared, found);
  // the best score, unless its title names another close one, or another licence explains
  // clearly more of the text (a longer licence that contains a shorter one, in full or in part)
  let top: Candidate | undefined = passing.length ? passing.reduce((a, b) => (b.score > a.score ? b : a)) : undefined;
  // (a family's name above a near copy of one of its members does not trade it for another member)
  const member = top && !partialOnly ? corpus.licenses[top.index].id : undefined;
  if (!top || !isExact(ids, top, corpus.licenses[top.index])) top = titled(corpus, text, words, windows, top, threshold, member) ?? top;
  if (!top) return null;
  // (a licence indexed twice, with and without its optional part, counts with its wider copy)
  const topId = corpus.licenses[top.index].id;
  const topCommon = Math.max(top.common, ...passing.filter((c) => corpus.licenses[c.index].id === topId).map((c) => c.common));
  const wider = partialOnly ? passing : [...passing, ...partial(corpus, windows).filter((c) => c.start <= top.start && c.end >= top.end)];
  // ... or one whose text holds the best one's and whose own part is in the window too (NPL-1.1's
  // amendments above the MPL-1.1 it contains): it passes, covers the best window, and holds at
  // least half of the bigrams only it has
  const holdsItsOwn = (c: Candidate) =>
    c.score >= threshold &&
    c.start <= top.start &&
    c.end >= top.end &&
    c.common > topCommon &&
    corpus.licenses[c.index].bigramCount > corpus.licenses[top.index].bigramCount &&
    variantEvidence(corpus.licenses[c.index], corpus.licenses[top.index], ids, c.start, c.end) >= OWN_PART;
  // ... or a partial copy made only of its licence's words, where the best leaves some of them
  // unexplained (the Sleepycat clause without the BSD texts after it, near TOSL's rewording of it)
  const verbatim = (c: Candidate) => !partialOnly && c.common > topCommon && c.common >= VERBATIM * c.size && top.common < UNEXPLAINED * top.size && !isExact(ids, top, corpus.licenses[top.index]);
  // (not a window that reaches past the best one's text into the next text's clauses: two copies)
  const beats = (c: Candidate) => (c.common > topCommon * MORE_TEXT || holdsItsOwn(c) || verbatim(c)) && holdsBest(c, top) && !spansTwoCopies(corpus.licenses[c.index].words, ids, c.start, c.end);
  const widest = wider.filter(beats).reduce((a, b) => (b.common > a.common ? b : a), top);
  let best = isExact(ids, widest, corpus.licenses[widest.index]) ? widest : preferBase(corpus, ids, widest, passing);
  // a variant whose own name heads the text ("MIT No Attribution") is that variant
  if (best !== widest && namedAt(corpus, words, widest.start).has(widest.index)) best = widest;
  const lic = corpus.licenses[best.index];
  const method = isExact(ids, best, lic) ? 'exact' : gappedOnly && !clausesOnly && passing.includes(best) ? 'gapped' : partialOnly || !passing.includes(best) ? 'partial' : 'dice';
  const gaps = method === 'exact' ? [] : addedSentences(lic.words, ids, best.start, best.end);
  return { id: lic.id, score: best.score, method, start: best.start, end: best.end, ...(gaps.length ? { gaps } : {}) };
}

/**
 * The window of the licence that the opening of the best window names (titles.ts), when it is
 * near the best (TITLE_CLOSE), or passes, or is a partial copy of it at any length (the title
 * gives what the 100-bigram floor of `partial` asks for); undefined when no such licence, or
 * several. A variant is traded for its base by its title only as relatives.ts trades it, when the
 * window lacks the variant's own words ("The Q Public License" heads QPL's INRIA variant too).
 */
function titled(corpus: LicenseCorpus, text: IndexedText, words: string[], windows: Candidate[], top: Candidate | undefined, threshold: number, member?: string): Candidate | undefined {
  const first = top ?? windows[0];
  if (!first) return undefined;
  const named = [...namedAt(corpus, words, first.start, member)];
  if (named.length === 0 || (top && named.includes(top.index))) return undefined;
  const missing = named.filter((index) => !windows.some((c) => c.index === index));
  const extra = windowsOf(corpus, text, missing)
    .filter((c): c is Candidate => c !== undefined)
    .map((c) => trimmed(text, corpus.licenses[c.index], c));
  const idsOf = (index: number) => [corpus.licenses[index].id, ...corpus.licenses[index].aliases];
  const isVariant = (v: number, b: number) => idsOf(v).some((x) => idsOf(b).some((y) => isVariantOf(x, y)));
  // (or its opening word for word, cut too short to be a partial copy: the title says which,
  // unless a variant of it holds as much: "The Unlicense"'s first sentence opens its variants too)
  const opening = (c: Candidate) => isOpeningCopy(corpus, text, c) && !windows.some((w) => w.common >= c.common && isVariant(w.index, c.index));
  const near = [...windows, ...extra].filter((c) => named.includes(c.index) && (c.score >= threshold || (top && c.score >= top.score - TITLE_CLOSE) || partial(corpus, [c], 0).length || opening(c)));
  if (new Set(near.map((c) => corpus.licenses[c.index].id)).size !== 1) return undefined;
  const pick = near.reduce((a, b) => (b.common > a.common ? b : a));
  const asOpening = (c: Candidate) => (opening(c) ? { ...c, score: c.common / c.size } : c);
  const chosen = pick.score >= threshold ? pick : (partial(corpus, [pick], 0)[0] ?? asOpening(pick));
  const variantOfPick = top && isVariant(top.index, pick.index);
  return variantOfPick && preferBase(corpus, text.words, top, [top, chosen]) === top ? undefined : chosen;
}

/** Every licence text found in `text`, in text order. */
export function matchLicenseText(text: string, options: MatchOptions = {}): TextMatch[] {
  return matchWords(licenseWords(text), options);
}
