/**
 * MetaCLIP balancing: given global entry counts and a threshold t, an entry's probability is
 * `p[e] = t / max(count[e], t)` (1 for tail entries, count <= t), and a text with matched
 * entries M is kept with probability `1 - prod_{e in M} (1 - p[e])`. A text with no match is
 * never kept; a text with any tail entry is always kept.
 *
 * Draws come from `draw.ts`: a pure function of (seed, record id, stream), so the kept set
 * does not depend on sharding, workers or order.
 */

import { CHOICE_STREAM, KEEP_STREAM, drawKey, uniform, uniformForEntry, type DrawKey } from './draw.js';

/**
 * `p[e] = t / max(count[e], t)` for every entry (MetaCLIP `count_to_prob`). t = 0 (what
 * MetaCLIP 2's `p_to_t` can give a language) makes every probability 0: nothing is kept, as in
 * the reference (where 0/0 is NaN and no draw passes it).
 */
export function entryProbabilities(counts: ArrayLike<number>, t: number): Float64Array {
  if (!(t >= 0)) throw new RangeError(`threshold t must be >= 0, got ${t}`);
  const p = new Float64Array(counts.length);
  if (t === 0) return p;
  for (let e = 0; e < counts.length; e++) p[e] = t / Math.max(counts[e], t);
  return p;
}

/** Noisy-OR keep probability of a text: `1 - prod (1 - p[e])` over its matched entries. */
export function keepProbability(matches: ArrayLike<number>, probs: ArrayLike<number>): number {
  let miss = 1;
  for (let i = 0; i < matches.length; i++) miss *= 1 - probs[matches[i]];
  return 1 - miss;
}

/** Add one text's matches to global counts (each entry at most once per text, as `match` gives). */
export function addCounts(counts: Float64Array | Uint32Array | Int32Array, matches: ArrayLike<number>): void {
  for (let i = 0; i < matches.length; i++) counts[matches[i]]++;
}

/**
 * MetaCLIP 1 (`balance_sampling`): one independent draw per matched entry, the text is kept
 * when any entry passes (`u(e) < p[e]`). Same distribution as the noisy-OR probability.
 * Pass a `DrawKey` to reuse it for several texts of one record.
 */
export function keepText(matches: ArrayLike<number>, probs: ArrayLike<number>, seed: number, record: string | DrawKey): boolean {
  if (matches.length === 0) return false;
  // a tail entry keeps the text whatever the draws: no key to hash (most kept texts have one)
  for (let i = 0; i < matches.length; i++) if (probs[matches[i]] >= 1) return true;
  const key = typeof record === 'string' ? drawKey(seed, record) : record;
  for (let i = 0; i < matches.length; i++) {
    const e = matches[i];
    if (uniformForEntry(key, e) < probs[e]) return true;
  }
  return false;
}

export interface ImageText {
  matches: ArrayLike<number>;
  /** the probabilities of this text's language (MetaCLIP 2: one metadata per language) */
  probs: ArrayLike<number>;
}

export interface ImageDecision {
  keep: boolean;
  /** index into the texts of the one drawn text; -1 when no text matched */
  chosen: number;
  /** noisy-OR probability of the chosen text (0 when none) */
  probability: number;
}

/**
 * MetaCLIP 2 (`curate`): among an image's texts that matched something, draw one uniformly,
 * then keep the image with that text's noisy-OR probability (one draw).
 */
export function curateImage(texts: readonly ImageText[], seed: number, record: string | DrawKey): ImageDecision {
  let candidates = 0;
  for (const t of texts) if (t.matches.length > 0) candidates++;
  if (candidates === 0) return { keep: false, chosen: -1, probability: 0 };
  const key = typeof record === 'string' ? drawKey(seed, record) : record;
  let pick = Math.floor(uniform(key, CHOICE_STREAM) * candidates);
  let chosen = -1;
  for (let i = 0; i < texts.length; i++) {
    if (texts[i].matches.length === 0) continue;
    if (pick-- === 0) {
      chosen = i;
      break;
    }
  }
  const probability = keepProbability(texts[chosen].matches, texts[chosen].probs);
  return { keep: uniform(key, KEEP_STREAM) < probability, chosen, probability };
}
