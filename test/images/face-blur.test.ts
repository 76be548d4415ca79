import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import type { DataRecord } from '../../src/core/record.js';
import { readShards } from '../../src/engine/shard-reader.js';
import { blurRegions, decodeRgb, encodeJpeg, regionOf, type Region } from '../../src/images/blur.js';
import { TarReader } from '../../src/images/tar-read.js';
import { TINY_FACE_SIZE, writeTinyFaceDetector } from '../../src/models/faces/tiny.js';
import { writeTinyClassifier } from '../../src/models/nsfw/tiny.js';
import { thresher } from '../helpers/cli.js';
import { tempDir } from '../helpers/fixtures.js';
import { readManifest } from '../helpers/pools.js';
import { closedPort } from '../helpers/ports.js';
import { skipWithoutShared } from '../helpers/shared.js';
import { runCli, type PoolRow } from './run.js';
import { type ImageHost, sharedImages, startImageHost } from './server.js';

// Photos on which the tiny detector finds exactly the painted square (on a red flower it also
// finds petals beside it); none of the shared photos has a "face" before painting.
const PAINTED = ['china.jpg', '00416784a9cb1756.jpg'];
const PLAIN = ['rocket.jpg', 'flower.jpg', '0006400c1c224e19.jpg'];

/** A real photo with a pure red square where the tiny detector's window of cell (10, 7) falls: its one "face". */
async function paint(bytes: Buffer): Promise<{ jpeg: Buffer; square: Region }> {
  const { rgb, width, height } = await decodeRgb(bytes);
  const [x1, y1] = [Math.round((144 * width) / 320), Math.round((96 * height) / 240)];
  const [x2, y2] = [Math.round(((144 + TINY_FACE_SIZE) * width) / 320), Math.round(((96 + TINY_FACE_SIZE) * height) / 240)];
  for (let y = y1; y < y2; y++) for (let x = x1; x < x2; x++) rgb.set([255, 0, 0], 3 * (y * width + x));
  return {
    jpeg: await sharp(rgb, { raw: { width, height, channels: 3 } })
      .jpeg({ quality: 95 })
      .toBuffer(),
    square: { left: x1, top: y1, width: x2 - x1, height: y2 - y1 },
  };
}

interface Pool {
  dir: string;
  images: Map<string, Buffer>;
  squares: Map<string, Region>;
  rows: PoolRow[];
  host: ImageHost;
}

/** Real photos (two with a painted "face"), a red image, served from loopback; the tiny models in `dir`. */
async function makePool(): Promise<Pool> {
  const real = sharedImages();
  const images = new Map<string, Buffer>();
  const squares = new Map<string, Region>();
  for (const n of PAINTED) {
    const { jpeg, square } = await paint(real.get(n)!);
    images.set(n, jpeg);
    squares.set(n, square);
  }
  for (const n of PLAIN) images.set(n, real.get(n)!);
  images.set(
    'red.jpg',
    await sharp({ create: { width: 300, height: 200, channels: 3, background: '#ff0000' } })
      .jpeg()
      .toBuffer(),
  );
  const host = await startImageHost({ images });
  const rows = [...images.keys()].map((n) => ({ id: n.replace('.jpg', ''), url: `${host.base}/img/${encodeURIComponent(n)}`, caption: `a photo called ${n}` }));
  const dir = tempDir();
  writeTinyFaceDetector(path.join(dir, 'face'));
  writeTinyClassifier(path.join(dir, 'nsfw'));
  return { dir, images, squares, rows, host };
}

function writePipeline(dir: string, rows: PoolRow[], stages: string): string {
  writeFileSync(path.join(dir, 'pool.jsonl'), rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
  const file = path.join(dir, 'pipeline.yaml');
  writeFileSync(
    file,
    `name: faces
input: { type: jsonl, path: pool.jsonl, id_field: id, content_field: caption, split_min_bytes: 1 }
stages:
  - download: { resize: none, retries: 0 }
${stages}
output: { path: out }
execution: { tasks: 2 }
`,
  );
  return file;
}

/** Run the pipeline on the pool in `dir`; the release folder. */
async function runPool(pool: Pool, dir: string, stages: string): Promise<{ release: string; status: number | null; stderr: string }> {
  const run = await runCli(['run', writePipeline(dir, pool.rows, stages), '--workers', '2']);
  return { release: path.join(dir, 'out', 'v1'), ...run };
}

async function records(release: string, prefix: string): Promise<DataRecord[]> {
  const out: DataRecord[] = [];
  const files = readManifest(release).files.filter((f) => f.path.startsWith(prefix));
  for await (const r of readShards(files.map((f) => path.join(release, f.path)))) out.push(r);
  return out;
}

function imageOf(release: string, stage: string, r: DataRecord): Buffer {
  const reader = new TarReader(path.join(release, 'artifacts', stage, 'shards', r.shard as string));
  try {
    return reader.read(`${r.key}.jpg`)!;
  } finally {
    reader.close();
  }
}

const STAGES = `  - face_blur: { model: face/version-RFB-320.onnx }
  - nsfw: { model: nsfw, max_score: 0.9 }`;

test('face_blur → nsfw after download, with tiny models: faces blurred in released shards, the rest byte for byte', async (t) => {
  if (skipWithoutShared(t)) return;
  const pool = await makePool();
  t.after(() => pool.host.close());
  const { release, status, stderr } = await runPool(pool, pool.dir, STAGES);
  assert.equal(status, 0, stderr);
  const kept = await records(release, 'data/');
  const byId = new Map(kept.map((r) => [r.id, r]));

  await t.test('only the blurred shards are released, download keeps its own in the work folder', () => {
    assert.deepEqual(readdirSync(path.join(release, 'artifacts')), ['1-face_blur']);
    const manifest = readManifest(release) as unknown as { sections: Record<string, { data: Record<string, unknown> }> };
    assert.equal(manifest.sections.images.data.dir, null, 'download: no shards released');
    const blur = manifest.sections.face_blur.data;
    // The red image is one big "face" to the tiny detector: blurred too (nsfw removes it after).
    assert.deepEqual([blur.images, blur.blurred, blur.skipped], [pool.rows.length, PAINTED.length + 1, false]);
    const card = readFileSync(path.join(release, 'README.md'), 'utf8');
    assert.match(card, /Faces blurred: \d+ faces found by `face\/version-RFB-320\.onnx` \(UltraFace, score > 0\.7, NMS 0\.3\) in 3 images/);
  });

  await t.test('painted photos: one face, the square; plain photos: none', () => {
    for (const n of PAINTED) {
      const r = byId.get(n.replace('.jpg', ''))!;
      assert.equal(r.faces, 1, n);
      const s = pool.squares.get(n)!;
      const want = [s.left, s.top, s.left + s.width, s.top + s.height];
      (r.face_boxes as number[]).forEach((v, k) => assert.ok(Math.abs(v - want[k]) <= 1, `${n}: ${r.face_boxes} vs ${want}`));
      assert.ok((r.face_scores as number[])[0] > 0.9);
    }
    for (const n of PLAIN) assert.deepEqual([byId.get(n.replace('.jpg', ''))!.faces, byId.get(n.replace('.jpg', ''))!.face_boxes], [0, []], n);
  });

  await t.test('the blurred region changed; outside the JPEG blocks it touches, pixels equal the unblurred re-encode', async () => {
    for (const n of PAINTED) {
      const r = byId.get(n.replace('.jpg', ''))!;
      const stored = await decodeRgb(imageOf(release, '1-face_blur', r));
      const source = await decodeRgb(pool.images.get(n)!);
      const b = r.face_boxes as number[];
      const region = regionOf({ x1: b[0], y1: b[1], x2: b[2], y2: b[3] }, source.width, source.height, 0.1)!;
      // The same pixels through the same encode, blurred and not: the stage's output is the former.
      const reference = await decodeRgb(await encodeJpeg(source.rgb, source.width, source.height, 95));
      const expected = await decodeRgb(await encodeJpeg(await blurRegions(source.rgb, source.width, source.height, [region], 0.15), source.width, source.height, 95));
      assert.ok(stored.rgb.equals(expected.rgb), `${n}: the stored image is the blurred re-encode`);
      let inside = 0;
      let outside = 0;
      const grid = (v: number) => Math.floor(v / 16) * 16;
      for (let y = 0; y < source.height; y++)
        for (let x = 0; x < source.width; x++) {
          const o = 3 * (y * source.width + x);
          const diff = Math.abs(stored.rgb[o] - reference.rgb[o]) + Math.abs(stored.rgb[o + 1] - reference.rgb[o + 1]) + Math.abs(stored.rgb[o + 2] - reference.rgb[o + 2]);
          const inRegion = x >= region.left && x < region.left + region.width && y >= region.top && y < region.top + region.height;
          const nearBlocks = x >= grid(region.left) - 16 && x < grid(region.left + region.width + 15) + 16 && y >= grid(region.top) - 16 && y < grid(region.top + region.height + 15) + 16;
          if (inRegion) inside += diff;
          else if (!nearBlocks && diff !== 0) outside++;
        }
      assert.equal(outside, 0, `${n}: pixels changed away from the face`);
      assert.ok(inside / (region.width * region.height) > 20, `${n}: mean change inside ${inside / (region.width * region.height)}`);
    }
    for (const n of PLAIN) assert.ok(imageOf(release, '1-face_blur', byId.get(n.replace('.jpg', ''))!).equals(pool.images.get(n)!), `${n}: no face, the same bytes`);
  });

  await t.test('nsfw reads the blurred shards: scores for every kept image, the red one excluded with its score', async () => {
    for (const r of kept) assert.ok(typeof r.nsfw_score === 'number' && r.nsfw_score < 0.9, `${r.id}: ${r.nsfw_score}`);
    const excluded = await records(release, 'excluded/');
    const red = excluded.find((r) => r.id === 'red')!;
    assert.equal(red.reason, 'nsfw');
    assert.match(red.detail as string, /^nsfw_score (0\.9\d{3}|1\.0000) > 0\.9$/);
    const stats = JSON.parse(readFileSync(path.join(release, 'stats.json'), 'utf8'));
    const nsfw = Object.entries(stats.stages as Record<string, { excluded: Record<string, number>; counters: Record<string, number> }>).find(([k]) => k.includes('nsfw'))![1];
    assert.deepEqual(nsfw.excluded, { nsfw: 1 });
  });

  await t.test('a second run from scratch writes byte-identical blurred shards', async () => {
    const again = await runPool(pool, tempDir(), STAGES.replace('face/', path.join(pool.dir, 'face') + '/').replace('model: nsfw', `model: ${path.join(pool.dir, 'nsfw')}`));
    // Another folder, so another pipeline file: the shards depend on the inputs and the model, not on where the run is.
    assert.equal(again.status, 0, again.stderr);
    const shards = (rel: string) => readdirSync(path.join(rel, 'artifacts', '1-face_blur', 'shards')).sort();
    assert.deepEqual(shards(again.release), shards(release));
    for (const s of shards(release))
      assert.ok(readFileSync(path.join(release, 'artifacts', '1-face_blur', 'shards', s)).equals(readFileSync(path.join(again.release, 'artifacts', '1-face_blur', 'shards', s))), s);
  });
});

test('no model: validation fails with one line per stage naming the hub id and the download command; when_missing: skip runs through', async (t) => {
  if (skipWithoutShared(t)) return;
  const pool = await makePool();
  t.after(() => pool.host.close());
  process.env.HF_HUB_CACHE = path.join(pool.dir, 'empty-hub-cache');
  process.env.HF_ENDPOINT = `http://127.0.0.1:${await closedPort()}`;
  const hubStages = `  - face_blur: { model: onnxmodelzoo/version-RFB-320 }
  - nsfw: { model: AdamCodd/vit-base-nsfw-detector, max_score: 0.9 }`;

  await t.test('validate and run fail before any download, one line each', async () => {
    const file = writePipeline(pool.dir, pool.rows, hubStages);
    const validate = thresher(['validate', file]);
    assert.notEqual(validate.status, 0);
    const lines = validate.stderr.trim().split('\n');
    assert.equal(lines.length, 2, validate.stderr);
    assert.match(
      lines[0],
      /pipeline\.yaml:\d+:\d+: stages\[1\]\.face_blur: face detector \(UltraFace ONNX\): model onnxmodelzoo\/version-RFB-320 is not in the hub cache \(.*empty-hub-cache\) and the hub cannot give it \(.*ECONNREFUSED\); get it where the hub is reachable with `huggingface-cli download onnxmodelzoo\/version-RFB-320 version-RFB-320\.onnx`.*when_missing: skip/,
    );
    assert.match(
      lines[1],
      /stages\[2\]\.nsfw: NSFW classifier: model AdamCodd\/vit-base-nsfw-detector .*`huggingface-cli download AdamCodd\/vit-base-nsfw-detector onnx\/model\.onnx config\.json preprocessor_config\.json`/,
    );
    const { status, stderr } = await runPool(pool, pool.dir, hubStages);
    assert.notEqual(status, 0);
    assert.match(stderr, /stages\[1\]\.face_blur: face detector/);
    assert.equal(readdirSync(pool.dir).includes('out') && readdirSync(path.join(pool.dir, 'out')).includes('v1'), false, 'no release');
  });

  await t.test('when_missing: skip: records pass through, images unblurred, stats and card say why', async () => {
    const dir = tempDir();
    const skipStages = hubStages.replace(/ }$/gm, ', when_missing: skip }');
    const { release, status, stderr } = await runPool(pool, dir, skipStages);
    assert.equal(status, 0, stderr);
    assert.match(stderr, /face_blur: face detector .* when_missing: skip, so the stage will pass records through unchanged/);
    const kept = await records(release, 'data/');
    assert.equal(kept.length, pool.rows.length, 'nothing excluded, the red image included');
    for (const r of kept) {
      assert.deepEqual([r.faces, r.face_boxes, r.nsfw_score], [null, null, null], r.id);
      assert.ok(imageOf(release, '1-face_blur', r).equals(pool.images.get(`${r.id}.jpg`)!), `${r.id}: copied as it came`);
    }
    const stats = JSON.parse(readFileSync(path.join(release, 'stats.json'), 'utf8'));
    const counters = (stage: string) => Object.entries(stats.stages as Record<string, { counters: Record<string, number> }>).find(([k]) => k.includes(stage))![1].counters;
    assert.equal(counters('face_blur').skipped_no_model, pool.rows.length);
    assert.equal(counters('nsfw').skipped_no_model, pool.rows.length);
    const card = readFileSync(path.join(release, 'README.md'), 'utf8');
    assert.match(
      card,
      /Face blurring was SKIPPED \(when_missing: skip\), so these images are NOT blurred: face detector \(UltraFace ONNX\): model onnxmodelzoo\/version-RFB-320 is not in the hub cache/,
    );
    assert.match(card, /NSFW scoring was skipped: no model/);
  });
});
