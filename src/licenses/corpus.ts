import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { storedBuild, type StoredBuild } from '../core/build-store.js';
import { corpusFromBytes, corpusToBytes } from './corpus-bytes.js';
import { DEPRECATED_WITH_EXCEPTION } from './expression.js';
import { licenseWords } from './normalize.js';
import { Postings } from './postings.js';

/**
 * The reference texts the matcher compares against: every licence of the SPDX list with its
 * full text (the `spdx-license-list` package), normalised once per process and indexed by word
 * bigram. A bigram is the pair of word ids `a·2^15 + b`: a small integer while both words are
 * in the licences' vocabulary (about 11k words), which keeps Map and Set lookups on the fast
 * path; words only an input has get larger ids and keys (still exact doubles). The inverted index
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
  /** word → id (ids from 1; words not in any licence get ids per text, from BIGRAM_BASE on). */
  vocabulary: Map<string, number>;
  /** bigram → indices into `licenses`, ascending. */
  postings: Postings;
}

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

export const BIGRAM_BASE = 2 ** 15;

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
        if (id >= BIGRAM_BASE) throw new Error(`licence vocabulary over ${BIGRAM_BASE} words`);
        vocabulary.set(words[i], id);
      } else {
        id = extra.get(words[i]);
        if (id === undefined) extra.set(words[i], (id = BIGRAM_BASE + extra.size));
      }
    }
    ids[i] = id;
  }
  return ids;
}

/** The bigram at i: `a·2^15 + b` for vocabulary words; a negative key (never in the index) otherwise. */
export function bigramAt(words: Int32Array, i: number): number {
  const a = words[i];
  const b = words[i + 1];
  return a < BIGRAM_BASE && b < BIGRAM_BASE ? a * BIGRAM_BASE + b : -(a * 2 ** 22 + b);
}

/** FNV-1a over the ids and the length. */
function hashIds(ids: Int32Array): number {
  let h = 0x811c9dc5 ^ ids.length;
  for (let i = 0; i < ids.length; i++) h = Math.imul(h ^ ids[i], 0x01000193);
  return h >>> 0;
}

function sameIds(a: Int32Array, b: Int32Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The text's distinct bigram keys, ascending. */
function distinctBigrams(words: Int32Array): Int32Array {
  if (words.length < 2) return new Int32Array(0);
  const all = new Int32Array(words.length - 1);
  for (let i = 0; i + 1 < words.length; i++) all[i] = bigramAt(words, i);
  all.sort();
  let n = 1;
  for (let i = 1; i < all.length; i++) if (all[i] !== all[n - 1]) all[n++] = all[i];
  return all.subarray(0, n);
}

/**
 * What follows "END OF TERMS AND CONDITIONS" (Apache-2.0's appendix, the GPLs' "How to Apply
 * These Terms") is optional in the SPDX templates; many copies leave it out, and without it
 * Apache-2.0 is nearer to Pixar (Apache terms plus a paragraph) than to its own full text. Such
 * licences are indexed twice, with and without the optional part.
 */
function withoutOptionalTail(text: string): string | undefined {
  const end = text.indexOf('END OF TERMS AND CONDITIONS');
  return end > 0 && text.length - end > 200 ? text.slice(0, end) : undefined;
}

/**
 * The Apache-1.x family (and the licences written from it) ends with a paragraph crediting the
 * contributors ("This software consists of voluntary contributions made by many individuals on
 * behalf of ..."), optional in SPDX's Apache-1.1 template and left out by most copies that put
 * their own names in: such licences are also indexed without it.
 */
function withoutContributorsParagraph(text: string): string | undefined {
  const at = text.search(/SUCH DAMAGE\.\s+This software consists of voluntary contributions/);
  return at > 0 ? text.slice(0, at + 'SUCH DAMAGE.'.length) : undefined;
}

/** [SPDX id, text] pairs: no deprecated ids (but the licence-with-exception ones renamed). */
function referenceTexts(): [string, string][] {
  const full = require('spdx-license-list/full') as Record<string, { licenseText: string }>;
  const current = new Set(require('spdx-license-ids') as string[]); // without deprecated ids and `X+` forms
  const out: [string, string][] = [];
  for (const [id, entry] of Object.entries(full)) {
    const name = DEPRECATED_WITH_EXCEPTION[id] ?? (current.has(id) ? id : undefined);
    if (name === undefined) continue;
    const text = ownPart(id, entry.licenseText);
    out.push([name, text]);
    const terms = withoutOptionalTail(text) ?? withoutContributorsParagraph(text);
    if (terms) out.push([name, terms]);
  }
  return out;
}

/** Builds the corpus from [id, text] pairs; `loadCorpus` gives the SPDX one. */
export function buildCorpus(texts: Iterable<[string, string]>): LicenseCorpus {
  const vocabulary = new Map<string, number>();
  // texts with the same words are one licence with aliases; found by a hash of the word ids
  // (joining the words into a key string cost more than hashing and comparing the ids)
  const byHash = new Map<number, { ids: string[]; words: Int32Array }[]>();
  const groups: { ids: string[]; words: Int32Array }[] = [];
  for (const [id, text] of texts) {
    const words = wordIds(licenseWords(text), vocabulary);
    const hash = hashIds(words);
    const same = byHash.get(hash)?.find((g) => sameIds(g.words, words));
    if (same) {
      if (!same.ids.includes(id)) same.ids.push(id);
      continue;
    }
    const group = { ids: [id], words };
    groups.push(group);
    byHash.set(hash, [...(byHash.get(hash) ?? []), group]);
  }
  const licenses: ReferenceLicense[] = [];
  const bigramsOf: Int32Array[] = [];
  for (const { ids, words } of groups) {
    const bigrams = distinctBigrams(words);
    if (bigrams.length < MIN_BIGRAMS) continue;
    ids.sort(preferredFirst);
    licenses.push({ id: ids[0], aliases: ids.slice(1), words, bigramCount: bigrams.length });
    bigramsOf.push(bigrams);
  }
  return { licenses, vocabulary, postings: Postings.fromLicenceBigrams(bigramsOf) };
}

/**
 * What the SPDX corpus is built from: the two SPDX packages' versions and this folder's compiled
 * code (normalisation and what is indexed live here), so an upgrade or a code change builds it
 * again instead of reading a stale store.
 */
function corpusKey(): string {
  const hash = createHash('sha256').update('thresher-license-corpus/2\0');
  for (const pkg of ['spdx-license-list', 'spdx-license-ids']) {
    const manifest = require(`${pkg}/package.json`) as { version: string };
    hash.update(`${pkg}@${manifest.version}\0`);
  }
  const here = path.dirname(fileURLToPath(import.meta.url));
  for (const name of readdirSync(here)
    .filter((f) => f.endsWith('.js'))
    .sort())
    hash.update(name).update(readFileSync(path.join(here, name)));
  return hash.digest('hex');
}

/** How the SPDX corpus is built, stored and read back (core/build-store.ts). */
export function spdxCorpusBuild(): StoredBuild<LicenseCorpus> {
  return {
    kind: 'license-corpus',
    key: corpusKey(),
    build: () => buildCorpus(referenceTexts()),
    toBytes: corpusToBytes,
    fromBytes: corpusFromBytes,
  };
}

let cached: LicenseCorpus | undefined;

/**
 * The SPDX corpus, kept for the life of the process (or worker) and between runs in the build
 * store: building it from the 5 MB of SPDX texts takes about a second, loading it 60 ms.
 */
export function loadCorpus(): LicenseCorpus {
  return (cached ??= storedBuild(spdxCorpusBuild()));
}
