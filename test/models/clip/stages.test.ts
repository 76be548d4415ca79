import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { readShards } from '../../../src/engine/shard-reader.js';
import { ClipModel } from '../../../src/models/clip/embed.js';
import { writeTinyClip } from '../../../src/models/clip/tiny.js';
import { classEmbeddings, dotRows, topK } from '../../../src/models/clip/zero-shot.js';
import { percentileSorted } from '../../../src/stages/clip-score-top.js';
import type { DataRecord } from '../../../src/core/record.js';
import { thresher } from '../../helpers/cli.js';
import { tempDir } from '../../helpers/fixtures.js';
import { jsonlPipeline, readManifest } from '../../helpers/pools.js';
import { needsShared, sharedPath } from '../../helpers/shared.js';

const IMAGES = ['chelsea.png', 'china.jpg', 'coffee.png', 'rocket.jpg', 'flower.jpg'];
const CAPTIONS = ['a cat looking at the camera', 'a temple tower', 'a cup of espresso', 'a rocket at night', 'an orange flower'];
const CLASSES = ['cat', 'palace', 'espresso', 'missile', 'daisy'];

test('percentileSorted is numpy percentile with linear interpolation', () => {
  const a = Float64Array.of(1, 2, 3, 4);
  assert.equal(percentileSorted(a, 50), 2.5);
  assert.ok(Math.abs(percentileSorted(a, 70) - 3.1) < 1e-12);
  assert.equal(percentileSorted(a, 0), 1);
  assert.equal(percentileSorted(a, 100), 4);
});

test('clip_score → clip_score_top → zero_shot in a pipeline on real images with the tiny model', needsShared, async (t) => {
  const dir = tempDir();
  const model = writeTinyClip(path.join(dir, 'model'));
  mkdirSync(path.join(dir, 'images'));
  for (const f of IMAGES) copyFileSync(sharedPath('data', 'images', 'debian', f), path.join(dir, 'images', f));
  writeFileSync(path.join(dir, 'images', 'broken.jpg'), 'no image here');
  const rows = [
    ...IMAGES.map((f, i) => ({ id: `r${i}`, image: `images/${f}`, text: CAPTIONS[i] })),
    { id: 'broken', image: 'images/broken.jpg', text: 'nothing' },
    { id: 'remote', image: 'https://example.com/a.jpg', text: 'a remote image' },
    { id: 'noimage', image: null, text: 'no image' },
    { id: 'nocaption', image: 'images/china.jpg', text: '' },
  ];
  const input = path.join(dir, 'pool.jsonl');
  writeFileSync(input, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
  const pipeline = jsonlPipeline(dir, input, {
    tasks: 2,
    stages: `  - clip_score: { model: model, batch_size: 2 }
  - clip_score_top: { fraction: 0.5 }
  - zero_shot: { model: model, classes: ${JSON.stringify(CLASSES)}, templates: ['a photo of a {}.', 'a picture of the {}.'], top_k: 2 }`,
  });
  const run = thresher(['run', pipeline, '--workers', '2', '--quiet']);
  assert.equal(run.status, 0, run.stderr);
  const release = path.join(dir, 'out', 'v1');
  const manifest = readManifest(release);
  const out: DataRecord[] = [];
  for await (const r of readShards(manifest.files.filter((f) => f.path.startsWith('data/')).map((f) => path.join(release, f.path)))) out.push(r);

  // The same numbers computed here, outside the engine.
  const clip = await ClipModel.load(model);
  const { embeddings } = await clip.embedImages(IMAGES.map((f) => sharedPath('data', 'images', 'debian', f)));
  const texts = await clip.embedTexts(CAPTIONS);
  const scores = IMAGES.map((_, k) => dotRows(embeddings, k, texts, k, 16));
  const threshold = percentileSorted(Float64Array.from(scores).sort(), 50);
  const classes = await classEmbeddings(clip, CLASSES, ['a photo of a {}.', 'a picture of the {}.']);
  await clip.close();

  await t.test('exclusions are counted with their reasons, never a crash', () => {
    const excluded = manifest.counts.excluded as Record<string, number>;
    assert.equal(excluded.image_undecodable, 1);
    assert.equal(excluded.image_not_local, 1);
    assert.equal(excluded.no_image, 1);
    assert.equal(excluded.no_caption, 1);
    assert.equal(excluded.clip_score_below_top, scores.filter((s) => s < threshold).length);
  });

  await t.test('kept records: the top half by score, each score the cosine of its image and caption', () => {
    const kept = IMAGES.map((_, i) => `r${i}`).filter((_, i) => scores[i] >= threshold);
    assert.deepEqual(out.map((r) => r.id).sort(), kept.sort());
    for (const r of out) {
      const i = Number(r.id.slice(1));
      assert.ok(Math.abs((r.clip_score as number) - scores[i]) < 1e-5, `${r.id}: ${r.clip_score} vs ${scores[i]}`);
    }
  });

  await t.test('zero_shot labels are the classes nearest each image, with softmax probabilities', () => {
    for (const r of out) {
      const i = Number(r.id.slice(1));
      const sims = CLASSES.map((_, c) => 100 * dotRows(embeddings, i, classes, c, 16));
      const best = Array.from(topK(sims, 2), (c) => CLASSES[c]);
      assert.equal(r.zero_shot_label, best[0]);
      assert.deepEqual(r.zero_shot_labels, best);
      const max = Math.max(...sims);
      const p = Math.exp(sims[CLASSES.indexOf(best[0])] - max) / sims.reduce((s, v) => s + Math.exp(v - max), 0);
      assert.ok(Math.abs((r.zero_shot_score as number) - p) < 1e-5);
    }
  });
});
