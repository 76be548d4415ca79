import { createRequire } from 'node:module';
import { licenseWords } from './normalize.js';

/**
 * The reference texts the matcher compares against: every licence of the SPDX list with its
 * full text (the `spdx-license-list` package), normalised once per process and indexed by word
 * bigram. A bigram is the pair of word ids `a·2^21 + b` (exact in a double); the inverted index
 * maps each bigram to the licences whose text holds it, ascending.
 *
 * Deprecated ids are not indexed, except those that name a licence with an exception: their
 * text is indexed under the modern expression (`GPL-2.0-with-classpath-exception` →
 * `GPL-2.0-only WITH Classpath-exception-2.0`). Licences whose normalised texts are identical
 * (`GPL-2.0-only` and `GPL-2.0-or-later`: the text does not say which) are indexed once, under
 * the preferred id (see `preferredFirst`), with the others kept as aliases.
 */

const require = createRequire(import.meta.url);

export interface ReferenceLicense {
  /** SPDX id, or an expression for deprecated licence-with-exception texts. */
  id: string;
  /** Other ids with the same normalised text. */
  aliases: string[];
  /** Word ids of the normalised text. */
  words: Int32Array;
  /** Distinct bigrams in the text. */
  bigramCount: number;
}

export interface LicenseCorpus {
  licenses: ReferenceLicense[];
  /** word → id (ids from 1; words not in any licence get ids per text, above `vocabulary.size`). */
  vocabulary: Map<string, number>;
  /** bigram → indices into `licenses`, ascending. */
  postings: Map<number, Int32Array>;
}

/** Deprecated SPDX ids whose text is a licence plus an exception. */
const DEPRECATED_WITH_EXCEPTION: Record<string, string> = {
  'GPL-2.0-with-classpath-exception': 'GPL-2.0-only WITH Classpath-exception-2.0',
  'GPL-2.0-with-GCC-exception': 'GPL-2.0-only WITH GCC-exception-2.0',
  'GPL-2.0-with-autoconf-exception': 'GPL-2.0-only WITH Autoconf-exception-2.0',
  'GPL-2.0-with-bison-exception': 'GPL-2.0-only WITH Bison-exception-2.2',
  'GPL-2.0-with-font-exception': 'GPL-2.0-only WITH Font-exception-2.0',
  'GPL-3.0-with-GCC-exception': 'GPL-3.0-only WITH GCC-exception-3.1',
  'GPL-3.0-with-autoconf-exception': 'GPL-3.0-only WITH Autoconf-exception-3.0',
  'eCos-2.0': 'GPL-2.0-or-later WITH eCos-exception-2.0',
  wxWindows: 'LGPL-2.0-or-later WITH WxWindows-exception-3.1',
};

/**
 * The SPDX text of LGPL-3.0 is the LGPL's additional permissions followed by the whole GPL-3.0;
 * projects ship the two as separate files (COPYING and COPYING.LESSER), so the LGPL part is
 * indexed alone and a folder holding both reads as LGPL-3.0 (see directories.ts).
 */
function ownPart(id: string, text: string): string {
  if (!id.startsWith('LGPL-3.0')) return text;
  const gpl = text.indexOf('\nGNU GENERAL PUBLIC LICENSE\nVersion 3');
  return gpl > 0 ? text.slice(0, gpl) : text;
}

/** Texts shorter than this (distinct bigrams) are too generic to find inside other text. */
const MIN_BIGRAMS = 12;

export const BIGRAM_BASE = 2 ** 21;

/** Among licences with one text: `-only` before `-or-later`, then the shorter id, then by name. */
function preferredFirst(a: string, b: string): number {
  const rank = (id: string) => (id.includes('-or-later') || id.endsWith('+') ? 1 : 0);
  return rank(a) - rank(b) || a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}

/** Word ids of `words`; words the vocabulary lacks get fresh ids in `extra` (per text). */
export function wordIds(words: string[], vocabulary: Map<string, number>, extra?: Map<string, number>): Int32Array {
  const ids = new Int32Array(words.length);
  for (let i = 0; i < words.length; i++) {
    let id = vocabulary.get(words[i]);
    if (id === undefined) {
      if (!extra) {
        id = vocabulary.size + 1;
        vocabulary.set(words[i], id);
      } else {
        id = extra.get(words[i]);
        if (id === undefined) extra.set(words[i], (id = vocabulary.size + 1 + extra.size));
      }
    }
    ids[i] = id;
  }
  return ids;
}

export function bigramAt(words: Int32Array, i: number): number {
  return words[i] * BIGRAM_BASE + words[i + 1];
}

function distinctBigrams(words: Int32Array): number[] {
  const seen = new Set<number>();
  for (let i = 0; i + 1 < words.length; i++) seen.add(bigramAt(words, i));
  return [...seen];
}

/** SPDX id → full text, without deprecated ids (but with the licence-with-exception ones renamed). */
function referenceTexts(): Map<string, string> {
  const full = require('spdx-license-list/full') as Record<string, { licenseText: string }>;
  const current = new Set(require('spdx-license-ids') as string[]); // without deprecated ids and `X+` forms
  const out = new Map<string, string>();
  for (const [id, entry] of Object.entries(full)) {
    const renamed = DEPRECATED_WITH_EXCEPTION[id];
    if (renamed) out.set(renamed, entry.licenseText);
    else if (current.has(id)) out.set(id, ownPart(id, entry.licenseText));
  }
  return out;
}

/** Builds the corpus from the given texts (id → text); `loadCorpus` gives the SPDX one. */
export function buildCorpus(texts: Map<string, string>): LicenseCorpus {
  const vocabulary = new Map<string, number>();
  const byText = new Map<string, { ids: string[]; words: Int32Array }>();
  for (const [id, text] of texts) {
    const words = licenseWords(text);
    const key = words.join(' ');
    const group = byText.get(key);
    if (group) group.ids.push(id);
    else byText.set(key, { ids: [id], words: wordIds(words, vocabulary) });
  }
  const licenses: ReferenceLicense[] = [];
  const lists = new Map<number, number[]>();
  for (const { ids, words } of byText.values()) {
    const bigrams = distinctBigrams(words);
    if (bigrams.length < MIN_BIGRAMS) continue;
    ids.sort(preferredFirst);
    const index = licenses.length;
    licenses.push({ id: ids[0], aliases: ids.slice(1), words, bigramCount: bigrams.length });
    for (const b of bigrams) {
      const list = lists.get(b);
      if (list) list.push(index);
      else lists.set(b, [index]);
    }
  }
  const postings = new Map<number, Int32Array>();
  for (const [b, list] of lists) postings.set(b, Int32Array.from(list));
  return { licenses, vocabulary, postings };
}

let cached: LicenseCorpus | undefined;

/** The SPDX corpus, built on first use and kept for the life of the process (or worker). */
export function loadCorpus(): LicenseCorpus {
  return (cached ??= buildCorpus(referenceTexts()));
}
