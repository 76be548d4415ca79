import { bigramAt, type LicenseCorpus, type ReferenceLicense } from './corpus.js';

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

/** Share of the bigrams of `variant` that `base` lacks which the window [from, to) of `words` holds. */
export function variantEvidence(variant: ReferenceLicense, base: ReferenceLicense, words: Int32Array, from: number, to: number): number {
  const own = bigramSet(base.words);
  const window = bigramSet(words, from, to);
  let specific = 0;
  let held = 0;
  for (const b of bigramSet(variant.words)) {
    if (own.has(b)) continue;
    specific++;
    if (window.has(b)) held++;
  }
  return specific === 0 ? 1 : held / specific;
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
