import { bigramAt, type LicenseCorpus, type ReferenceLicense } from './corpus.js';
import { diffHunks, type Hunk } from './diff.js';

/**
 * SPDX names a licence's variants after it: `BSD-3-Clause-HP`, `MIT-Modern-Variant`,
 * `HPND-sell-variant`, `OFL-1.1-RFN`, and a licence with an exception `GPL-2.0-only WITH …`. A
 * variant is its base licence plus or minus a clause ("patent infringement" among the damages,
 * "the entire permission notice in its entirety"), and the rest of its text is the base's with
 * other names. A copy that fills the base's names in its own way (a holder's name, "the
 * authors" for "the copyright holder") can score as near to a variant as to the base; the
 * variant is only right when the copy holds what makes it a variant. So a variant wins over its
 * base, when both match, only if the window holds at least VARIANT_EVIDENCE of the bigrams the
 * variant has and the base lacks (ScanCode, the licensecheck tests and licensee all read such
 * copies as the base licence).
 */

/** Share of a variant's own bigrams a window must hold for the variant to beat its base. */
const VARIANT_EVIDENCE = 0.5;

/** The base of a variant id: `BSD-3-Clause-HP` has BSD-3-Clause and BSD-3 (when listed); `X WITH E` has X. */
export function isVariantOf(variant: string, base: string): boolean {
  return variant.length > base.length && (variant.startsWith(`${base}-`) || variant.startsWith(`${base} WITH `));
}

function bigramSet(words: Int32Array, from = 0, to = words.length): Set<number> {
  const out = new Set<number>();
  for (let i = from; i + 1 < to; i++) out.add(bigramAt(words, i));
  return out;
}

/**
 * The stretch [lo, hi) of the licence's words that the window copies: a copy cut short (the first
 * 90% of a file, a header that stops mid-clause) or begun late holds none of the licence's words
 * past its cut. Read from the word diff of the licence (`n` words) against the window (hunks): a run
 * of licence words missing at either end, with no words of the copy's own in their place, is a
 * cut. The whole licence when the diff was too long to compute (null).
 */
function coveredRange(hunks: Hunk[] | null, n: number): [number, number] {
  if (!hunks || hunks.length === 0) return [0, n];
  const first = hunks[0];
  const last = hunks[hunks.length - 1];
  const lo = first.inserted === 0 && first.deletedFrom === 0 ? (first.deletedTo ?? 0) : 0;
  const hi = last.inserted === 0 && last.deletedTo === n ? (last.deletedFrom ?? n) : n;
  return hi > lo ? [lo, hi] : [0, n];
}

/** Longest word diff tried for the covered range and names (longer: the whole licence counts, no names). */
const MAX_EDITS = 800;
/**
 * A cut copy's evidence is over at least this many of the variant's own bigrams, so one or two
 * words of its own clause left before the cut do not make it the variant.
 */
const MIN_CUT_EVIDENCE = 3;
/** A cut counts only with some of the variant's own words this near it, or this near the text's end. */
const NEAR_CUT = 12;

/**
 * Share of the bigrams of `variant` that `base` lacks which the window [from, to) of `words`
 * holds. A copy cut short (where the text ends, or inside the variant's own clause: it holds
 * the clause's first words, then stops) is judged on the part of the variant it copies
 * (coveredRange), since it cannot hold the rest; a copy with text of its own beside it that
 * lacks a whole passage the variant adds at its start or end (ECL-2.0's preamble above Apache's
 * terms) is judged on the whole variant, which is what tells the two apart.
 */
export function variantEvidence(variant: ReferenceLicense, base: ReferenceLicense, words: Int32Array, from: number, to: number): number {
  const own = bigramSet(base.words);
  const window = bigramSet(words, from, to);
  const n = variant.words.length;
  // one word diff of the variant against the window tells both its names and where a copy is cut
  const hunks = diffHunks(variant.words, words, from, to, Math.min(MAX_EDITS, Math.ceil((n + to - from) * 0.3)));
  const named = namedPositions(variant, own, hunks);
  // per position of the variant: -1 shared with the base (or counted already), 0 own, 1 own and held
  const at = new Int8Array(Math.max(0, variant.words.length - 1)).fill(-1);
  const seen = new Set<number>();
  for (let i = 0; i + 1 < variant.words.length; i++) {
    const b = bigramAt(variant.words, i);
    if (own.has(b) || seen.has(b) || named?.[i]) continue;
    seen.add(b);
    at[i] = window.has(b) ? 1 : 0;
  }
  const count = (lo: number, hi: number, held: boolean) => {
    let k = 0;
    for (let i = Math.max(0, lo); i + 1 < hi && i < at.length; i++) if (at[i] === 1 || (!held && at[i] === 0)) k++;
    return k;
  };
  let [lo, hi] = coveredRange(hunks, n);
  // a cut is inside the variant's own words, or (at the end) where the text ends: a text that
  // begins where a relative's added preamble would end is no cut copy of the relative
  if (lo > 0 && count(lo, lo + NEAR_CUT, true) === 0) lo = 0;
  if (hi < n && words.length - to > NEAR_CUT && count(hi - NEAR_CUT, hi, true) === 0) hi = n;
  const held = count(lo, hi, true);
  if (lo === 0 && hi === n) return seen.size === 0 ? 1 : held / seen.size;
  // (a variant that only reorders its base has as few own bigrams as it has seams)
  return held / Math.max(count(lo, hi, false), Math.min(MIN_CUT_EVIDENCE, seen.size), 1);
}

/** A stretch of at most this many licence words that the copy replaces with as few of its own is a name. */
const NAME_WORDS = 3;
/** Own bigrams a variant must keep, its names aside, for the names to be set aside. */
const MIN_UNNAMED = 4;
/**
 * Only short variants' names are set aside: a long licence's relatives differ by many small
 * rewordings that a word diff would take for names (CUA-OPL-1.0 against MPL-1.1).
 */
const NAMED_MAX_WORDS = 600;

/**
 * The variant's bigram positions inside names the copy replaced (HPND-sell-variant's sample
 * holder "OpenVision", where a copy says "the authors"), read from the variant's word diff against
 * the window (hunks): no evidence either way, since every copy puts its own there. Undefined when that would leave fewer than MIN_UNNAMED own bigrams (a
 * variant that differs from its base by a word or two is told by those words).
 */
function namedPositions(variant: ReferenceLicense, own: Set<number>, hunks: Hunk[] | null): Uint8Array | undefined {
  const n = variant.words.length;
  if (n > NAMED_MAX_WORDS || !hunks) return undefined;
  const named = new Uint8Array(Math.max(0, n - 1));
  for (const h of hunks) {
    if (h.deleted === 0 || h.deleted > NAME_WORDS || h.inserted === 0 || h.inserted > NAME_WORDS) continue;
    named.fill(1, Math.max(0, h.deletedFrom! - 1), Math.min(n - 1, h.deletedTo!));
  }
  let unnamed = 0;
  for (let i = 0; i + 1 < n; i++) if (!named[i] && !own.has(bigramAt(variant.words, i))) unnamed++;
  return unnamed >= MIN_UNNAMED ? named : undefined;
}

/**
 * The licence to report for the window of `chosen`: its base licence among `matching` (the
 * other licences whose windows passed) when `chosen` is a variant of it whose own words the
 * window does not hold; `chosen` otherwise.
 */
export function preferBase<T extends { index: number; start: number; end: number }>(corpus: LicenseCorpus, words: Int32Array, chosen: T, matching: T[]): T {
  const lic = corpus.licenses[chosen.index];
  const ids = (l: ReferenceLicense) => [l.id, ...l.aliases];
  const bases = matching.filter((c) => c !== chosen && ids(corpus.licenses[c.index]).some((b) => ids(lic).some((v) => isVariantOf(v, b))));
  if (bases.length === 0) return chosen;
  // the nearest base: the longest id (BSD-3-Clause before BSD-3 for BSD-3-Clause-HP)
  const base = bases.reduce((a, b) => (corpus.licenses[b.index].id.length > corpus.licenses[a.index].id.length ? b : a));
  return variantEvidence(lic, corpus.licenses[base.index], words, chosen.start, chosen.end) >= VARIANT_EVIDENCE ? chosen : base;
}
