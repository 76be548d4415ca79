import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import sharp from 'sharp';
import { blurRegions, decodeRgb, encodeJpeg, regionOf, type Region } from '../../src/images/blur.js';
import { decodeFaces, hardNms, iou, offsetsToCorners, ultraFacePriors } from '../../src/models/faces/decode.js';
import { priorCorners, TINY_FACE_SIZE, writeTinyFaceDetector } from '../../src/models/faces/tiny.js';
import { UltraFaceDetector } from '../../src/models/faces/ultraface.js';
import { tempDir } from '../helpers/fixtures.js';
import { needsShared, sharedPath } from '../helpers/shared.js';

test('UltraFace priors: 4,420 for 320×240 and 17,640 for 640×480, in the repository order', () => {
  const p = ultraFacePriors(320, 240);
  assert.equal(p.length / 4, 4420);
  assert.equal(ultraFacePriors(640, 480).length / 4, 17640);
  // First prior: cell (0, 0) of the stride-8 map, min box 10.
  assert.deepEqual(Array.from(p.subarray(0, 4)), [0.5 / 40, 0.5 / 30, 10 / 320, 10 / 240].map(Math.fround));
  // The 4th prior is cell (1, 0), the x index moving fastest.
  assert.equal(p[12], Math.fround(1.5 / 40));
  // First stride-16 prior (after 3,600): cell (0, 0), min box 32; the last prior is clamped to 1.
  assert.deepEqual(Array.from(p.subarray(3600 * 4, 3600 * 4 + 4)), [0.5 / 20, 0.5 / 15, 32 / 320, 32 / 240].map(Math.fround));
  assert.equal(p[p.length - 1], 1, '256 / 240 clamped');
});

test('zero offsets decode to the priors, offsets move and scale them by the SSD variances', () => {
  const priors = Float32Array.of(0.5, 0.5, 0.2, 0.4);
  assert.deepEqual(Array.from(offsetsToCorners(new Float32Array(4), priors)), [0.4, 0.3, 0.6, 0.7].map(Math.fround));
  const moved = offsetsToCorners(Float32Array.of(1, 0, Math.log(2) / 0.2, 0), priors);
  // cx = 0.5 + 1 · 0.1 · 0.2 = 0.52; w = 0.2 · 2 = 0.4.
  assert.ok(Math.abs(moved[0] - 0.32) < 1e-6 && Math.abs(moved[2] - 0.72) < 1e-6, String(moved));
  assert.throws(() => offsetsToCorners(new Float32Array(8), priors), /2 boxes/);
});

test('hard NMS keeps the best box and drops those overlapping it by more than the threshold', () => {
  const a = { x1: 0, y1: 0, x2: 10, y2: 10, score: 0.9 };
  const b = { x1: 1, y1: 1, x2: 11, y2: 11, score: 0.95 }; // IoU with a: 81/119
  const c = { x1: 20, y1: 20, x2: 30, y2: 30, score: 0.8 };
  const d = { x1: 5, y1: 0, x2: 15, y2: 10, score: 0.85 }; // IoU with b: 54/146 = 0.37
  assert.ok(Math.abs(iou(a, b) - 81 / 119) < 1e-5);
  assert.deepEqual(hardNms([a, b, c, d], 0.3), [b, c]);
  assert.deepEqual(hardNms([a, b, c, d], 0.5), [b, d, c]);
  // A tie keeps the earlier box.
  const e = { ...a, score: 0.95 };
  assert.deepEqual(hardNms([e, b], 0.3), [e]);
});

test('decodeFaces on handcrafted outputs: threshold, NMS, scaling to the image', () => {
  // Three priors: a strong face, a weaker copy of it, a face under the threshold.
  const scores = Float32Array.of(0.1, 0.9, 0.2, 0.8, 0.5, 0.5);
  const boxes = Float32Array.of(0.1, 0.2, 0.3, 0.4, 0.11, 0.21, 0.31, 0.41, 0.6, 0.6, 0.8, 0.8);
  const faces = decodeFaces(scores, boxes, { threshold: 0.7, iou: 0.3, width: 200, height: 100 });
  assert.equal(faces.length, 1);
  const f = faces[0];
  assert.deepEqual(
    [f.x1, f.y1, f.x2, f.y2].map((v) => Math.round(v * 1000) / 1000),
    [20, 20, 60, 40],
  );
  assert.ok(Math.abs(f.score - 0.9) < 1e-6);
  assert.deepEqual(decodeFaces(scores, boxes, { threshold: 0.95, iou: 0.3, width: 200, height: 100 }), []);
});

/** A real photo with a pure red square where the tiny detector's 48×48 window of cell (10, 7) falls. */
async function paintedPhoto(): Promise<{ rgb: Buffer; width: number; height: number; square: Region }> {
  const { rgb, width, height } = await decodeRgb(await sharp(sharedPath('data', 'images', 'debian', 'china.jpg')).toBuffer());
  const [x1, y1] = [Math.round((144 * width) / 320), Math.round((96 * height) / 240)];
  const [x2, y2] = [Math.round(((144 + TINY_FACE_SIZE) * width) / 320), Math.round(((96 + TINY_FACE_SIZE) * height) / 240)];
  const painted = Buffer.from(rgb);
  for (let y = y1; y < y2; y++) for (let x = x1; x < x2; x++) painted.set([255, 0, 0], 3 * (y * width + x));
  return { rgb: painted, width, height, square: { left: x1, top: y1, width: x2 - x1, height: y2 - y1 } };
}

test('the tiny UltraFace-shaped model: real names and shapes, and it finds exactly the painted square', needsShared, async () => {
  const dir = tempDir();
  const plain = await decodeRgb(await sharp(sharedPath('data', 'images', 'debian', 'china.jpg')).toBuffer());
  const { rgb, width, height, square } = await paintedPhoto();
  for (const boxes of ['corners', 'offsets'] as const) {
    const detector = await UltraFaceDetector.load(writeTinyFaceDetector(path.join(dir, boxes), { boxes }), { boxes });
    assert.deepEqual([detector.inputWidth, detector.inputHeight], [320, 240], 'read from the model');
    assert.deepEqual(await detector.detect(plain.rgb, plain.width, plain.height), [], `${boxes}: no red square, no face`);
    const faces = await detector.detect(rgb, width, height);
    assert.equal(faces.length, 1, `${boxes}: ${JSON.stringify(faces)}`);
    const f = faces[0];
    const got = [f.x1, f.y1, f.x2, f.y2];
    const want = [square.left, square.top, square.left + square.width, square.top + square.height];
    got.forEach((v, k) => assert.ok(Math.abs(v - want[k]) < 1, `${boxes}: ${got} vs ${want}`));
    assert.ok(f.score > 0.9 && f.score < 1);
    await detector.close();
  }
  // A model whose input size is symbolic: the sizes come from the options.
  const free = await UltraFaceDetector.load(writeTinyFaceDetector(path.join(dir, 'free'), { declareSize: false }), { inputWidth: 320, inputHeight: 240 });
  assert.equal((await free.detect(rgb, width, height)).length, 1);
  await free.close();
  assert.equal(priorCorners(320, 240).length, 4420 * 4);
});

function differs(a: Buffer, b: Buffer, width: number, r: Region, inside: boolean): number {
  let n = 0;
  for (let y = 0; y < a.length / 3 / width; y++)
    for (let x = 0; x < width; x++) {
      const isIn = x >= r.left && x < r.left + r.width && y >= r.top && y < r.top + r.height;
      if (isIn !== inside) continue;
      const o = 3 * (y * width + x);
      if (a[o] !== b[o] || a[o + 1] !== b[o + 1] || a[o + 2] !== b[o + 2]) n++;
    }
  return n;
}

test('blurRegions changes the region and leaves every pixel outside it byte-identical', needsShared, async () => {
  const { rgb, width, height } = await decodeRgb(await sharp(sharedPath('data', 'images', 'debian', 'china.jpg')).toBuffer());
  const region = regionOf({ x1: 200.4, y1: 100.2, x2: 300.6, y2: 220.9 }, width, height, 0.1)!;
  assert.deepEqual(region, { left: 190, top: 88, width: 121, height: 145 }, 'grown by 10 % of the box, on whole pixels');
  const blurred = await blurRegions(rgb, width, height, [region], 0.15);
  assert.equal(differs(rgb, blurred, width, region, false), 0, 'outside: byte-identical');
  const changed = differs(rgb, blurred, width, region, true);
  assert.ok(changed > 0.9 * region.width * region.height, `inside: ${changed} of ${region.width * region.height} pixels changed`);
  assert.deepEqual(regionOf({ x1: -50, y1: -50, x2: 10, y2: 10 }, width, height, 0), { left: 0, top: 0, width: 10, height: 10 }, 'clipped to the image');
  assert.equal(regionOf({ x1: width + 5, y1: 0, x2: width + 50, y2: 10 }, width, height, 0), null);

  // After the JPEG encode, only the 16×16 blocks the region touches (and their chroma
  // neighbours, one block around) differ from the same encode of the unblurred pixels.
  const [reference, encoded] = await Promise.all([encodeJpeg(rgb, width, height, 95), encodeJpeg(blurred, width, height, 95)]);
  const [a, b] = await Promise.all([decodeRgb(reference), decodeRgb(encoded)]);
  const grid = (v: number) => Math.floor(v / 16) * 16;
  const left = grid(region.left) - 16;
  const top = grid(region.top) - 16;
  const blocks = { left, top, width: grid(region.left + region.width + 15) + 16 - left, height: grid(region.top + region.height + 15) + 16 - top };
  assert.equal(differs(a.rgb, b.rgb, width, blocks, false), 0, 'outside the touched blocks: identical to the unblurred re-encode');
});
