import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import type { DataRecord } from '../../src/core/record.js';
import { readShards } from '../../src/engine/shard-reader.js';
import { ClipModel } from '../../src/models/clip/embed.js';
import { writeTinyClip } from '../../src/models/clip/tiny.js';
import { classEmbeddings, dotRows } from '../../src/models/clip/zero-shot.js';
import { ClipNsfwDetector } from '../../src/models/nsfw/clip-detector.js';
import { unsafeIndices, unsafeMass } from '../../src/models/nsfw/score.js';
import { TINY_NSFW_GAIN, TINY_NSFW_THRESHOLD, writeTinyClassifier } from '../../src/models/nsfw/tiny.js';
import { locateModel } from '../../src/models/presence.js';
import { ImageClassifier, readLabels, toProbabilities } from '../../src/models/vision/classifier.js';
import { outputSize, parseImageProcessor } from '../../src/models/vision/image-processor.js';
import { thresher } from '../helpers/cli.js';
import { tempDir } from '../helpers/fixtures.js';
import { jsonlPipeline, readManifest } from '../helpers/pools.js';
import { closedPort } from '../helpers/ports.js';
import { needsShared, sharedPath } from '../helpers/shared.js';

test("preprocessor_config.json: ViT's square resize, CLIP-style shortest edge + crop, defaults", () => {
  // AdamCodd/vit-base-nsfw-detector's (ViTImageProcessor at 384).
  const vit = parseImageProcessor({
    do_normalize: true,
    do_rescale: true,
    do_resize: true,
    image_mean: [0.5, 0.5, 0.5],
    image_std: [0.5, 0.5, 0.5],
    resample: 2,
    rescale_factor: 0.00392156862745098,
    size: { height: 384, width: 384 },
  });
  assert.deepEqual({ resize: vit.resize, w: vit.width, h: vit.height, crop: vit.crop, kernel: vit.kernel }, { resize: 'square', w: 384, h: 384, crop: null, kernel: 'linear' });
  const clip = parseImageProcessor({
    size: { shortest_edge: 224 },
    do_center_crop: true,
    crop_size: { height: 224, width: 224 },
    resample: 3,
    image_mean: [0.48, 0.45, 0.4],
    image_std: [0.26, 0.26, 0.27],
  });
  assert.deepEqual({ resize: clip.resize, w: clip.width, crop: clip.crop, kernel: clip.kernel }, { resize: 'shortest_edge', w: 224, crop: { width: 224, height: 224 }, kernel: 'cubic' });
  const old = parseImageProcessor({ size: 256, do_center_crop: true, crop_size: 224 });
  assert.equal(old.resize, 'shortest_edge', 'an integer size with a crop is the shortest edge');
  assert.deepEqual(outputSize(old), { width: 224, height: 224 });
  const bare = parseImageProcessor({});
  assert.deepEqual([bare.width, bare.mean, bare.std, bare.rescale], [224, [0.5, 0.5, 0.5], [0.5, 0.5, 0.5], 1 / 255]);
});

test('probabilities: logits get a softmax, an output that already is a distribution is kept', () => {
  const p = toProbabilities(Float32Array.of(0, Math.log(3), 1, 1), 2);
  assert.ok(Math.abs(p[0] - 0.25) < 1e-6 && Math.abs(p[1] - 0.75) < 1e-6 && Math.abs(p[2] - 0.5) < 1e-6);
  assert.deepEqual(Array.from(toProbabilities(Float32Array.of(0.25, 0.75), 2)), [0.25, 0.75]);
});

test('unsafe labels: by name from id2label, or as given; the score is their probability mass', () => {
  assert.deepEqual(unsafeIndices(['sfw', 'nsfw'], null, 'm'), [1]);
  assert.deepEqual(unsafeIndices(['normal', 'nsfw'], null, 'm'), [1]);
  assert.deepEqual(unsafeIndices(['drawings', 'hentai', 'neutral', 'porn', 'sexy'], null, 'm'), [1, 3, 4]);
  assert.deepEqual(unsafeIndices(['drawings', 'hentai', 'neutral', 'porn', 'sexy'], ['porn'], 'm'), [3]);
  assert.throws(() => unsafeIndices(['cat', 'dog'], null, 'model'), /model: no label of cat, dog reads as unsafe; name them with unsafe_labels/);
  assert.throws(() => unsafeIndices(['sfw', 'nsfw'], ['porn'], 'model'), /unsafe_labels "porn" not among the model's labels \(sfw, nsfw\)/);
  assert.ok(Math.abs(unsafeMass(Float32Array.of(0.1, 0.2, 0.3, 0.15, 0.25), 0, 5, [1, 3, 4]) - 0.6) < 1e-6);
  const dir = tempDir();
  writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ id2label: { 1: 'nsfw', 0: 'sfw' } }));
  assert.deepEqual(readLabels(path.join(dir, 'config.json')), ['sfw', 'nsfw'], 'in id order, whatever the key order');
  writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ id2label: { 0: 'a', 5: 'b' } }));
  assert.throws(() => readLabels(path.join(dir, 'config.json')), /id2label id "5" is not one of 0..1/);
});

test('the tiny classifier: exact scores on solid colours, a red-painted photo scores higher than the photo', needsShared, async () => {
  const dir = writeTinyClassifier(path.join(tempDir(), 'nsfw'));
  const model = await ImageClassifier.load(dir, { batchSize: 2 });
  assert.deepEqual(model.labels, ['normal', 'nsfw']);
  const solid = (r: number, g: number, b: number) =>
    sharp({ create: { width: 30, height: 20, channels: 3, background: { r, g, b } } })
      .png()
      .toBuffer();
  const photo = sharedPath('data', 'images', 'debian', 'coffee.png');
  const reddened = await sharp(photo).removeAlpha().linear([1, 0.3, 0.3], [80, 0, 0]).png().toBuffer();
  const { probs, errors } = await model.classify([await solid(255, 0, 0), await solid(128, 128, 128), photo, reddened, Buffer.from('not an image')]);
  // Solid colours: the normalised redness is exact, so is the softmax of [0, gain · (redness − t)].
  const expected = (redness: number) => 1 / (1 + Math.exp(-TINY_NSFW_GAIN * (redness - TINY_NSFW_THRESHOLD)));
  assert.ok(Math.abs(probs[1] - expected(2)) < 1e-5, `red: ${probs[1]}`);
  assert.ok(Math.abs(probs[3] - expected(0)) < 1e-5, `grey: ${probs[3]}`);
  assert.ok(probs[7] > probs[5], `reddened ${probs[7]} > photo ${probs[5]}`);
  assert.deepEqual(errors.slice(0, 4), [undefined, undefined, undefined, undefined]);
  assert.match(errors[4]!, /unsupported image format/);
  assert.deepEqual(Array.from(probs.subarray(8)), [0, 0], 'a failed row is zeros');
  await model.close();
});

test('locateModel: a folder, a file, the hub cache, else one line with the huggingface-cli command', async () => {
  const dir = tempDir();
  const cache = path.join(dir, 'hub');
  const port = await closedPort();
  const offline = { cacheDir: cache, env: { HF_ENDPOINT: `http://127.0.0.1:${port}` } };
  const req = { what: 'NSFW classifier', baseDir: dir, files: ['onnx/model.onnx', 'config.json'], suggested: 'AdamCodd/vit-base-nsfw-detector' };

  const model = writeTinyClassifier(path.join(dir, 'model'));
  assert.deepEqual(await locateModel({ ...req, source: 'model' }, offline), { found: true, where: model });

  const partial = path.join(dir, 'partial');
  mkdirSync(partial);
  writeFileSync(path.join(partial, 'config.json'), '{}');
  const lacking = await locateModel({ ...req, source: 'partial' }, offline);
  assert.deepEqual(lacking, {
    found: false,
    message: `NSFW classifier: model folder ${partial} lacks onnx/model.onnx; get it with \`huggingface-cli download AdamCodd/vit-base-nsfw-detector onnx/model.onnx config.json --local-dir ${partial}\``,
  });

  const nowhere = await locateModel({ ...req, source: './no/such/folder' }, offline);
  assert.ok(!nowhere.found && nowhere.message.includes(`(looked for ${path.join(dir, 'no', 'such', 'folder')}) and no hub id`), JSON.stringify(nowhere));

  const hub = await locateModel({ ...req, source: 'someone/nsfw-model' }, offline);
  assert.ok(!hub.found);
  assert.match(
    hub.message,
    /^NSFW classifier: model someone\/nsfw-model is not in the hub cache \(.*hub\) and the hub cannot give it \(http:\/\/127\.0\.0\.1:\d+\/someone\/nsfw-model\/resolve\/main\/onnx\/model\.onnx: ECONNREFUSED\); get it where the hub is reachable with `huggingface-cli download someone\/nsfw-model onnx\/model\.onnx config\.json`/,
  );
  assert.ok(!hub.message.includes('\n'), 'one line');
  const off = await locateModel({ ...req, source: 'someone/nsfw-model' }, { cacheDir: cache, env: { HF_HUB_OFFLINE: '1' } });
  assert.ok(!off.found && off.message.includes('HF_HUB_OFFLINE is set'));

  // The same id in the hub cache, as huggingface_hub lays it out: found without asking the hub.
  const snapshot = path.join(cache, 'models--someone--nsfw-model', 'snapshots', 'abc123');
  writeTinyClassifier(snapshot);
  mkdirSync(path.join(cache, 'models--someone--nsfw-model', 'refs'), { recursive: true });
  writeFileSync(path.join(cache, 'models--someone--nsfw-model', 'refs', 'main'), 'abc123');
  assert.deepEqual(await locateModel({ ...req, source: 'someone/nsfw-model' }, offline), { found: true, where: snapshot });

  // A face detector may be named by its .onnx file.
  const onnx = path.join(model, 'onnx', 'model.onnx');
  assert.deepEqual(await locateModel({ ...req, files: ['x.onnx'], source: onnx, allowFile: true }, offline), { found: true, where: onnx });
});

test('detector: clip scores the softmax mass of the unsafe prompts (tiny CLIP model)', needsShared, async () => {
  const dir = writeTinyClip(path.join(tempDir(), 'clip'));
  const clip = await ClipModel.load(dir);
  const unsafe = ['a pornographic photo', 'a nude photo'];
  const safe = ['a photo', 'a drawing', 'a landscape'];
  const detector = await ClipNsfwDetector.create(clip, unsafe, safe);
  const photos = ['china.jpg', 'rocket.jpg'].map((f) => sharedPath('data', 'images', 'debian', f));
  const { scores, errors } = await detector.score([...photos, Buffer.from('no image')]);
  // The same number by hand: cosines with each prompt's embedding, softmax at 100.
  const { embeddings } = await clip.embedImages(photos);
  const prompts = await classEmbeddings(clip, [...unsafe, ...safe], ['{}']);
  const dim = embeddings.length / photos.length;
  photos.forEach((_, k) => {
    const e = [...unsafe, ...safe].map((__, c) => Math.exp(100 * dotRows(embeddings, k, prompts, c, dim)));
    const want = (e[0] + e[1]) / e.reduce((a, b) => a + b, 0);
    assert.ok(Math.abs((scores[k] as number) - want) < 1e-5, `${scores[k]} vs ${want}`);
  });
  assert.equal(scores[2], null);
  assert.ok(errors[2]);
  await clip.close();
});

test('nsfw in a pipeline on path images (image_column): scores, the red image excluded with its score', needsShared, async () => {
  const dir = tempDir();
  writeTinyClassifier(path.join(dir, 'nsfw'));
  mkdirSync(path.join(dir, 'images'));
  const names = ['china.jpg', 'chelsea.png', 'rocket.jpg']; // not coffee.png: its red cup scores 0.92 with the tiny model
  for (const n of names) writeFileSync(path.join(dir, 'images', n), readFileSync(sharedPath('data', 'images', 'debian', n)));
  writeFileSync(
    path.join(dir, 'images', 'red.png'),
    await sharp({ create: { width: 64, height: 48, channels: 3, background: '#ff0000' } })
      .png()
      .toBuffer(),
  );
  const rows = [...names, 'red.png'].map((n, i) => ({ id: `r${i}`, image: `images/${n}`, text: n }));
  rows.push({ id: 'gone', image: 'images/none.jpg', text: 'missing' });
  writeFileSync(path.join(dir, 'pool.jsonl'), rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
  const pipeline = jsonlPipeline(dir, path.join(dir, 'pool.jsonl'), { tasks: 2, stages: '  - nsfw: { model: nsfw, image_column: image, max_score: 0.9, batch_size: 2 }' });
  const run = thresher(['run', pipeline, '--workers', '2', '--quiet']);
  assert.equal(run.status, 0, run.stderr);
  const release = path.join(dir, 'out', 'v1');
  const files = readManifest(release).files;
  const read = async (prefix: string) => {
    const out: DataRecord[] = [];
    for await (const r of readShards(files.filter((f) => f.path.startsWith(prefix)).map((f) => path.join(release, f.path)))) out.push(r);
    return out.sort((a, b) => a.id.localeCompare(b.id));
  };
  const kept = await read('data/');
  assert.deepEqual(
    kept.map((r) => r.id),
    ['r0', 'r1', 'r2'],
  );
  for (const r of kept) assert.ok((r.nsfw_score as number) > 0 && (r.nsfw_score as number) < 0.9, `${r.id}: ${r.nsfw_score}`);
  const excluded = await read('excluded/');
  assert.deepEqual(
    excluded.map((r) => [r.id, r.reason]),
    [
      ['gone', 'image_undecodable'],
      ['r3', 'nsfw'],
    ],
  );
  assert.match(excluded[1].detail as string, /^nsfw_score 1\.0000 > 0\.9$/);
  const card = readFileSync(path.join(release, 'README.md'), 'utf8');
  assert.match(card, /NSFW scores \(`nsfw_score`\) from the classifier `nsfw`: the probability of `nsfw`; records above 0\.9 excluded/);
});
