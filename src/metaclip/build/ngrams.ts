/**
 * Unigram and bigram counts of one language's Wikipedia text, as build_ngram.py counts them:
 * HTML tags removed; tokens from the simple tokenizer (spaced languages) or from a word
 * segmenter run on each whitespace-separated chunk (languages without spaces); a punctuation
 * token, and for languages without spaces a "weird" token, breaks the bigram chain. Each file
 * is one token stream (bigrams run across its lines, not across files), as the reference reads
 * a whole file at once.
 */
import { ThresherError } from '../../core/errors.js';
import { fileLines } from '../metadata.js';
import { pythonStrip } from '../spacing.js';
import type { WordSegmenter } from './segmenter.js';
import { isPurePunctuation, isWeirdToken, NO_SPACE_LANGUAGES, pythonSplit, removeHtmlTags, simpleTokens } from './text.js';

/**
 * Counts by string. A JavaScript Map holds at most 2^24 keys, fewer than a large Wikipedia's
 * distinct bigrams, so keys spread over 64 maps.
 */
export class StringCounter {
  private readonly shards: Map<string, number>[] = Array.from({ length: 64 }, () => new Map());

  private shard(key: string): Map<string, number> {
    const n = key.length;
    return this.shards[(key.charCodeAt(0) * 31 + key.charCodeAt(n - 1) * 7 + n) & 63];
  }

  add(key: string, n = 1): void {
    const m = this.shard(key);
    m.set(key, (m.get(key) ?? 0) + n);
  }

  get(key: string): number {
    return this.shard(key).get(key) ?? 0;
  }

  get size(): number {
    return this.shards.reduce((s, m) => s + m.size, 0);
  }

  *entries(): IterableIterator<[string, number]> {
    for (const m of this.shards) yield* m;
  }

  static from(counts: Iterable<[string, number]>): StringCounter {
    const c = new StringCounter();
    for (const [k, v] of counts) c.add(k, v);
    return c;
  }
}

export interface NgramCounts {
  unigrams: StringCounter;
  /** "w1 w2" (one space, also for languages without spaces: joining comes later) */
  bigrams: StringCounter;
}

export function newNgramCounts(): NgramCounts {
  return { unigrams: new StringCounter(), bigrams: new StringCounter() };
}

/** The tokens of one piece of text (HTML already removed). */
export function tokenize(text: string, language: string, segmenter?: WordSegmenter): string[] {
  if (!NO_SPACE_LANGUAGES.has(language)) return simpleTokens(text);
  if (!segmenter) throw new ThresherError(`language ${language} is written without spaces: tokenizing it needs a word segmenter`);
  const out: string[] = [];
  for (const chunk of pythonSplit(text)) for (const t of segmenter.segment(chunk)) out.push(t);
  return out;
}

/**
 * build_ngram's `count_ngrams` over `tokens`; `prev` carries the chain from the previous
 * piece of the same stream (null at its start). Returns the chain's last token.
 */
export function countTokens(tokens: readonly string[], counts: NgramCounts, language: string, prev: string | null = null): string | null {
  const noSpace = NO_SPACE_LANGUAGES.has(language);
  for (const raw of tokens) {
    const token = pythonStrip(raw);
    if (token.length === 0) continue;
    if (isPurePunctuation(token) || (noSpace && isWeirdToken(token))) {
      prev = null;
      continue;
    }
    counts.unigrams.add(token);
    if (prev !== null) counts.bigrams.add(`${prev} ${token}`);
    prev = token;
  }
  return prev;
}

/** Count the n-grams of Wikipedia text files (plain or gzip; e.g. WikiExtractor output). */
export async function countWikiText(files: readonly string[], language: string, segmenter?: WordSegmenter, counts: NgramCounts = newNgramCounts()): Promise<NgramCounts> {
  for (const file of files) {
    let prev: string | null = null;
    for await (const [, line] of fileLines(file)) prev = countTokens(tokenize(removeHtmlTags(line), language, segmenter), counts, language, prev);
  }
  return counts;
}
