/**
 * Tiny random-weight CLIP models in the layout of `Xenova/clip-vit-base-patch32`: config.json,
 * preprocessor_config.json, the real CLIP BPE tokenizer files (vocab.json, merges.txt, from the
 * merges this package ships), `onnx/vision_model.onnx` and `onnx/text_model.onnx` with the real
 * input and output names and ranks:
 *
 *   vision: pixel_values [batch, 3, 224, 224] → image_embeds [batch, D], last_hidden_state
 *   text:   input_ids [batch, sequence] (int64) → text_embeds [batch, D], last_hidden_state
 *
 * The vision graph averages 32×32 patches (as a ViT-B/32 sees them), then two matrix products;
 * the text graph embeds tokens, sums them along the sequence and reads the sum at the first
 * highest id (`<|endoftext|>`, as HF's CLIP text model pools with argmax), then projects. So loading, preprocessing,
 * tokenising, padding and batching run for real; the numbers mean nothing.
 *
 * Users: `node dist/src/models/clip/tiny.js <folder> [--seed N] [--dim D]`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildModel, FLOAT, type GraphSpec, type Initializer, int64Tensor, INT64 } from '../onnx/builder.js';
import { CLIP_MEAN, CLIP_STD, CLIP_SIZE } from './preprocess.js';
import { loadClipMerges } from './merges-file.js';
import { tokenStrings, VOCAB_SIZE } from './vocab.js';

export interface TinyClipOptions {
  /** Seed of the weights: the same seed writes the same files. */
  seed?: number;
  /** Embedding width (the real ViT-B/32 has 512). */
  dim?: number;
  /** Hidden width. */
  hidden?: number;
}

/** mulberry32: a small seeded generator, uniform in [-scale, scale). */
export function randomWeights(count: number, seed: number, scale: number): Float32Array {
  const out = new Float32Array(count);
  let s = seed >>> 0;
  for (let i = 0; i < count; i++) {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = ((((t ^ (t >>> 14)) >>> 0) / 4294967296) * 2 - 1) * scale;
  }
  return out;
}

function weights(name: string, dims: number[], seed: number): Initializer {
  const count = dims.reduce((a, b) => a * b, 1);
  return { name, dims, data: randomWeights(count, seed, 1 / Math.sqrt(dims[0])) };
}

const PATCH = 32;
const GRID = CLIP_SIZE / PATCH;

function visionGraph(dim: number, hidden: number, seed: number): GraphSpec {
  const features = 3 * GRID * GRID;
  return {
    name: 'tiny_clip_vision',
    opset: 13,
    inputs: [{ name: 'pixel_values', elemType: FLOAT, shape: ['batch_size', 3, CLIP_SIZE, CLIP_SIZE] }],
    outputs: [
      { name: 'image_embeds', elemType: FLOAT, shape: ['batch_size', dim] },
      { name: 'last_hidden_state', elemType: FLOAT, shape: ['batch_size', 1, hidden] },
    ],
    initializers: [
      int64Tensor('patch_shape', [-1, 3, GRID, PATCH, GRID, PATCH]),
      int64Tensor('flat_shape', [-1, features]),
      weights('encoder', [features, hidden], seed),
      weights('visual_projection', [hidden, dim], seed + 1),
    ],
    nodes: [
      { op: 'Reshape', inputs: ['pixel_values', 'patch_shape'], outputs: ['patches'] },
      { op: 'ReduceMean', inputs: ['patches'], outputs: ['patch_means'], attributes: { axes: { ints: [3, 5] }, keepdims: { int: 0 } } },
      { op: 'Reshape', inputs: ['patch_means', 'flat_shape'], outputs: ['flat'] },
      { op: 'MatMul', inputs: ['flat', 'encoder'], outputs: ['pre'] },
      { op: 'Tanh', inputs: ['pre'], outputs: ['pooled'] },
      { op: 'Unsqueeze', inputs: ['pooled', 'one_axis'], outputs: ['last_hidden_state'] },
      { op: 'MatMul', inputs: ['pooled', 'visual_projection'], outputs: ['image_embeds'] },
    ],
  };
}

function textGraph(dim: number, hidden: number, seed: number): GraphSpec {
  return {
    name: 'tiny_clip_text',
    opset: 13,
    inputs: [{ name: 'input_ids', elemType: INT64, shape: ['batch_size', 'sequence_length'] }],
    outputs: [
      { name: 'text_embeds', elemType: FLOAT, shape: ['batch_size', dim] },
      { name: 'last_hidden_state', elemType: FLOAT, shape: ['batch_size', 'sequence_length', hidden] },
    ],
    initializers: [weights('token_embedding', [VOCAB_SIZE, hidden], seed + 2), weights('text_projection', [hidden, dim], seed + 3), { name: 'sequence_axis', dims: [], data: BigInt64Array.of(1n) }],
    nodes: [
      { op: 'Gather', inputs: ['token_embedding', 'input_ids'], outputs: ['tokens'], attributes: { axis: { int: 0 } } },
      { op: 'Tanh', inputs: ['tokens'], outputs: ['last_hidden_state'] },
      // A running sum along the sequence read at `<|endoftext|>`: like the real causal model, what
      // follows the end token (padding) never changes the embedding.
      { op: 'CumSum', inputs: ['last_hidden_state', 'sequence_axis'], outputs: ['running'] },
      { op: 'ArgMax', inputs: ['input_ids'], outputs: ['eot'], attributes: { axis: { int: 1 }, keepdims: { int: 1 } } },
      { op: 'GatherND', inputs: ['running', 'eot'], outputs: ['pooled'], attributes: { batch_dims: { int: 1 } } },
      { op: 'MatMul', inputs: ['pooled', 'text_projection'], outputs: ['text_embeds'] },
    ],
  };
}

/** The hub-layout JSON files of a CLIP model with embedding width `dim`. */
function configFiles(dim: number): Record<string, unknown> {
  return {
    'config.json': {
      model_type: 'clip',
      projection_dim: dim,
      text_config: { vocab_size: VOCAB_SIZE, max_position_embeddings: 77, eos_token_id: 49407 },
      vision_config: { image_size: CLIP_SIZE, patch_size: PATCH },
      thresher_tiny_random: true,
    },
    'preprocessor_config.json': {
      crop_size: { height: CLIP_SIZE, width: CLIP_SIZE },
      do_center_crop: true,
      do_normalize: true,
      do_resize: true,
      do_convert_rgb: true,
      image_mean: [...CLIP_MEAN],
      image_std: [...CLIP_STD],
      resample: 3,
      size: { shortest_edge: CLIP_SIZE },
    },
    'tokenizer_config.json': { model_max_length: 77, bos_token: '<|startoftext|>', eos_token: '<|endoftext|>', pad_token: '<|endoftext|>', tokenizer_class: 'CLIPTokenizer' },
  };
}

/** Write a tiny CLIP model folder; returns the folder. */
export function writeTinyClip(dir: string, options: TinyClipOptions = {}): string {
  const seed = options.seed ?? 12;
  const dim = options.dim ?? 16;
  const hidden = options.hidden ?? 8;
  mkdirSync(path.join(dir, 'onnx'), { recursive: true });
  const vision = visionGraph(dim, hidden, seed);
  vision.initializers.push(int64Tensor('one_axis', [1]));
  // Unsqueeze takes its axes as an input from opset 13 on.
  writeFileSync(path.join(dir, 'onnx', 'vision_model.onnx'), buildModel(vision));
  writeFileSync(path.join(dir, 'onnx', 'text_model.onnx'), buildModel(textGraph(dim, hidden, seed)));
  for (const [name, json] of Object.entries(configFiles(dim))) writeFileSync(path.join(dir, name), JSON.stringify(json, null, 2) + '\n');
  const tokens = tokenStrings(loadClipMerges());
  writeFileSync(path.join(dir, 'vocab.json'), JSON.stringify(Object.fromEntries(tokens.map((t, id) => [t, id]))));
  const merges = tokens.slice(512, VOCAB_SIZE - 2).map((_, r) => mergeLine(tokens, r));
  writeFileSync(path.join(dir, 'merges.txt'), ['#version: 0.2', ...merges].join('\n') + '\n');
  return dir;
}

/** Merge r as its two symbols, from the shipped id pairs. */
function mergeLine(tokens: string[], r: number): string {
  const { left, right } = loadClipMerges();
  return `${tokens[left[r]]} ${tokens[right[r]]}`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const args = process.argv.slice(2);
  const dir = args.find((a, i) => !a.startsWith('--') && !args[i - 1]?.startsWith('--'));
  const flag = (name: string) => {
    const i = args.indexOf(name);
    return i >= 0 ? Number(args[i + 1]) : undefined;
  };
  if (!dir) {
    process.stderr.write('usage: node dist/src/models/clip/tiny.js <folder> [--seed N] [--dim D]\n');
    process.exit(2);
  }
  writeTinyClip(dir, { seed: flag('--seed'), dim: flag('--dim') });
  process.stderr.write(`wrote a tiny random-weight CLIP model to ${dir}\n`);
}
