/**
 * `npm run bench -- clip-embed`: CLIP image preprocessing (sharp decode, bicubic resize, crop,
 * normalise) in images per CPU-second (per core: process CPU time, libvips held to one thread)
 * and wall-clock images/s with 4 images in flight; then embeddings/s with the tiny generated
 * models, whose own compute is negligible, so the figures are the overhead outside the model
 * (tokenising, padding, tensors, ONNX Runtime calls, normalising). Images: the 25 photos of
 * ../shared/data/images; texts: captions made from their names. Medians of PASSES.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { ClipModel } from '../src/models/clip/embed.js';
import { preprocessInto } from '../src/models/clip/preprocess.js';
import { writeTinyClip } from '../src/models/clip/tiny.js';
import { tempDir } from '../test/helpers/fixtures.js';
import { sharedPath } from '../test/helpers/shared.js';

const PASSES = 5;
const REPEAT = 4;
const median = (xs: number[]) => xs.slice().sort((a, b) => a - b)[xs.length >> 1];
const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

async function timed(fn: () => Promise<void>): Promise<{ wall: number; cpu: number }> {
  const c0 = cpu();
  const t0 = performance.now();
  await fn();
  return { wall: (performance.now() - t0) / 1000, cpu: cpu() - c0 };
}

function sharedImages(): Buffer[] {
  const dirs = ['debian', 'cc3m-competition-test'].map((d) => sharedPath('data', 'images', d));
  return dirs.flatMap((d) =>
    readdirSync(d)
      .filter((f) => /\.(jpe?g|png)$/i.test(f))
      .map((f) => readFileSync(path.join(d, f))),
  );
}

export async function benchClipEmbed(): Promise<Record<string, unknown>> {
  sharp.concurrency(1);
  const images = sharedImages();
  const list = Array.from({ length: REPEAT }, () => images).flat();
  const out = new Float32Array(3 * 224 * 224);
  const parallel = [];
  for (let p = 0; p < PASSES; p++) parallel.push(await timed(async () => void (await Promise.all(list.map(async (img) => preprocessInto(img, new Float32Array(out.length), 0))))));
  const one = [];
  for (let p = 0; p < PASSES; p++)
    one.push(
      await timed(async () => {
        for (const img of list) await preprocessInto(img, out, 0);
      }),
    );

  const model = await ClipModel.load(writeTinyClip(path.join(tempDir(), 'tiny-clip')), { batchSize: 32, threads: 1 });
  const captions = Array.from({ length: 4096 }, (_, i) => `a photo number ${i} of a ${['cat', 'red car', 'small house by the sea', 'cup of coffee on a table'][i % 4]}`);
  await model.embedTexts(captions.slice(0, 64));
  const texts = [];
  for (let p = 0; p < PASSES; p++) texts.push(await timed(async () => void (await model.embedTexts(captions))));
  const pixels = new Float32Array(32 * 3 * 224 * 224);
  const pixelRuns = [];
  for (let p = 0; p < PASSES; p++)
    pixelRuns.push(
      await timed(async () => {
        for (let b = 0; b < 32; b++) await model.embedPixels(pixels, 32);
      }),
    );
  const imageRuns = [];
  for (let p = 0; p < PASSES; p++) imageRuns.push(await timed(async () => void (await model.embedImages(list))));
  await model.close();
  const rate = (n: number, runs: { wall: number; cpu: number }[], key: 'wall' | 'cpu') => Math.round(n / median(runs.map((r) => r[key])));
  return {
    images: images.length,
    preprocess_images_per_cpu_second_one_in_flight: rate(list.length, one, 'cpu'),
    preprocess_images_per_second_one_in_flight: rate(list.length, one, 'wall'),
    preprocess_images_per_cpu_second_all_in_flight: rate(list.length, parallel, 'cpu'),
    preprocess_images_per_second_all_in_flight: rate(list.length, parallel, 'wall'),
    tiny_text_embeddings_per_second: rate(captions.length, texts, 'wall'),
    tiny_vision_embeddings_per_second_from_pixels: rate(32 * 32, pixelRuns, 'wall'),
    tiny_vision_embeddings_per_second_from_files: rate(list.length, imageRuns, 'wall'),
    note: 'tiny random-weight models: the embedding rates are the overhead outside the model; libvips at one thread (sharp.concurrency(1))',
  };
}
