/**
 * One language's MetaCLIP 2 metadata, as build_metadata.py builds it (facebookresearch/MetaCLIP
 * metaclip/metadata/): "0".."99", the language's WordNet lemmas, then the most frequent
 * Wikipedia unigrams, the bigrams of highest PMI and the most viewed titles, each capped:
 *
 *   unigrams: min(251,465, ⌊0.1 × distinct unigrams⌋) new entries, by count
 *   bigrams:  PMI > 30, min(100,646, distinct bigrams) new entries, by PMI; joined without a
 *             space in languages written without spaces ("東京 タワー" → "東京タワー")
 *   titles:   min(61,235, ⌊0.76 × distinct titles⌋) new entries, by views
 *
 * (the upper bounds are MetaCLIP 1's English source sizes). Every candidate is stripped; empty,
 * all-punctuation and (Wikipedia's) longer-than-256-code-point ones are skipped; a cap counts
 * new entries only.
 * Ranking ties (the reference keeps its input order) are broken by code point, and each block
 * is sorted by code point as MetaCLIP 1's assembly (the reference's final list is a set).
 * One deviation: a cap of 0 adds nothing (the reference's loop adds one entry before its check).
 */
import { bigramPmi, compareCodePoints, type AssembledMetadata } from '../metadata.js';
import type { NgramCounts } from './ngrams.js';
import { cleanEntry, MAX_ENTRY_LENGTH, NO_SPACE_LANGUAGES } from './text.js';

export interface Caps {
  unigramShare: number;
  maxUnigrams: number;
  minPmi: number;
  maxBigrams: number;
  titleShare: number;
  maxTitles: number;
}

export const REFERENCE_CAPS: Readonly<Caps> = { unigramShare: 0.1, maxUnigrams: 251_465, minPmi: 30, maxBigrams: 100_646, titleShare: 0.76, maxTitles: 61_235 };

export interface LanguageSources {
  language: string;
  /** WordNet lemmas of the language (e.g. from Open Multilingual Wordnet) */
  wordnet?: readonly string[];
  /** Wikipedia unigram and bigram counts; bigram PMI uses the unigram counts */
  ngrams?: NgramCounts;
  /** Wikipedia title → views */
  titleViews?: ReadonlyMap<string, number>;
  caps?: Partial<Caps>;
}

export interface LanguageMetadata extends AssembledMetadata {
  sources: { name: string; candidates: number; added: number; cap?: number }[];
}

/** Descending by score, ties by code point: the reference's `sorted(..., reverse=True)` made deterministic. */
function ranked<T extends [string, number]>(items: Iterable<T>): T[] {
  return [...items].sort((a, b) => b[1] - a[1] || compareCodePoints(a[0], b[0]));
}

export function bigramPmiScores(ngrams: NgramCounts): [string, number][] {
  let total = 0;
  for (const [, c] of ngrams.unigrams.entries()) total += c;
  const out: [string, number][] = [];
  for (const [bigram, count] of ngrams.bigrams.entries()) {
    const space = bigram.indexOf(' ');
    const c1 = ngrams.unigrams.get(bigram.slice(0, space));
    const c2 = ngrams.unigrams.get(bigram.slice(space + 1));
    if (count <= 0 || c1 <= 0 || c2 <= 0) continue;
    out.push([bigram, bigramPmi(count, c1, c2, total)]);
  }
  return out;
}

export function buildLanguageMetadata(src: LanguageSources): LanguageMetadata {
  const caps = { ...REFERENCE_CAPS, ...src.caps };
  const seen = new Set<string>();
  const entries: string[] = [];
  const report: LanguageMetadata['sources'] = [];
  const block = (name: string, candidates: readonly string[], cap = Infinity, maxLength = MAX_ENTRY_LENGTH): void => {
    const added: string[] = [];
    for (const c of candidates) {
      if (added.length >= cap) break;
      const m = cleanEntry(c, maxLength);
      if (m === null || seen.has(m)) continue;
      seen.add(m);
      added.push(m);
    }
    // "0".."99" stay in numeric order, as in MetaCLIP 1's assembly
    entries.push(...(name === 'numbers' ? added : added.sort(compareCodePoints)));
    report.push({ name, candidates: candidates.length, added: added.length, ...(Number.isFinite(cap) ? { cap } : {}) });
  };
  block(
    'numbers',
    Array.from({ length: 100 }, (_, i) => String(i)),
  );
  if (src.wordnet) {
    // the reference drops "+" again for these three, whatever the lemma source
    const plus = ['zh', 'ja', 'fr'].includes(src.language);
    block(
      'wordnet',
      src.wordnet.map((m) => (plus ? m.replaceAll('+', '') : m)),
      Infinity,
      Infinity,
    );
  }
  if (src.ngrams) {
    const unigrams = ranked(src.ngrams.unigrams.entries());
    block(
      'unigrams',
      unigrams.map(([m]) => m),
      Math.min(caps.maxUnigrams, Math.floor(unigrams.length * caps.unigramShare)),
    );
    const join = NO_SPACE_LANGUAGES.has(src.language);
    const pmi = ranked(bigramPmiScores(src.ngrams).filter(([, s]) => s > caps.minPmi));
    block(
      'bigrams',
      pmi.map(([m]) => (join ? m.replaceAll(' ', '') : m)),
      Math.min(caps.maxBigrams, src.ngrams.bigrams.size),
    );
  }
  if (src.titleViews) {
    const titles = ranked(src.titleViews.entries());
    block(
      'titles',
      titles.map(([m]) => m),
      Math.min(caps.maxTitles, Math.floor(titles.length * caps.titleShare)),
    );
  }
  return { entries, sources: report };
}
