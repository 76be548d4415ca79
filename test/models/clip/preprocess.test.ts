import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { CLIP_MEAN, CLIP_STD, centreCropOffset, preprocessInto, resizeAndCrop, resizedSize, roundHalfEven } from '../../../src/models/clip/preprocess.js';
import { tempDir } from '../../helpers/fixtures.js';
import { needsShared, sharedPath } from '../../helpers/shared.js';

test('sizes and crop offsets as torchvision: long side truncated, offsets rounded half to even', () => {
  assert.deepEqual(resizedSize(640, 427, 224), { width: 335, height: 224 });
  assert.deepEqual(resizedSize(300, 451, 224), { width: 224, height: 336 });
  assert.deepEqual(centreCropOffset(335, 224, 224), { left: 56, top: 0 }); // round(55.5) = 56
  assert.deepEqual(centreCropOffset(337, 224, 224), { left: 56, top: 0 }); // round(56.5) = 56
  assert.equal(roundHalfEven(2.5), 2);
  assert.equal(roundHalfEven(3.5), 4);
  assert.equal(roundHalfEven(-0.5), -0);
});

/** Keys' cubic with a = -0.5 (PIL's and CLIP's bicubic). */
function cubic(x: number): number {
  const a = -0.5;
  x = Math.abs(x);
  if (x < 1) return ((a + 2) * x - (a + 3)) * x * x + 1;
  if (x < 2) return (((x - 5) * x + 8) * x - 4) * a;
  return 0;
}

/** PIL's antialiased resampling weights for output pixel `i`: the kernel stretched by the scale when shrinking. */
function weights(inSize: number, outSize: number, i: number): { first: number; w: number[] } {
  const scale = inSize / outSize;
  const stretch = Math.max(scale, 1);
  const centre = (i + 0.5) * scale;
  const first = Math.max(0, Math.floor(centre - 2 * stretch + 0.5));
  const last = Math.min(inSize, Math.floor(centre + 2 * stretch + 0.5));
  const w: number[] = [];
  for (let x = first; x < last; x++) w.push(cubic((x - centre + 0.5) / stretch));
  const sum = w.reduce((a, b) => a + b, 0);
  return { first, w: w.map((v) => v / sum) };
}

for (const name of ['chelsea.png', 'china.jpg', 'coffee.png', 'rocket.jpg']) {
  test(`${name}: pixels equal a hand-computed bicubic resize, centre crop and CLIP normalisation`, needsShared, async () => {
    const file = sharedPath('data', 'images', 'debian', name);
    const { data, info } = await sharp(file).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    const size = resizedSize(info.width, info.height, 224);
    const at = centreCropOffset(size.width, size.height, 224);
    const out = new Float32Array(3 * 224 * 224);
    await preprocessInto(file, out, 0);
    let worst = 0;
    let total = 0;
    let n = 0;
    for (let y = 0; y < 224; y += 11)
      for (let x = 0; x < 224; x += 13) {
        const wy = weights(info.height, size.height, y + at.top);
        const wx = weights(info.width, size.width, x + at.left);
        for (let c = 0; c < 3; c++) {
          let v = 0;
          wy.w.forEach((a, j) => wx.w.forEach((b, k) => (v += a * b * data[((wy.first + j) * info.width + wx.first + k) * info.channels + c])));
          const expected = (Math.min(255, Math.max(0, Math.round(v))) / 255 - CLIP_MEAN[c]) / CLIP_STD[c];
          const got = out[c * 224 * 224 + y * 224 + x];
          const levels = Math.abs(got - expected) * CLIP_STD[c] * 255;
          worst = Math.max(worst, levels);
          total += levels;
          n++;
        }
      }
    // libvips and PIL round differently inside the two passes: a few grey levels at most.
    assert.ok(worst <= 3.01, `worst pixel off by ${worst.toFixed(2)} grey levels`);
    assert.ok(total / n < 0.5, `mean difference ${(total / n).toFixed(3)} grey levels`);
  });
}

test('normalisation: each value is (byte / 255 − mean) / std of the resized RGB bytes, channels first', needsShared, async () => {
  const file = sharedPath('data', 'images', 'debian', 'flower.jpg');
  const rgb = await resizeAndCrop(file, 224);
  const out = new Float32Array(3 * 224 * 224 + 5);
  await preprocessInto(file, out, 5);
  for (const i of [0, 1, 223, 224 * 100 + 17, 224 * 224 - 1]) for (let c = 0; c < 3; c++) assert.ok(Math.abs(out[5 + c * 224 * 224 + i] - (rgb[3 * i + c] / 255 - CLIP_MEAN[c]) / CLIP_STD[c]) < 1e-6);
});

test('a file that is not an image rejects with the decoder message (callers exclude it)', async () => {
  const bad = path.join(tempDir(), 'bad.jpg');
  writeFileSync(bad, 'not an image at all');
  await assert.rejects(preprocessInto(bad, new Float32Array(3 * 224 * 224), 0), /unsupported image format/);
});

test('a grey image comes out as three equal channels before normalisation', async () => {
  const grey = await sharp({ create: { width: 300, height: 250, channels: 3, background: { r: 90, g: 90, b: 90 } } })
    .greyscale()
    .png()
    .toBuffer();
  const rgb = await resizeAndCrop(grey, 224);
  assert.equal(rgb.length, 224 * 224 * 3);
  assert.deepEqual([rgb[0], rgb[1], rgb[2]], [90, 90, 90]);
});
