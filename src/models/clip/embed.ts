/**
 * CLIP's two towers through ONNX Runtime, in the layout of `Xenova/clip-vit-base-patch32`
 * (`onnx/vision_model.onnx`: pixel_values → image_embeds; `onnx/text_model.onnx`: input_ids
 * (+ attention_mask when the export takes it) → text_embeds). Embeddings come back L2-normalised,
 * row after row in one Float32Array, so a cosine is a dot product.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { resolveModelDir } from '../loading.js';
import { createSession, type Device, type LoadedSession, ort } from '../runtime.js';
import { decodeBatch } from '../vision/decode-batch.js';
import { CLIP_PREPROCESS, preprocessInto, type PreprocessConfig } from './preprocess.js';
import { ClipTokenizer } from './tokenizer.js';
import { loadClipMerges } from './merges-file.js';
import { mergesFromBpeText } from './vocab.js';

export interface ClipModelOptions {
  device?: Device;
  threads?: number;
  /** File name suffix of the ONNX files: '' (fp32), '_quantized', '_fp16', ... as the hub folder has them. */
  variant?: string;
  /** Images or texts per model call. */
  batchSize?: number;
  /** Tokens per text, CLIP's 77: longer texts are cut and end in `<|endoftext|>`. */
  contextLength?: number;
}

/** Images in flight through sharp at once (decoding runs on libuv's threads). */
const DECODE_CONCURRENCY = 4;

/** Divide each `dim`-wide row by its L2 norm (a zero row stays zero). */
export function normaliseRows(v: Float32Array, dim: number): Float32Array {
  for (let at = 0; at < v.length; at += dim) {
    let s = 0;
    for (let j = 0; j < dim; j++) s += v[at + j] * v[at + j];
    const inv = s > 0 ? 1 / Math.sqrt(s) : 0;
    for (let j = 0; j < dim; j++) v[at + j] *= inv;
  }
  return v;
}

function readPreprocessConfig(dir: string): PreprocessConfig {
  const file = path.join(dir, 'preprocessor_config.json');
  if (!existsSync(file)) return CLIP_PREPROCESS;
  const c = JSON.parse(readFileSync(file, 'utf8')) as { image_mean?: number[]; image_std?: number[]; crop_size?: number | { height: number } };
  const size = typeof c.crop_size === 'number' ? c.crop_size : (c.crop_size?.height ?? CLIP_PREPROCESS.size);
  return { size, mean: c.image_mean ?? CLIP_PREPROCESS.mean, std: c.image_std ?? CLIP_PREPROCESS.std };
}

/** The folder's merges.txt when it has one (the hub layout), else the merges this package ships. */
function readTokenizer(dir: string): ClipTokenizer {
  const merges = path.join(dir, 'merges.txt');
  return new ClipTokenizer(existsSync(merges) ? mergesFromBpeText(readFileSync(merges, 'utf8')) : loadClipMerges());
}

/** What embedding a list of images gives: rows in input order; a row that failed is zeros and has an error. */
export interface ImageEmbeddings {
  embeddings: Float32Array;
  errors: (string | undefined)[];
}

export class ClipModel {
  readonly tokenizer: ClipTokenizer;
  readonly preprocess: PreprocessConfig;
  readonly batchSize: number;
  readonly contextLength: number;
  private vision?: Promise<LoadedSession>;
  private text?: Promise<LoadedSession>;

  private constructor(
    readonly dir: string,
    private readonly options: ClipModelOptions,
  ) {
    this.tokenizer = readTokenizer(dir);
    this.preprocess = readPreprocessConfig(dir);
    this.batchSize = options.batchSize ?? 32;
    this.contextLength = options.contextLength ?? 77;
  }

  /** A model from a local folder or a hub id; sessions open on first use. */
  static async load(source: string, options: ClipModelOptions = {}): Promise<ClipModel> {
    const v = options.variant ?? '';
    const dir = await resolveModelDir(source, {
      files: [`onnx/vision_model${v}.onnx`, `onnx/text_model${v}.onnx`],
      optional: ['config.json', 'preprocessor_config.json', 'merges.txt'],
    });
    return new ClipModel(dir, options);
  }

  private session(tower: 'vision' | 'text'): Promise<LoadedSession> {
    const file = path.join(this.dir, 'onnx', `${tower}_model${this.options.variant ?? ''}.onnx`);
    const open = () => createSession(file, { device: this.options.device, threads: this.options.threads });
    if (tower === 'vision') return (this.vision ??= open());
    return (this.text ??= open());
  }

  /** The provider the vision tower runs on (opens it). */
  async provider(): Promise<'cuda' | 'cpu'> {
    return (await this.session('vision')).provider;
  }

  /** Embeddings of `count` preprocessed images (`count × 3 × size × size` floats), normalised. */
  async embedPixels(pixels: Float32Array, count: number): Promise<Float32Array> {
    const { session } = await this.session('vision');
    const size = this.preprocess.size;
    const input = new ort.Tensor('float32', pixels.subarray(0, count * 3 * size * size), [count, 3, size, size]);
    const out = await session.run({ [session.inputNames[0]]: input });
    const embeds = out.image_embeds ?? out[session.outputNames[0]];
    return normaliseRows(new Float32Array(embeds.data as Float32Array), embeds.dims[1]);
  }

  /** Embeddings of images (bytes or paths), in batches; images that do not decode get an error, not a throw. */
  async embedImages(images: readonly (Uint8Array | string)[]): Promise<ImageEmbeddings> {
    const errors: (string | undefined)[] = new Array(images.length).fill(undefined);
    let embeddings = new Float32Array(0);
    let dim = 0;
    const plane = 3 * this.preprocess.size * this.preprocess.size;
    const pixels = new Float32Array(this.batchSize * plane);
    for (let start = 0; start < images.length; start += this.batchSize) {
      const end = Math.min(images.length, start + this.batchSize);
      const { decoded: ok, errors: failed } = await decodeBatch(
        images.slice(start, end),
        (image, out, offset) => preprocessInto(image, out, offset, this.preprocess),
        pixels,
        plane,
        DECODE_CONCURRENCY,
      );
      errors.splice(start, failed.length, ...failed);
      if (ok.length === 0) continue;
      const rows = await this.embedPixels(pixels, ok.length);
      if (dim === 0) {
        dim = rows.length / ok.length;
        embeddings = new Float32Array(images.length * dim);
      }
      ok.forEach((k, j) => embeddings.set(rows.subarray(j * dim, (j + 1) * dim), (start + k) * dim));
    }
    return { embeddings, errors };
  }

  /** Token ids of texts padded with 0 to the longest (at most the context length), and their mask. */
  tokenizeBatch(texts: readonly string[]): { ids: BigInt64Array; mask: BigInt64Array; length: number } {
    const lists = texts.map((t) => this.tokenizer.tokenize(t, this.contextLength));
    const length = Math.max(...lists.map((l) => l.length));
    const ids = new BigInt64Array(texts.length * length);
    const mask = new BigInt64Array(texts.length * length);
    lists.forEach((l, r) => {
      for (let j = 0; j < l.length; j++) {
        ids[r * length + j] = BigInt(l[j]);
        mask[r * length + j] = 1n;
      }
    });
    return { ids, mask, length };
  }

  /** Normalised embeddings of texts, in batches. */
  async embedTexts(texts: readonly string[]): Promise<Float32Array> {
    const { session } = await this.session('text');
    let out = new Float32Array(0);
    let dim = 0;
    for (let start = 0; start < texts.length; start += this.batchSize) {
      const chunk = texts.slice(start, start + this.batchSize);
      const { ids, mask, length } = this.tokenizeBatch(chunk);
      const feeds: Record<string, ort.Tensor> = { input_ids: new ort.Tensor('int64', ids, [chunk.length, length]) };
      if (session.inputNames.includes('attention_mask')) feeds.attention_mask = new ort.Tensor('int64', mask, [chunk.length, length]);
      const result = await session.run(feeds);
      const embeds = result.text_embeds ?? result[session.outputNames[0]];
      if (dim === 0) {
        dim = embeds.dims[1];
        out = new Float32Array(texts.length * dim);
      }
      out.set(normaliseRows(new Float32Array(embeds.data as Float32Array), dim), start * dim);
    }
    return out;
  }

  async close(): Promise<void> {
    for (const s of [this.vision, this.text]) if (s) await (await s).session.release();
    this.vision = this.text = undefined;
  }
}
