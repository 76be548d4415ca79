/**
 * An NSFW score from an image classifier's class probabilities: the probability mass of the
 * labels that count as unsafe. Which labels count is the user's to say; by default those whose
 * id2label name says so (`nsfw`, `porn`, `hentai`, `sexy`, `explicit`, `unsafe`, `nude`): for
 * AdamCodd/vit-base-nsfw-detector (sfw, nsfw) and Falconsai/nsfw_image_detection (normal, nsfw)
 * that is `nsfw`; for GantMan's five classes (drawings, hentai, neutral, porn, sexy) it is
 * hentai + porn + sexy, as nsfwjs's README reads them.
 */
import { ModelLoadError } from '../loading.js';

export const UNSAFE_LABEL = /nsfw|porn|hentai|sexy|explicit|unsafe|nud(e|ity)/i;

/** Indices of the unsafe labels: the given names (each must be a label), else those UNSAFE_LABEL matches. */
export function unsafeIndices(labels: readonly string[], given: readonly string[] | null, where: string): number[] {
  if (given) {
    const unknown = given.filter((l) => !labels.includes(l));
    if (unknown.length > 0) throw new ModelLoadError(`${where}: unsafe_labels ${unknown.map((l) => JSON.stringify(l)).join(', ')} not among the model's labels (${labels.join(', ')})`);
    return given.map((l) => labels.indexOf(l));
  }
  const found = labels.flatMap((l, i) => (UNSAFE_LABEL.test(l) ? [i] : []));
  if (found.length === 0) throw new ModelLoadError(`${where}: no label of ${labels.join(', ')} reads as unsafe; name them with unsafe_labels`);
  return found;
}

/** Sum of row `row`'s probabilities at `indices`. */
export function unsafeMass(probs: Float32Array, row: number, width: number, indices: readonly number[]): number {
  let s = 0;
  for (const i of indices) s += probs[row * width + i];
  return Math.min(1, s);
}
