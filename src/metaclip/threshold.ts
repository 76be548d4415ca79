/**
 * Choosing the balancing threshold t.
 *
 * - tail share of t (MetaCLIP 2 `t_to_p`): sum of counts below t over all counts;
 * - t of a tail share (MetaCLIP 2 `p_to_t`), used to give every language the English tail
 *   share;
 * - t of a target output size, two ways:
 *   * from counts alone, the entry-level size `sum_e min(count[e], t)`: what balancing keeps
 *     per entry; it over-counts texts that match several entries;
 *   * exactly, the expected number of kept texts `sum_texts 1 - prod (1 - p[e])`, which
 *     needs every text's match list: streamed over the data, several t per pass.
 *   Both are non-decreasing in t, so they are solved by search.
 */

import { entryProbabilities } from './balance.js';

function sortedCopy(counts: ArrayLike<number>): Float64Array {
  const sorted = Float64Array.from(counts);
  sorted.sort();
  return sorted;
}

/** Share of all matches held by tail entries (count < t), as MetaCLIP 2 `t_to_p`. 0 when there are no matches. */
export function tailShare(counts: ArrayLike<number>, t: number): number {
  let tail = 0;
  let total = 0;
  for (let e = 0; e < counts.length; e++) {
    const c = counts[e];
    total += c;
    if (c < t) tail += c;
  }
  return total > 0 ? tail / total : 0;
}

/**
 * MetaCLIP 2 `p_to_t`, exactly: sort the counts, take the cumulative share after each, and
 * return the count where that share is closest to `p` (the first such on ties). The result
 * is one of the counts, so `tailShare(counts, t)` is near `p` but not equal to it.
 */
export function thresholdForTailShare(counts: ArrayLike<number>, p: number): number {
  if (counts.length === 0) throw new RangeError('no counts');
  const sorted = sortedCopy(counts);
  let total = 0;
  for (let i = 0; i < sorted.length; i++) total += sorted[i];
  let cumulative = 0;
  let best = 0;
  let bestDistance = Infinity;
  for (let i = 0; i < sorted.length; i++) {
    cumulative += sorted[i];
    const distance = Math.abs(cumulative / total - p);
    if (distance < bestDistance) {
      bestDistance = distance;
      best = i;
    }
  }
  return sorted[best];
}

/**
 * MetaCLIP 2 per-language thresholds: the anchor language (English) keeps its t, every other
 * language gets `p_to_t` of the anchor's tail share, at least `minT`. `p_to_t` gives 0 for a
 * language whose closest cumulative share falls on entries nobody matched; the reference then
 * keeps nothing of that language (t = 0: every probability is 0), and so does the default
 * `minT` 0; `minT` 1 keeps such a language's tail instead.
 */
export function perLanguageThresholds(
  countsByLanguage: ReadonlyMap<string, ArrayLike<number>>,
  anchor: { language: string; t: number } = { language: 'en', t: 170_000 },
  minT = 0,
): Map<string, { t: number; tailShare: number }> {
  const anchorCounts = countsByLanguage.get(anchor.language);
  if (!anchorCounts) throw new RangeError(`no counts for the anchor language ${JSON.stringify(anchor.language)}`);
  const share = tailShare(anchorCounts, anchor.t);
  const out = new Map<string, { t: number; tailShare: number }>();
  for (const [language, counts] of countsByLanguage) {
    const t = language === anchor.language ? anchor.t : Math.max(minT, thresholdForTailShare(counts, share));
    out.set(language, { t, tailShare: tailShare(counts, t) });
  }
  return out;
}

/** Entry-level expected size `sum_e min(count[e], t)`: computable from counts alone. */
export function expectedEntryLevelSize(counts: ArrayLike<number>, t: number): number {
  let sum = 0;
  for (let e = 0; e < counts.length; e++) sum += Math.min(counts[e], t);
  return sum;
}

/**
 * Smallest integer t >= 1 with `expectedEntryLevelSize(counts, t) >= target`; the largest
 * count when the target is out of reach (then every match is kept).
 */
export function thresholdForEntryLevelSize(counts: ArrayLike<number>, target: number): number {
  const sorted = sortedCopy(counts);
  const n = sorted.length;
  if (n === 0) throw new RangeError('no counts');
  const prefix = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) prefix[i + 1] = prefix[i] + sorted[i];
  // f(t) = sum of counts < t + t * #(counts >= t), in O(log n) with the sorted prefix sums.
  const f = (t: number): number => {
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (sorted[mid] < t) lo = mid + 1;
      else hi = mid;
    }
    return prefix[lo] + t * (n - lo);
  };
  const maxCount = Math.max(1, sorted[n - 1]);
  if (f(maxCount) < target) return maxCount;
  let lo = 0; // f(lo) < target (f(0) = 0), unless target <= 0
  let hi = maxCount; // f(hi) >= target
  if (target <= 0) return 1;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (f(mid) >= target) hi = mid;
    else lo = mid;
  }
  return hi;
}

/**
 * Expected number of kept texts for several t at once: feed every text's match list to
 * `add`, read `expected`. One pass over the data evaluates all the candidate t.
 */
export class TextLevelSizeEstimator {
  readonly thresholds: readonly number[];
  readonly expected: Float64Array;
  /** texts seen, and texts with at least one match (the size reached for t >= max count) */
  texts = 0;
  matchedTexts = 0;
  private readonly probs: Float64Array[];

  constructor(counts: ArrayLike<number>, thresholds: readonly number[]) {
    this.thresholds = thresholds;
    this.expected = new Float64Array(thresholds.length);
    this.probs = thresholds.map((t) => entryProbabilities(counts, t));
  }

  add(matches: ArrayLike<number>): void {
    this.texts++;
    if (matches.length === 0) return;
    this.matchedTexts++;
    for (let k = 0; k < this.probs.length; k++) {
      const p = this.probs[k];
      let miss = 1;
      for (let i = 0; i < matches.length; i++) miss *= 1 - p[matches[i]];
      this.expected[k] += 1 - miss;
    }
  }
}

/** Exact expected number of kept texts at one t, from all the match lists. */
export function expectedTextLevelSize(matchLists: Iterable<ArrayLike<number>>, counts: ArrayLike<number>, t: number): number {
  const est = new TextLevelSizeEstimator(counts, [t]);
  for (const m of matchLists) est.add(m);
  return est.expected[0];
}

export interface TextLevelSolution {
  /** smallest integer t with expected size >= target (the largest count if unreachable) */
  t: number;
  expected: number;
  reachable: boolean;
  passes: number;
}

/**
 * Smallest integer t whose expected kept-text count reaches `target`, by k-section search:
 * each pass evaluates `perPass` thresholds in one stream over the data. `evaluate(ts)` must
 * return the expected size for each t (use a `TextLevelSizeEstimator` over the match lists).
 * About log_{perPass+1}(max count) passes: 8 passes for counts up to 10^9 with 15 per pass.
 */
export async function thresholdForTextLevelSize(
  counts: ArrayLike<number>,
  target: number,
  evaluate: (thresholds: number[]) => ArrayLike<number> | Promise<ArrayLike<number>>,
  options: { perPass?: number } = {},
): Promise<TextLevelSolution> {
  const perPass = Math.max(1, options.perPass ?? 15);
  let maxCount = 1;
  for (let e = 0; e < counts.length; e++) if (counts[e] > maxCount) maxCount = counts[e];
  // Invariant: E(lo) < target <= E(hi), E(0) = 0; hi starts at max count, where every
  // matched text is kept.
  let lo = 0;
  let hi = maxCount;
  let eHi = NaN;
  let passes = 0;
  if (target <= 0) return { t: 1, expected: NaN, reachable: true, passes };
  {
    const first = [hi];
    const step = hi / perPass;
    for (let k = 1; k < perPass; k++) {
      const t = Math.round(k * step);
      if (t > lo && t < hi && !first.includes(t)) first.push(t);
    }
    first.sort((a, b) => a - b);
    const values = await evaluate(first);
    passes++;
    eHi = values[first.length - 1];
    if (eHi < target) return { t: maxCount, expected: eHi, reachable: false, passes };
    for (let k = 0; k < first.length; k++) {
      if (values[k] >= target) {
        hi = first[k];
        eHi = values[k];
        break;
      }
      lo = first[k];
    }
  }
  while (hi - lo > 1) {
    const ts: number[] = [];
    const step = (hi - lo) / (perPass + 1);
    for (let k = 1; k <= perPass; k++) {
      const t = lo + Math.round(k * step);
      if (t > lo && t < hi && (ts.length === 0 || t > ts[ts.length - 1])) ts.push(t);
    }
    if (ts.length === 0) break;
    const values = await evaluate(ts);
    passes++;
    for (let k = 0; k < ts.length; k++) {
      if (values[k] >= target) {
        hi = ts[k];
        eHi = values[k];
        break;
      }
      lo = ts[k];
    }
  }
  return { t: hi, expected: eHi, reachable: true, passes };
}
