import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ClipModel } from '../../../src/models/clip/embed.js';
import { writeTinyClip } from '../../../src/models/clip/tiny.js';
import { clipTokenizer } from '../../../src/models/clip/index.js';
import { classEmbeddings, topK } from '../../../src/models/clip/zero-shot.js';
import { ModelLoadError, resolveModelDir } from '../../../src/models/loading.js';
import { tempDir } from '../../helpers/fixtures.js';
import { needsShared, sharedPath } from '../../helpers/shared.js';

const dir = writeTinyClip(path.join(tempDir(), 'tiny-clip'), { dim: 16 });

function norms(v: Float32Array, dim: number): number[] {
  const out: number[] = [];
  for (let at = 0; at < v.length; at += dim) out.push(Math.hypot(...v.subarray(at, at + dim)));
  return out;
}

test('the generated folder has the hub layout and the real tokenizer files', () => {
  const vocab = JSON.parse(readFileSync(path.join(dir, 'vocab.json'), 'utf8')) as Record<string, number>;
  assert.equal(Object.keys(vocab).length, 49408);
  assert.equal(vocab['<|endoftext|>'], 49407);
  const merges = readFileSync(path.join(dir, 'merges.txt'), 'utf8').trimEnd().split('\n');
  assert.equal(merges.length, 48895); // header + 48,894 merges
  assert.equal(merges[1], 'i n');
});

test('text tower: input_ids → text_embeds, normalised; a text embeds the same alone or padded in a batch', async () => {
  const model = await ClipModel.load(dir);
  const texts = ['a photo of a cat', 'a dog', 'a very long caption about an orange dahlia flower in a garden'];
  const batch = await model.embedTexts(texts);
  assert.equal(batch.length, 3 * 16);
  for (const n of norms(batch, 16)) assert.ok(Math.abs(n - 1) < 1e-5);
  const alone = await model.embedTexts(['a dog']);
  for (let j = 0; j < 16; j++) assert.ok(Math.abs(alone[j] - batch[16 + j]) < 1e-6);
  assert.notDeepEqual(Array.from(batch.subarray(0, 16)), Array.from(batch.subarray(16, 32)));
  // The folder's merges.txt gives the same ids as the tokenizer shipped in the package.
  assert.deepEqual(model.tokenizer.tokenize(texts[2]), clipTokenizer().tokenize(texts[2]));
  await model.close();
});

test('vision tower on real images, in batches smaller than the list; an undecodable image gets an error and a zero row', needsShared, async () => {
  const images = ['chelsea.png', 'china.jpg', 'coffee.png', 'rocket.jpg', 'flower.jpg'].map((f) => sharedPath('data', 'images', 'debian', f));
  const bad = path.join(tempDir(), 'bad.png');
  writeFileSync(bad, Buffer.from('89504e470d0a1a0a0000', 'hex'));
  const small = await ClipModel.load(dir, { batchSize: 2 });
  const { embeddings, errors } = await small.embedImages([images[0], bad, ...images.slice(1)]);
  assert.equal(errors.filter((e) => e !== undefined).length, 1);
  assert.ok(errors[1]);
  assert.deepEqual(
    norms(embeddings, 16).map((n) => Math.round(n * 1e4) / 1e4),
    [1, 0, 1, 1, 1, 1],
  );
  const big = await ClipModel.load(dir, { batchSize: 32 });
  const again = await big.embedImages(images);
  for (let k = 0; k < 5; k++) {
    const a = embeddings.subarray((k + (k > 0 ? 1 : 0)) * 16, (k + (k > 0 ? 1 : 0) + 1) * 16);
    const b = again.embeddings.subarray(k * 16, (k + 1) * 16);
    for (let j = 0; j < 16; j++) assert.ok(Math.abs(a[j] - b[j]) < 1e-5, 'batch size does not change an embedding');
  }
  await small.close();
  await big.close();
});

test('class embeddings: the renormalised mean over templates', async () => {
  const model = await ClipModel.load(dir);
  const templates = ['a photo of a {}.', 'a drawing of the {}.'];
  const classes = await classEmbeddings(model, ['cat', 'dog'], templates);
  const rows = await model.embedTexts(['a photo of a cat.', 'a drawing of the cat.']);
  const mean = Array.from({ length: 16 }, (_, j) => rows[j] + rows[16 + j]);
  const norm = Math.hypot(...mean);
  for (let j = 0; j < 16; j++) assert.ok(Math.abs(classes[j] - mean[j] / norm) < 1e-5);
  await model.close();
});

test('topK: largest first, ties to the lower index', () => {
  assert.deepEqual(Array.from(topK([0.1, 0.5, 0.5, 0.9, -1], 3)), [3, 1, 2]);
  assert.deepEqual(Array.from(topK([2, 1], 2)), [0, 1]);
});

test('loading: a folder without the ONNX files, a bad name, and a hub id with no cache and no network fail clearly', async () => {
  const empty = tempDir();
  await assert.rejects(ClipModel.load(empty), /lacks onnx\/vision_model\.onnx, onnx\/text_model\.onnx/);
  await assert.rejects(ClipModel.load(path.join(empty, 'nope')), /no such folder, and not a hub id/);
  await assert.rejects(
    resolveModelDir('Xenova/clip-vit-base-patch32', { files: ['onnx/vision_model.onnx'], cacheDir: path.join(empty, 'hub'), endpoint: 'http://127.0.0.1:9' }),
    (err: Error) => err instanceof ModelLoadError && /not in the hub cache .* the hub is not reachable/.test(err.message),
  );
});

test('loading: a hub id found in the hub cache resolves to its snapshot', async () => {
  const cache = tempDir();
  const snapshot = path.join(cache, 'models--Xenova--clip-vit-base-patch32', 'snapshots', 'abc123');
  writeTinyClip(snapshot);
  const refs = path.join(cache, 'models--Xenova--clip-vit-base-patch32', 'refs');
  (await import('node:fs')).mkdirSync(refs, { recursive: true });
  writeFileSync(path.join(refs, 'main'), 'abc123\n');
  const found = await resolveModelDir('Xenova/clip-vit-base-patch32', { files: ['onnx/vision_model.onnx', 'onnx/text_model.onnx'], cacheDir: cache, endpoint: 'http://127.0.0.1:9' });
  assert.equal(found, snapshot);
});
