/**
 * A tiny UltraFace-shaped detector for tests: the real input and output names and shapes
 * (`input` [1, 3, H, W] → `scores` [1, N, 2], `boxes` [1, N, 4], N priors of that size), with
 * weights set by hand so that what it finds is known: a "face" is a patch of pure red. The
 * graph takes each pixel's redness R − (G + B) / 2 (of the normalised input), averages it over
 * a 48×48 window around every cell of the stride-16 level, and gives that level's 48-pixel prior
 * the face probability sigmoid(4 · (redness − 1.2)); every other prior gets 0. Boxes are the
 * priors' corners (`corners`, as the ONNX Model Zoo export gives them) or zero offsets
 * (`offsets`, which decode to the same corners). A pure red 48×48 square of the input centred
 * on a cell scores about 0.96; a cell 16 pixels off about 0.6: one face, exactly the square.
 *
 * Users: `node dist/src/models/faces/tiny.js <folder>` writes `<folder>/version-RFB-320.onnx`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildModel, FLOAT, type GraphSpec, type Initializer, int64Tensor } from '../onnx/builder.js';
import { MIN_BOXES, STRIDES, ultraFacePriors } from './decode.js';
import { DEFAULT_FACE_FILE } from './ultraface.js';

export interface TinyFaceOptions {
  width?: number;
  height?: number;
  boxes?: 'corners' | 'offsets';
  /** Declare the input as [1, 3, H, W] (the zoo's) or with symbolic sizes. */
  declareSize?: boolean;
}

/** Redness of a window that fires; a cell's logit is GAIN · (mean redness − THRESHOLD). */
export const TINY_FACE_THRESHOLD = 1.2;
export const TINY_FACE_GAIN = 4;
/** The window (and the prior) that reports a face, in input pixels, on the stride-16 level. */
export const TINY_FACE_SIZE = 48;

const floats = (name: string, dims: number[], values: ArrayLike<number> | number): Initializer => {
  const count = dims.reduce((a, b) => a * b, 1);
  return { name, dims, data: typeof values === 'number' ? new Float32Array(count).fill(values) : Float32Array.from(values) };
};

/** Prior corners (x1, y1, x2, y2) of a width × height input, what the zoo's export outputs as `boxes`. */
export function priorCorners(width: number, height: number): Float32Array {
  const p = ultraFacePriors(width, height);
  const out = new Float32Array(p.length);
  for (let k = 0; k < p.length; k += 4) [out[k], out[k + 1], out[k + 2], out[k + 3]] = [p[k] - p[k + 2] / 2, p[k + 1] - p[k + 3] / 2, p[k] + p[k + 2] / 2, p[k + 1] + p[k + 3] / 2];
  return out;
}

function tinyFaceGraph(width: number, height: number, o: TinyFaceOptions): GraphSpec {
  const levels = STRIDES.map((s, l) => Math.ceil(width / s) * Math.ceil(height / s) * MIN_BOXES[l].length);
  const n = levels.reduce((a, b) => a + b, 0);
  const cells = levels[1] / 2;
  const inputShape = o.declareSize === false ? [1, 3, 'height', 'width'] : [1, 3, height, width];
  return {
    name: 'tiny_ultraface',
    opset: 13,
    inputs: [{ name: 'input', elemType: FLOAT, shape: inputShape }],
    outputs: [
      { name: 'scores', elemType: FLOAT, shape: [1, n, 2] },
      { name: 'boxes', elemType: FLOAT, shape: [1, n, 4] },
    ],
    initializers: [
      floats('redness_weights', [1, 3, 1, 1], [1, -0.5, -0.5]),
      floats('threshold', [], TINY_FACE_THRESHOLD),
      floats('gain', [], TINY_FACE_GAIN),
      floats('one', [], 1),
      floats('level0', [1, levels[0], 1], 0),
      floats('small_anchor', [1, cells, 1], 0),
      floats('level2', [1, levels[2], 1], 0),
      floats('level3', [1, levels[3], 1], 0),
      int64Tensor('column', [1, -1, 1]),
      floats('prior_boxes', [1, n, 4], o.boxes === 'offsets' ? 0 : priorCorners(width, height)),
    ],
    nodes: [
      { op: 'Conv', inputs: ['input', 'redness_weights'], outputs: ['redness'] },
      // A 48×48 window per stride-16 cell, centred on the cell's prior: (48 − 16) / 2 = 16 of padding.
      { op: 'AveragePool', inputs: ['redness'], outputs: ['window'], attributes: { kernel_shape: { ints: [48, 48] }, strides: { ints: [16, 16] }, pads: { ints: [16, 16, 16, 16] } } },
      { op: 'Sub', inputs: ['window', 'threshold'], outputs: ['over'] },
      { op: 'Mul', inputs: ['over', 'gain'], outputs: ['logit'] },
      { op: 'Sigmoid', inputs: ['logit'], outputs: ['cell_face'] },
      { op: 'Reshape', inputs: ['cell_face', 'column'], outputs: ['cell_column'] },
      // Per cell the 32-pixel prior first, then the 48-pixel one: only the latter fires.
      { op: 'Concat', inputs: ['small_anchor', 'cell_column'], outputs: ['anchors'], attributes: { axis: { int: 2 } } },
      { op: 'Reshape', inputs: ['anchors', 'column'], outputs: ['level1'] },
      { op: 'Concat', inputs: ['level0', 'level1', 'level2', 'level3'], outputs: ['face'], attributes: { axis: { int: 1 } } },
      { op: 'Sub', inputs: ['one', 'face'], outputs: ['background'] },
      { op: 'Concat', inputs: ['background', 'face'], outputs: ['scores'], attributes: { axis: { int: 2 } } },
      { op: 'Identity', inputs: ['prior_boxes'], outputs: ['boxes'] },
    ],
  };
}

/** Write the tiny detector as `<dir>/<file>`; returns the file. */
export function writeTinyFaceDetector(dir: string, o: TinyFaceOptions = {}, file = DEFAULT_FACE_FILE): string {
  mkdirSync(dir, { recursive: true });
  const target = path.join(dir, file);
  writeFileSync(target, buildModel(tinyFaceGraph(o.width ?? 320, o.height ?? 240, o)));
  return target;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const dir = process.argv[2];
  if (!dir) {
    process.stderr.write('usage: node dist/src/models/faces/tiny.js <folder>\n');
    process.exit(2);
  }
  process.stderr.write(`wrote a tiny UltraFace-shaped detector (red squares are faces) to ${writeTinyFaceDetector(dir)}\n`);
}
