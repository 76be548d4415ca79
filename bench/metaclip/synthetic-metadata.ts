/**
 * A realistic ~500k-entry metadata for benchmarks, shaped like MetaCLIP's 500k list
 * (WordNet lemmas + frequent unigrams + bigrams + Wikipedia-style titles) from what this
 * machine has: the given base metadata, every lemma of every WordNet 3.1 synset (not only the
 * head lemma, case kept), unigrams/bigrams/trigrams of the benchmark captions by frequency
 * (case kept, as Wikipedia n-grams are), and title-cased multi-word lemmas as stand-ins for
 * page titles, then pairs of capitalised lemmas as further titles. Deterministic. Because n-grams come from the benchmark captions themselves,
 * texts match more entries than they would against the real list: a harder case, not an
 * easier one.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { defaultWordnetDir } from '../../src/metaclip/metadata.js';
import { spacing } from '../../src/metaclip/spacing.js';

/** Every lemma of every synset, `_` -> space, markers removed, case kept. */
function allWordnetLemmas(dir: string): string[] {
  const out: string[] = [];
  for (const name of ['data.noun', 'data.verb', 'data.adj', 'data.adv']) {
    for (const line of readFileSync(path.join(dir, name), 'latin1').split('\n')) {
      if (line.length === 0 || line.startsWith('  ')) continue;
      const f = line.split(' ');
      const count = parseInt(f[3], 16);
      for (let i = 0; i < count; i++) out.push(f[4 + 2 * i].replace(/\([a-z]+\)$/, '').replaceAll('_', ' '));
    }
  }
  return out;
}

function ngramsByFrequency(texts: readonly string[], n: number, minCount: number): string[] {
  const counts = new Map<string, number>();
  for (const t of texts) {
    const words = spacing(t)
      .split(' ')
      .filter((w) => w.length > 0 && !/^[,.;:?!`]$/.test(w));
    for (let i = 0; i + n <= words.length; i++) {
      const g = words.slice(i, i + n).join(' ');
      counts.set(g, (counts.get(g) ?? 0) + 1);
    }
  }
  return [...counts]
    .filter(([, c]) => c >= minCount)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .map(([g]) => g);
}

const titleCase = (s: string): string => s.replace(/(^|\s)(\p{Ll})/gu, (_, sp: string, c: string) => sp + c.toUpperCase());

export function syntheticMetadata(base: readonly string[], texts: readonly string[], size = 500_000, wordnetDir = defaultWordnetDir()): string[] {
  const out = new Set<string>(base);
  const add = (list: Iterable<string>): void => {
    for (const e of list) {
      if (out.size >= size) return;
      if (e.length > 0) out.add(e);
    }
  };
  const lemmas = allWordnetLemmas(wordnetDir);
  add(lemmas);
  add(ngramsByFrequency(texts, 1, 2));
  add(ngramsByFrequency(texts, 2, 3));
  add(lemmas.filter((l) => l.includes(' ')).map(titleCase));
  add(lemmas.map((l) => l.toLowerCase()));
  add(lemmas.map(titleCase));
  add(ngramsByFrequency(texts, 3, 3));
  add(ngramsByFrequency(texts, 2, 2));
  add(ngramsByFrequency(texts, 1, 1));
  // Fill up with title-like pairs of capitalised lemmas ("Lincoln Bay"): like most real
  // Wikipedia titles they rarely match a caption, but they grow the trie where real titles
  // do, under capitalised words.
  const proper = [...new Set(lemmas.filter((l) => /^\p{Lu}/u.test(l)))];
  let state = 0x2545f491;
  const next = (): number => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) % proper.length;
  };
  while (out.size < size) out.add(`${proper[next()]} ${proper[next()]}`);
  return [...out];
}
