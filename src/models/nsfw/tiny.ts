/**
 * A tiny image classifier in the layout of the hub's ONNX NSFW classifiers (e.g.
 * AdamCodd/vit-base-nsfw-detector): `config.json` with `id2label`, a ViT-style
 * `preprocessor_config.json` (square resize, rescale 1/255, mean = std = 0.5) and
 * `onnx/model.onnx` (`pixel_values` [batch, 3, S, S] → `logits` [batch, labels]). Its weights are
 * set by hand: the last label's logit exceeds the others' by GAIN · (redness − THRESHOLD), where
 * redness is the image's mean R − (G + B) / 2 after normalisation (−2..2). A photo scores low,
 * a mostly red image close to 1. For tests only; the numbers mean nothing else.
 *
 * Users: `node dist/src/models/nsfw/tiny.js <folder>`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildModel, FLOAT, type GraphSpec } from '../onnx/builder.js';

export interface TinyClassifierOptions {
  /** id2label in id order; the last one is the label red images get. */
  labels?: string[];
  size?: number;
  variant?: string;
}

export const TINY_NSFW_GAIN = 6;
export const TINY_NSFW_THRESHOLD = 0.3;

function graph(labels: number, size: number): GraphSpec {
  const w = new Float32Array(3 * labels);
  // Row c of the [3, labels] matrix: channel c's weight on each label; only the last label moves.
  [1, -0.5, -0.5].forEach((v, c) => (w[c * labels + labels - 1] = TINY_NSFW_GAIN * v));
  const bias = new Float32Array(labels);
  bias[labels - 1] = -TINY_NSFW_GAIN * TINY_NSFW_THRESHOLD;
  return {
    name: 'tiny_image_classifier',
    opset: 13,
    inputs: [{ name: 'pixel_values', elemType: FLOAT, shape: ['batch_size', 3, size, size] }],
    outputs: [{ name: 'logits', elemType: FLOAT, shape: ['batch_size', labels] }],
    initializers: [
      { name: 'classifier_weight', dims: [3, labels], data: w },
      { name: 'classifier_bias', dims: [labels], data: bias },
    ],
    nodes: [
      { op: 'ReduceMean', inputs: ['pixel_values'], outputs: ['channel_means'], attributes: { axes: { ints: [2, 3] }, keepdims: { int: 0 } } },
      { op: 'MatMul', inputs: ['channel_means', 'classifier_weight'], outputs: ['scaled'] },
      { op: 'Add', inputs: ['scaled', 'classifier_bias'], outputs: ['logits'] },
    ],
  };
}

/** Write the tiny classifier folder; returns it. */
export function writeTinyClassifier(dir: string, o: TinyClassifierOptions = {}): string {
  const labels = o.labels ?? ['normal', 'nsfw'];
  const size = o.size ?? 64;
  mkdirSync(path.join(dir, 'onnx'), { recursive: true });
  writeFileSync(path.join(dir, 'onnx', `model${o.variant ?? ''}.onnx`), buildModel(graph(labels.length, size)));
  const config = { architectures: ['ViTForImageClassification'], model_type: 'vit', id2label: Object.fromEntries(labels.map((l, i) => [String(i), l])), thresher_tiny: true };
  const processor = {
    do_normalize: true,
    do_rescale: true,
    do_resize: true,
    image_mean: [0.5, 0.5, 0.5],
    image_std: [0.5, 0.5, 0.5],
    image_processor_type: 'ViTImageProcessor',
    resample: 2,
    rescale_factor: 1 / 255,
    size: { height: size, width: size },
  };
  writeFileSync(path.join(dir, 'config.json'), JSON.stringify(config, null, 2) + '\n');
  writeFileSync(path.join(dir, 'preprocessor_config.json'), JSON.stringify(processor, null, 2) + '\n');
  return dir;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const dir = process.argv[2];
  if (!dir) {
    process.stderr.write('usage: node dist/src/models/nsfw/tiny.js <folder>\n');
    process.exit(2);
  }
  writeTinyClassifier(dir);
  process.stderr.write(`wrote a tiny image classifier (labels normal, nsfw; red images score high) to ${dir}\n`);
}
