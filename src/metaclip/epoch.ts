import { createHash } from 'node:crypto';

/**
 * Re-balancing every epoch, as MetaCLIP 2's data loader does (the MetaCLIP paper reports online
 * balancing ahead of offline: 66.1 vs 65.5 zero-shot ImageNet). A release made with
 * `metaclip_balance: { keep: candidates }` holds every matched record with its noisy-OR keep
 * probability; epoch N's subset is drawn from it here (`thresher metaclip redraw`), or by a loader
 * in any language: the draw is a documented hash, not thresher's internal generator.
 *
 *   u(seed, epoch, key, stream) = first 8 bytes of SHA-256("metaclip-epoch:<seed>:<epoch>:<stream>:<key>"),
 *                                 as a big-endian unsigned integer, divided by 2^64
 *
 * Text mode keeps a record when u(…, id, "keep") < p. Image mode takes an image's texts with
 * p > 0 in id order, picks one with floor(u(…, image, "choose") × count) and keeps the image
 * with that text when u(…, image, "keep") < its p. Epoch 0 is the release's own draw.
 */
export function epochUniform(seed: number, epoch: number, key: string, stream: 'keep' | 'choose'): number {
  const digest = createHash('sha256').update(`metaclip-epoch:${seed}:${epoch}:${stream}:${key}`, 'utf8').digest();
  // 53 bits are all a double holds: the top 53 of the 64
  return (digest.readUInt32BE(0) * 2097152 + (digest.readUInt32BE(4) >>> 11)) / 9007199254740992;
}

/** Whether a text with keep probability `p` is in epoch `epoch`'s subset (text mode). */
export function redrawText(p: number, seed: number, epoch: number, id: string): boolean {
  return p > 0 && epochUniform(seed, epoch, id, 'keep') < p;
}

export interface ImageCandidate {
  id: string;
  p: number;
}

/** The index of the text epoch `epoch` keeps for this image, or -1 (image mode). */
export function redrawImage(texts: readonly ImageCandidate[], seed: number, epoch: number, image: string): number {
  const candidates = texts
    .map((t, i) => ({ ...t, i }))
    .filter((t) => t.p > 0)
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : a.i - b.i));
  if (candidates.length === 0) return -1;
  const chosen = candidates[Math.floor(epochUniform(seed, epoch, image, 'choose') * candidates.length)];
  return epochUniform(seed, epoch, image, 'keep') < chosen.p ? chosen.i : -1;
}
