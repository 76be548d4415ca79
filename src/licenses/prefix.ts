import { bigramAt, type LicenseCorpus } from './corpus.js';
import { othersHolding, windows as windowsOf, type Candidate, type IndexedText } from './windows.js';

/**
 * A long licence cut to its opening: the first 40% of a GPL or an Apache text holds under half
 * of the licence's bigrams, so it is no candidate of the matcher (windows.ts asks for half) and
 * no partial copy (match.ts). It is still that licence when the window is, nearly word for word,
 * the licence's own opening, and no other SPDX text with another id holds nearly all of it:
 * relatives whose openings are the same words (two versions of one licence cut before where
 * they differ) stay unread.
 */

/** Licences shorter than this (in words) are read by the other rules. */
const LONG = 600;
/** A candidate holds at least this share of its bigrams in the text ... */
const MIN_CONTAINMENT = 0.3;
/** ... and at least this many. */
const MIN_BIGRAMS = 150;
/** Candidates tried, most bigrams shared first. */
const TRIED = 4;
/** The window is this much its licence's words ... */
const VERBATIM = 0.97;
/** ... and holds this share of the bigrams of the licence's opening of the same length. */
const OPENING = 0.9;
/** Another licence holding this share of the window's bigrams makes it no one licence's. */
const SHARED = 0.9;

/** The window of the long licence whose opening the text is, or none. */
export function openingCopies(corpus: LicenseCorpus, text: IndexedText, shared: Int32Array): Candidate[] {
  const indices: number[] = [];
  for (let l = 0; l < shared.length; l++) {
    const lic = corpus.licenses[l];
    if (lic.words.length > LONG && shared[l] >= MIN_BIGRAMS && shared[l] >= MIN_CONTAINMENT * lic.bigramCount) indices.push(l);
  }
  indices.sort((a, b) => shared[b] - shared[a]);
  for (const w of windowsOf(corpus, text, indices.slice(0, TRIED))) {
    if (!w || w.common < VERBATIM * w.size || !isOpening(corpus, text, w)) continue;
    if (othersHolding(corpus, text, w, SHARED) > 0) continue;
    return [{ ...w, score: w.common / w.size }];
  }
  return [];
}

/**
 * Whether window `c` is, nearly word for word, its licence's opening (at any length): what a
 * title naming that licence needs to read a copy cut too short for the other rules (titles.ts).
 */
export function isOpeningCopy(corpus: LicenseCorpus, text: IndexedText, c: Candidate): boolean {
  return c.common >= VERBATIM * c.size && isOpening(corpus, text, c);
}

/** Whether the window holds OPENING of the bigrams of its licence's first words, as many as the window has. */
function isOpening(corpus: LicenseCorpus, text: IndexedText, c: Candidate): boolean {
  const words = corpus.licenses[c.index].words;
  const inWindow = new Set<number>();
  for (let i = c.start; i < c.end - 1; i++) if (text.live[i]) inWindow.add(bigramAt(text.words, i));
  const opening = new Set<number>();
  for (let i = 0; i + 1 < Math.min(words.length, c.end - c.start); i++) opening.add(bigramAt(words, i));
  let held = 0;
  for (const b of opening) if (inWindow.has(b)) held++;
  return held >= OPENING * opening.size;
}
