/**
 * Text embeddings through ONNX Runtime from a model folder in the hub layout
 * (`onnx/model*.onnx` → `last_hidden_state`, or `sentence_embedding` when the export pools
 * itself). Pooling: `mean` over the attention mask, `cls` (the first token), or `last` (the
 * last real token: Qwen3-Embedding, a causal model that has read the whole text there).
 * Queries may get an instruction prefix (`Instruct: {task}\nQuery: {text}`, Qwen3-Embedding's
 * form; documents get none). Rows come back L2-normalised, optionally cut to the first
 * `dimensions` values first (Matryoshka) and renormalised.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { resolveModelDir } from '../loading.js';
import { createSession, type Device, type LoadedSession, ort } from '../runtime.js';
import { normaliseRows } from '../clip/embed.js';
import { loadTokenizer, maxLengthOf, type TextTokenizer } from './tokenizer.js';

export type Pooling = 'mean' | 'cls' | 'last';

export interface TextEmbedderOptions {
  device?: Device;
  threads?: number;
  /** ONNX file: `onnx/model{variant}.onnx` ('', '_quantized', '_fp16', …). */
  variant?: string;
  /** Default: the folder's 1_Pooling/config.json (sentence-transformers), `last` for Qwen models, else `mean`. */
  pooling?: Pooling;
  /** Matryoshka: keep the first n dimensions (then renormalise). */
  dimensions?: number;
  /** Texts per model call. */
  batchSize?: number;
  /** Tokens per text (longer texts are cut). */
  maxLength?: number;
  /** Task description for queries (`Instruct: …\nQuery: …`); documents are embedded as they are. */
  instruction?: string;
}

/** Qwen3-Embedding's query form. */
export function queryText(instruction: string | undefined, query: string): string {
  return instruction ? `Instruct: ${instruction}\nQuery: ${query}` : query;
}

/** The pooling a folder says: sentence-transformers' 1_Pooling/config.json, else by model type. */
export function defaultPooling(dir: string): Pooling {
  const st = path.join(dir, '1_Pooling', 'config.json');
  if (existsSync(st)) {
    const c = JSON.parse(readFileSync(st, 'utf8')) as Record<string, boolean>;
    if (c.pooling_mode_lasttoken) return 'last';
    if (c.pooling_mode_cls_token) return 'cls';
    return 'mean';
  }
  const config = path.join(dir, 'config.json');
  const type = existsSync(config) ? ((JSON.parse(readFileSync(config, 'utf8')) as { model_type?: string }).model_type ?? '') : '';
  return /^(qwen|llama|mistral|gemma)/.test(type) ? 'last' : 'mean';
}

/** Pool `hidden` [rows, length, width] into `out` [rows, width] by the attention mask. */
export function pool(hidden: Float32Array, mask: BigInt64Array, rows: number, length: number, width: number, pooling: Pooling, out: Float32Array): void {
  out.fill(0);
  for (let r = 0; r < rows; r++) {
    const o = r * width;
    if (pooling === 'mean') {
      let n = 0;
      for (let t = 0; t < length; t++) {
        if (mask[r * length + t] === 0n) continue;
        n++;
        const h = (r * length + t) * width;
        for (let j = 0; j < width; j++) out[o + j] += hidden[h + j];
      }
      if (n > 0) for (let j = 0; j < width; j++) out[o + j] /= n;
      continue;
    }
    let t = 0;
    if (pooling === 'last') {
      t = length - 1;
      while (t > 0 && mask[r * length + t] === 0n) t--; // right padding: the last real token
    } else {
      while (t < length - 1 && mask[r * length + t] === 0n) t++; // left padding: the first real token
    }
    out.set(hidden.subarray((r * length + t) * width, (r * length + t + 1) * width), o);
  }
}

/** Cut each row to its first `keep` values (Matryoshka). */
export function truncateRows(v: Float32Array, width: number, keep: number): Float32Array {
  if (keep >= width) return v;
  const rows = v.length / width;
  const out = new Float32Array(rows * keep);
  for (let r = 0; r < rows; r++) out.set(v.subarray(r * width, r * width + keep), r * keep);
  return out;
}

export class TextEmbedder {
  readonly tokenizer: TextTokenizer;
  readonly pooling: Pooling;
  readonly batchSize: number;
  readonly maxLength: number;
  private session?: Promise<LoadedSession>;

  private constructor(
    readonly dir: string,
    private readonly options: TextEmbedderOptions,
  ) {
    this.tokenizer = loadTokenizer(dir);
    this.pooling = options.pooling ?? defaultPooling(dir);
    this.batchSize = options.batchSize ?? 32;
    this.maxLength = options.maxLength ?? Math.min(maxLengthOf(dir), 8192);
  }

  static async load(source: string, options: TextEmbedderOptions = {}): Promise<TextEmbedder> {
    const dir = await resolveModelDir(source, {
      files: [`onnx/model${options.variant ?? ''}.onnx`],
      optional: ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'vocab.txt', '1_Pooling/config.json'],
    });
    return new TextEmbedder(dir, options);
  }

  private open(): Promise<LoadedSession> {
    return (this.session ??= createSession(path.join(this.dir, 'onnx', `model${this.options.variant ?? ''}.onnx`), { device: this.options.device, threads: this.options.threads }));
  }

  async provider(): Promise<'cuda' | 'cpu'> {
    return (await this.open()).provider;
  }

  /** The model inputs of a batch of texts, right-padded with the tokenizer's pad id. */
  feeds(texts: readonly string[], inputNames: readonly string[]): { feeds: Record<string, ort.Tensor>; mask: BigInt64Array; length: number } {
    const encoded = texts.map((t) => this.tokenizer.encode(t, this.maxLength).ids);
    const length = Math.max(1, ...encoded.map((e) => e.length));
    const ids = new BigInt64Array(texts.length * length).fill(BigInt(this.tokenizer.padId));
    const mask = new BigInt64Array(texts.length * length);
    const positions = new BigInt64Array(texts.length * length);
    encoded.forEach((e, r) => {
      for (let t = 0; t < e.length; t++) {
        ids[r * length + t] = BigInt(e[t]);
        mask[r * length + t] = 1n;
        positions[r * length + t] = BigInt(t);
      }
    });
    const dims = [texts.length, length];
    const all: Record<string, BigInt64Array> = { input_ids: ids, attention_mask: mask, token_type_ids: new BigInt64Array(ids.length), position_ids: positions };
    const feeds: Record<string, ort.Tensor> = {};
    for (const name of inputNames) {
      if (!all[name]) throw new Error(`${this.dir}: the model asks for input ${name}, which a text embedder does not give`);
      feeds[name] = new ort.Tensor('int64', all[name], dims);
    }
    return { feeds, mask, length };
  }

  /** Normalised embeddings, row after row; `query` adds the instruction prefix. */
  async embed(texts: readonly string[], options: { query?: boolean } = {}): Promise<{ embeddings: Float32Array; dim: number }> {
    const { session } = await this.open();
    const inputs = options.query ? texts.map((t) => queryText(this.options.instruction, t)) : texts;
    let out = new Float32Array(0);
    let dim = 0;
    for (let start = 0; start < inputs.length; start += this.batchSize) {
      const chunk = inputs.slice(start, start + this.batchSize);
      const { feeds, mask, length } = this.feeds(chunk, session.inputNames);
      const result = await session.run(feeds);
      let rows: Float32Array;
      let width: number;
      if (result.sentence_embedding) {
        width = result.sentence_embedding.dims[1];
        rows = new Float32Array(result.sentence_embedding.data as Float32Array);
      } else {
        const hidden = result.last_hidden_state ?? result[session.outputNames[0]];
        width = hidden.dims[2];
        rows = new Float32Array(chunk.length * width);
        pool(hidden.data as Float32Array, mask, chunk.length, length, width, this.pooling, rows);
      }
      const keep = Math.min(width, this.options.dimensions ?? width);
      rows = normaliseRows(truncateRows(rows, width, keep), keep);
      if (dim === 0) {
        dim = keep;
        out = new Float32Array(inputs.length * dim);
      }
      out.set(rows, start * dim);
    }
    return { embeddings: out, dim };
  }

  async close(): Promise<void> {
    if (this.session) await (await this.session).session.release();
    this.session = undefined;
  }
}
