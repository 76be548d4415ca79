/**
 * CLIP zero-shot classification as in openai/CLIP's ImageNet notebook: each class name goes
 * into every prompt template, the normalised text embeddings of a class are averaged and the
 * mean is normalised again; an image's logits are 100 × its cosine with each class (CLIP's
 * learned logit scale), its probabilities their softmax.
 */
import type { ClipModel } from './embed.js';
import { normaliseRows } from './embed.js';

/** CLIP's logit scale after training (exp of the learned 4.6052). */
export const CLIP_LOGIT_SCALE = 100;

/** `{}` in a template is the class name (the notebook's `template.format(classname)`). */
export function fillTemplate(template: string, name: string): string {
  return template.replaceAll('{}', name);
}

/** One normalised row per class: the renormalised mean over templates. */
export async function classEmbeddings(model: ClipModel, classes: readonly string[], templates: readonly string[]): Promise<Float32Array> {
  if (classes.length === 0 || templates.length === 0) throw new Error('zero-shot needs at least one class and one template');
  const texts = classes.flatMap((c) => templates.map((t) => fillTemplate(t, c)));
  const rows = await model.embedTexts(texts);
  const dim = rows.length / texts.length;
  const out = new Float32Array(classes.length * dim);
  for (let c = 0; c < classes.length; c++)
    for (let t = 0; t < templates.length; t++) {
      const at = (c * templates.length + t) * dim;
      for (let j = 0; j < dim; j++) out[c * dim + j] += rows[at + j];
    }
  return normaliseRows(out, dim);
}

/** Row `i` of `a` · row `j` of `b`, both `dim` wide. */
export function dotRows(a: Float32Array, i: number, b: Float32Array, j: number, dim: number): number {
  let s = 0;
  const ai = i * dim;
  const bj = j * dim;
  for (let k = 0; k < dim; k++) s += a[ai + k] * b[bj + k];
  return s;
}

export interface Ranked {
  /** Class indices, best first (k of them). */
  classes: Int32Array;
  /** Their softmax probabilities. */
  probs: Float32Array;
}

/**
 * The k best classes of one image (row `i` of `images`) and their probabilities under a softmax
 * over all classes of `logitScale × cosine`. `logits` is scratch of one entry per class.
 */
export function rankClasses(images: Float32Array, i: number, classes: Float32Array, dim: number, k: number, logitScale: number, logits: Float64Array): Ranked {
  const n = logits.length;
  let max = -Infinity;
  for (let c = 0; c < n; c++) {
    logits[c] = logitScale * dotRows(images, i, classes, c, dim);
    if (logits[c] > max) max = logits[c];
  }
  let sum = 0;
  for (let c = 0; c < n; c++) sum += Math.exp(logits[c] - max);
  const top = topK(logits, Math.min(k, n));
  const probs = new Float32Array(top.length);
  top.forEach((c, r) => (probs[r] = Math.exp(logits[c] - max) / sum));
  return { classes: top, probs };
}

/** Indices of the k largest values, largest first; ties go to the lower index. */
export function topK(values: ArrayLike<number>, k: number): Int32Array {
  const out = new Int32Array(k).fill(-1);
  for (let c = 0; c < values.length; c++) {
    let r = k - 1;
    if (out[r] !== -1 && values[out[r]] >= values[c]) continue;
    while (r > 0 && (out[r - 1] === -1 || values[out[r - 1]] < values[c])) {
      out[r] = out[r - 1];
      r--;
    }
    out[r] = c;
  }
  return out;
}
