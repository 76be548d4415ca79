/**
 * An image classifier in the Hugging Face / transformers.js layout through ONNX Runtime:
 * `onnx/model.onnx` (pixel_values [batch, 3, H, W] → logits [batch, labels]), `config.json`
 * (`id2label`), `preprocessor_config.json` (sizes, mean, std: see image-processor.ts). ViT and
 * MobileNet NSFW classifiers on the hub come this way (e.g. AdamCodd/vit-base-nsfw-detector).
 * Returns each image's class probabilities: the softmax of the logits, or the output itself
 * when the export already ends in a softmax.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ModelLoadError, resolveModelDir } from '../loading.js';
import { createSession, type Device, type LoadedSession, ort } from '../runtime.js';
import { decodeBatch } from './decode-batch.js';
import { type ImageProcessorConfig, outputSize, processImageInto, readImageProcessor } from './image-processor.js';

export interface ClassifierOptions {
  /** ONNX file suffix: '' (fp32), '_quantized', '_fp16', ... as the hub folder has them. */
  variant?: string;
  device?: Device;
  threads?: number;
  batchSize?: number;
}

/** Files a classifier folder must hold for `variant`. */
export function classifierFiles(variant = ''): string[] {
  return [`onnx/model${variant}.onnx`, 'config.json'];
}

/** The label names in id order, from config.json's `id2label`. */
export function readLabels(configFile: string): string[] {
  const config = JSON.parse(readFileSync(configFile, 'utf8')) as { id2label?: Record<string, string> };
  const entries = Object.entries(config.id2label ?? {});
  if (entries.length === 0) throw new ModelLoadError(`${configFile}: no id2label: the classifier's labels are unknown`);
  const labels: string[] = new Array(entries.length);
  for (const [id, name] of entries) {
    const i = Number(id);
    if (!Number.isInteger(i) || i < 0 || i >= entries.length) throw new ModelLoadError(`${configFile}: id2label id ${JSON.stringify(id)} is not one of 0..${entries.length - 1}`);
    labels[i] = name;
  }
  return labels;
}

/** Softmax of each `width`-wide row, in place, unless every row is already a distribution. */
export function toProbabilities(v: Float32Array, width: number): Float32Array {
  let distribution = true;
  for (let at = 0; at < v.length && distribution; at += width) {
    let s = 0;
    for (let j = 0; j < width; j++) {
      if (v[at + j] < 0 || v[at + j] > 1) distribution = false;
      s += v[at + j];
    }
    if (Math.abs(s - 1) > 1e-4) distribution = false;
  }
  if (distribution) return v;
  for (let at = 0; at < v.length; at += width) {
    let max = -Infinity;
    for (let j = 0; j < width; j++) max = Math.max(max, v[at + j]);
    let s = 0;
    for (let j = 0; j < width; j++) s += v[at + j] = Math.exp(v[at + j] - max);
    for (let j = 0; j < width; j++) v[at + j] /= s;
  }
  return v;
}

/** Probabilities of a list of images: row after row; a row that failed is zeros and has an error. */
export interface Classified {
  probs: Float32Array;
  errors: (string | undefined)[];
}

export class ImageClassifier {
  private loaded?: Promise<LoadedSession>;

  private constructor(
    readonly dir: string,
    readonly labels: string[],
    readonly processor: ImageProcessorConfig,
    private readonly options: ClassifierOptions,
  ) {}

  static async load(source: string, options: ClassifierOptions = {}): Promise<ImageClassifier> {
    const dir = await resolveModelDir(source, { files: classifierFiles(options.variant), optional: ['preprocessor_config.json'] });
    return new ImageClassifier(dir, readLabels(path.join(dir, 'config.json')), readImageProcessor(path.join(dir, 'preprocessor_config.json')), options);
  }

  private session(): Promise<LoadedSession> {
    const file = path.join(this.dir, 'onnx', `model${this.options.variant ?? ''}.onnx`);
    return (this.loaded ??= createSession(file, { device: this.options.device, threads: this.options.threads }));
  }

  async provider(): Promise<'cuda' | 'cpu'> {
    return (await this.session()).provider;
  }

  /** Class probabilities of images (bytes or paths), in batches; an image that does not decode gets an error, not a throw. */
  async classify(images: readonly (Uint8Array | string)[]): Promise<Classified> {
    const { session } = await this.session();
    const width = this.labels.length;
    const probs = new Float32Array(images.length * width);
    const errors: (string | undefined)[] = new Array(images.length).fill(undefined);
    const { width: w, height: h } = outputSize(this.processor);
    const plane = 3 * w * h;
    const batch = this.options.batchSize ?? 16;
    const pixels = new Float32Array(batch * plane);
    for (let start = 0; start < images.length; start += batch) {
      const end = Math.min(images.length, start + batch);
      const { decoded: ok, errors: failed } = await decodeBatch(images.slice(start, end), (image, out, offset) => processImageInto(image, this.processor, out, offset), pixels, plane);
      errors.splice(start, failed.length, ...failed);
      if (ok.length === 0) continue;
      const input = new ort.Tensor('float32', pixels.subarray(0, ok.length * plane), [ok.length, 3, h, w]);
      const out = await session.run({ [session.inputNames[0]]: input });
      const logits = out.logits ?? out[session.outputNames[0]];
      if (logits.dims[logits.dims.length - 1] !== width) throw new ModelLoadError(`${this.dir}: the model gives ${logits.dims.at(-1)} classes, config.json's id2label names ${width}`);
      const rows = toProbabilities(new Float32Array(logits.data as Float32Array), width);
      ok.forEach((k, j) => probs.set(rows.subarray(j * width, (j + 1) * width), (start + k) * width));
    }
    return { probs, errors };
  }

  async close(): Promise<void> {
    if (this.loaded) await (await this.loaded).session.release();
    this.loaded = undefined;
  }
}
