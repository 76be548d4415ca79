/**
 * Decoding UltraFace's outputs (Linzaer/Ultra-Light-Fast-Generic-Face-Detector-1MB, the ONNX
 * Model Zoo's version-RFB-320 / -640), as its own `vision/ssd` and `box_utils.py` do:
 *
 *   scores [1, N, 2]: softmax of (background, face) per prior box;
 *   boxes  [1, N, 4]: in the ONNX Model Zoo export, already corners (x1, y1, x2, y2) in [0, 1] of
 *                     the input; in exports cut before the SSD head's decoding (some ncnn/MNN
 *                     conversions), raw offsets against the priors, decoded here with
 *                     center_variance 0.1 and size_variance 0.2.
 *
 * Priors: feature maps of ceil(size / stride) cells for strides 8, 16, 32, 64; per cell (row
 * major, x fastest) one square prior per min box of that level — 10, 16, 24 / 32, 48 / 64, 96 /
 * 128, 192, 256 pixels of the input — centred on the cell, clamped to [0, 1]. 320×240 gives
 * 40·30·3 + 20·15·2 + 10·8·2 + 5·4·3 = 4,420 priors, 640×480 gives 17,640.
 * Then as the repository's demo: faces with score > threshold (0.7), hard NMS at IoU 0.3 over
 * the best 200 candidates, boxes scaled to the image.
 */

export const STRIDES = [8, 16, 32, 64];
export const MIN_BOXES = [
  [10, 16, 24],
  [32, 48],
  [64, 96],
  [128, 192, 256],
];
const CENTER_VARIANCE = 0.1;
const SIZE_VARIANCE = 0.2;
/** box_utils.hard_nms's candidate_size. */
export const NMS_CANDIDATES = 200;

export interface FaceBox {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  score: number;
}

/** The priors of a `width`×`height` input: (cx, cy, w, h) in [0, 1], 4 numbers per prior. */
export function ultraFacePriors(width: number, height: number): Float32Array {
  const out: number[] = [];
  STRIDES.forEach((stride, level) => {
    const cols = Math.ceil(width / stride);
    const rows = Math.ceil(height / stride);
    for (let j = 0; j < rows; j++)
      for (let i = 0; i < cols; i++)
        for (const box of MIN_BOXES[level]) {
          const prior = [(i + 0.5) / (width / stride), (j + 0.5) / (height / stride), box / width, box / height];
          out.push(...prior.map((v) => Math.min(1, Math.max(0, v))));
        }
  });
  return Float32Array.from(out);
}

/** Raw SSD offsets → corners, in place: what the export's head does when it is in the graph. */
export function offsetsToCorners(boxes: Float32Array, priors: Float32Array): Float32Array {
  if (boxes.length !== priors.length) throw new Error(`the model gives ${boxes.length / 4} boxes, a ${priors.length / 4}-prior input was expected`);
  for (let k = 0; k < boxes.length; k += 4) {
    const cx = boxes[k] * CENTER_VARIANCE * priors[k + 2] + priors[k];
    const cy = boxes[k + 1] * CENTER_VARIANCE * priors[k + 3] + priors[k + 1];
    const w = Math.exp(boxes[k + 2] * SIZE_VARIANCE) * priors[k + 2];
    const h = Math.exp(boxes[k + 3] * SIZE_VARIANCE) * priors[k + 3];
    [boxes[k], boxes[k + 1], boxes[k + 2], boxes[k + 3]] = [cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2];
  }
  return boxes;
}

/** box_utils.iou_of: overlap over union with its 1e-5, sizes clipped at 0. */
export function iou(a: FaceBox, b: FaceBox): number {
  const area = (w: number, h: number) => Math.max(0, w) * Math.max(0, h);
  const overlap = area(Math.min(a.x2, b.x2) - Math.max(a.x1, b.x1), Math.min(a.y2, b.y2) - Math.max(a.y1, b.y1));
  return overlap / (area(a.x2 - a.x1, a.y2 - a.y1) + area(b.x2 - b.x1, b.y2 - b.y1) - overlap + 1e-5);
}

/** Hard NMS: the best box, then the best not overlapping it by more than `threshold`, ... Ties keep the earlier prior (numpy's argsort has no fixed tie order). */
export function hardNms(candidates: FaceBox[], threshold: number, keepAtMost = NMS_CANDIDATES): FaceBox[] {
  const order = candidates.map((b, i) => ({ b, i })).sort((p, q) => q.b.score - p.b.score || p.i - q.i);
  const pool = order.slice(0, keepAtMost).map((o) => o.b);
  const kept: FaceBox[] = [];
  for (const box of pool) if (kept.every((k) => iou(k, box) <= threshold)) kept.push(box);
  return kept;
}

export interface DecodeOptions {
  /** Face probability above which a prior is a candidate (the demo's 0.7). */
  threshold: number;
  /** NMS overlap (0.3). */
  iou: number;
  /** Image size the boxes are scaled to. */
  width: number;
  height: number;
}

/** Faces of one image from its `scores` (N × 2) and corner `boxes` (N × 4), in image pixels, best first. */
export function decodeFaces(scores: Float32Array, boxes: Float32Array, o: DecodeOptions): FaceBox[] {
  const n = scores.length / 2;
  if (boxes.length !== n * 4) throw new Error(`scores name ${n} priors, boxes ${boxes.length / 4}`);
  const candidates: FaceBox[] = [];
  for (let k = 0; k < n; k++) {
    const score = scores[2 * k + 1];
    if (score > o.threshold) candidates.push({ x1: boxes[4 * k], y1: boxes[4 * k + 1], x2: boxes[4 * k + 2], y2: boxes[4 * k + 3], score });
  }
  return hardNms(candidates, o.iou).map((b) => ({ x1: b.x1 * o.width, y1: b.y1 * o.height, x2: b.x2 * o.width, y2: b.y2 * o.height, score: b.score }));
}
