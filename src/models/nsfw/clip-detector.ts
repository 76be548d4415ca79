/**
 * NSFW scores from CLIP zero-shot instead of a trained classifier: each image against a list of
 * unsafe and a list of safe prompts, softmax at CLIP's logit scale over all of them, the score
 * the mass on the unsafe ones. Cruder than a trained classifier (LAION tagged its pools with a
 * small model on CLIP embeddings), but needs only the CLIP model a pipeline already has.
 */
import type { ClipModel } from '../clip/embed.js';
import { CLIP_LOGIT_SCALE, classEmbeddings, dotRows } from '../clip/zero-shot.js';

export const DEFAULT_UNSAFE_PROMPTS = ['a pornographic photo', 'a photo of a naked person', 'a sexually explicit image', 'a nude photo'];
export const DEFAULT_SAFE_PROMPTS = ['a photo', 'a photo of a person wearing clothes', 'a photo of an object', 'a drawing', 'a landscape photo'];

export class ClipNsfwDetector {
  private constructor(
    private readonly model: ClipModel,
    private readonly prompts: Float32Array,
    private readonly unsafe: number,
    private readonly total: number,
  ) {}

  static async create(model: ClipModel, unsafe: readonly string[], safe: readonly string[]): Promise<ClipNsfwDetector> {
    const prompts = await classEmbeddings(model, [...unsafe, ...safe], ['{}']);
    return new ClipNsfwDetector(model, prompts, unsafe.length, unsafe.length + safe.length);
  }

  /** Scores of images (null where one did not decode, with the error). */
  async score(images: readonly (Uint8Array | string)[]): Promise<{ scores: (number | null)[]; errors: (string | undefined)[] }> {
    const { embeddings, errors } = await this.model.embedImages(images);
    const dim = images.length > 0 ? embeddings.length / images.length : 0;
    const logits = new Float64Array(this.total);
    const scores = images.map((_, k) => {
      if (errors[k] !== undefined) return null;
      let max = -Infinity;
      for (let c = 0; c < this.total; c++) max = Math.max(max, (logits[c] = CLIP_LOGIT_SCALE * dotRows(embeddings, k, this.prompts, c, dim)));
      let all = 0;
      let bad = 0;
      for (let c = 0; c < this.total; c++) {
        const e = Math.exp(logits[c] - max);
        all += e;
        if (c < this.unsafe) bad += e;
      }
      return bad / all;
    });
    return { scores, errors };
  }
}
