import type { LicenseCorpus } from './corpus.js';
import { findNotices } from './notices.js';

/**
 * A licence text usually opens with its own name ("GNU Free Documentation License Version 1.3",
 * "Intel Open Source License", "Historical Permission Notice and Disclaimer"). When a copy
 * scores about as well against two relatives (a copy cut before the clauses that tell GFDL-1.2
 * from GFDL-1.3), or is a short licence cut too short for its bigrams alone to say which it is,
 * that name says which one it is: match.ts tries the licences a window's opening names.
 */

/** Words before a window's start and after it that hold its title (a title is a few words). */
const BEFORE = 25;
const AFTER = 15;
/** "Modified Apache 2.0 License", "a BSD-style licence": a name that says what the text is not. */
const NOT_THE_TEXT = /\b(?:modified|based on|derived from|adapted from|like|similar to)(?: the)? $/;

/** An id without its GNU `-only` / `-or-later` suffix: the title of a GNU text names the version only. */
const base = (id: string): string => id.replace(/-(?:only|or-later)$/, '');

const byBase = new WeakMap<LicenseCorpus, Map<string, number[]>>();

/** Corpus indices by suffix-free id, aliases included (a licence may be indexed twice: corpus.ts). */
function indicesByBase(corpus: LicenseCorpus): Map<string, number[]> {
  let map = byBase.get(corpus);
  if (!map) {
    map = new Map();
    corpus.licenses.forEach((lic, index) => {
      for (const id of new Set([lic.id, ...lic.aliases].map(base))) map!.set(id, [...(map!.get(id) ?? []), index]);
    });
    byBase.set(corpus, map);
  }
  return map;
}

/**
 * The corpus indices of the licences named in the opening of a window that starts at word `start`.
 * A family's name ("Distributed under the BSD license:") says the text is one of the family, not
 * which: it names nothing when `member` (the best window's licence) is of that family already.
 */
export function namedAt(corpus: LicenseCorpus, words: string[], start: number, member?: string): Set<number> {
  const opening = words.slice(Math.max(0, start - BEFORE), start + AFTER).join(' ');
  const out = new Set<number>();
  if (!opening) return out;
  for (const n of findNotices(opening)) {
    if ((n.family !== undefined && member?.startsWith(`${n.family}-`)) || NOT_THE_TEXT.test(opening.slice(0, n.at)) || /^[ -]*style\b/.test(opening.slice(n.end))) continue;
    for (const id of n.id.split(' OR ')) for (const index of indicesByBase(corpus).get(base(id)) ?? []) out.add(index);
  }
  return out;
}
