import { bigramAt, type LicenseCorpus } from './corpus.js';
import type { TextMatch } from './match.js';

/**
 * One licence text read as two: a copy with sentences of its own inside it (or a clause moved)
 * can give up a stretch to a shorter licence whose words those are (HPND-Pbmplus's clauses in
 * the middle of an HPND-DEC copy, TU-Berlin-1.0's terms at the head of a TU-Berlin-2.0 copy), and
 * the longer licence is then found around it or right after it: "X AND Y" for one text. The
 * shorter match is part of the longer when the longer licence's text holds its words and the
 * longer match's own window does not (a second copy of them: two licences one after the other,
 * BSD-2-Clause then BSD-3-Clause, each hold their own), and the two windows overlap or nearly touch.
 */

/** The part holds at least this share of its window's bigrams in the longer licence's text ... */
const HELD = 0.9;
/** ... and the longer match's window (outside the part) holds less than this share of them. */
const REPEATED = 0.5;
/** Words of the copy's own at most between the part and the longer match. */
const NEAR = 40;

/** The matches (in text order) with each part of a longer match's licence folded into it. */
export function withoutParts(found: TextMatch[], words: Int32Array, corpus: LicenseCorpus): TextMatch[] {
  let out = found;
  for (let changed = true; changed;) {
    changed = false;
    for (const part of out) {
      const whole = out.find((m) => m !== part && isPartOf(part, m, words, corpus));
      if (!whole) continue;
      const merged = fold(part, whole);
      out = out.filter((m) => m !== part && m !== whole);
      out.push(merged);
      out.sort((a, b) => a.start - b.start);
      changed = true;
      break;
    }
  }
  return out;
}

function isPartOf(part: TextMatch, whole: TextMatch, words: Int32Array, corpus: LicenseCorpus): boolean {
  const gap = Math.max(part.start - whole.end, whole.start - part.end);
  if (gap > NEAR || part.end - part.start >= whole.end - whole.start) return false;
  const own = new Set<number>();
  corpus.licenses.forEach((lic, index) => {
    if (lic.id === whole.id) own.add(index);
  });
  const partBigrams = new Set<number>();
  for (let i = part.start; i + 1 < part.end; i++) partBigrams.add(bigramAt(words, i));
  if (partBigrams.size === 0) return false;
  let held = 0;
  for (const b of partBigrams) if (corpus.postings.get(b)?.some((index) => own.has(index))) held++;
  if (held < HELD * partBigrams.size) return false;
  const elsewhere = new Set<number>();
  for (let i = whole.start; i + 1 < whole.end; i++) if (i + 1 < part.start || i >= part.end) elsewhere.add(bigramAt(words, i));
  let repeated = 0;
  for (const b of partBigrams) if (elsewhere.has(b)) repeated++;
  return repeated < REPEATED * partBigrams.size;
}

/** The longer match over both windows; the words between them are the copy's own. */
function fold(part: TextMatch, whole: TextMatch): TextMatch {
  const between: [number, number][] = part.end < whole.start ? [[part.end, whole.start]] : whole.end < part.start ? [[whole.end, part.start]] : [];
  const gaps = [...(whole.gaps ?? []), ...(part.gaps ?? []), ...between].sort((a, b) => a[0] - b[0]);
  return { ...whole, start: Math.min(part.start, whole.start), end: Math.max(part.end, whole.end), method: whole.method === 'exact' ? 'dice' : whole.method, ...(gaps.length ? { gaps } : {}) };
}
