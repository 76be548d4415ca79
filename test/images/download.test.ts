import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import tar from 'tar-stream';
import { readShards } from '../../src/engine/shard-reader.js';
import { tempDir } from '../helpers/fixtures.js';
import { readManifest } from '../helpers/pools.js';
import { skipWithoutShared } from '../helpers/shared.js';
import { releasedShards, runCli, writeUrlPipeline, type PoolRow } from './run.js';
import { sharedImages, startImageHost } from './server.js';

/** Members of a tar (name → bytes), read with tar-stream: an independent reader of our ustar. */
async function untar(bytes: Buffer): Promise<Map<string, Buffer>> {
  const members = new Map<string, Buffer>();
  const extract = tar.extract();
  extract.on('entry', (header, stream, next) => {
    const chunks: Buffer[] = [];
    stream.on('data', (c) => chunks.push(c as Buffer));
    stream.on('end', () => {
      members.set(header.name, Buffer.concat(chunks));
      next();
    });
  });
  const done = new Promise<void>((resolve, reject) => {
    extract.on('finish', resolve);
    extract.on('error', reject);
  });
  extract.end(bytes);
  await done;
  return members;
}

test('download: real images into WebDataset shards, every injected failure excluded under its reason', async (t) => {
  if (skipWithoutShared(t)) return;
  const images = sharedImages();
  images.set(
    'tiny.png',
    await sharp({ create: { width: 40, height: 30, channels: 3, background: '#808080' } })
      .png()
      .toBuffer(),
  );
  const host = await startImageHost({ slowMs: 2500, images });
  t.after(() => host.close());
  const names = [...host.images.keys()].filter((n) => n !== 'tiny.png');
  const jpg = names.find((n) => n.endsWith('.jpg'))!;
  const sha = (n: string) => createHash('sha256').update(host.images.get(n)!).digest('hex');
  const good: PoolRow[] = names.map((n, i) => ({ id: `ok${i}`, url: `${host.base}/img/${encodeURIComponent(n)}`, caption: `a photo named ${n}`, sha256: sha(n) }));
  const u = (p: string) => `${host.base}${p}`;
  const bad: [PoolRow, string][] = [
    [{ id: 'b404', url: u('/status/404'), caption: 'gone' }, 'http_404'],
    [{ id: 'b500', url: u('/status/500'), caption: 'broken server' }, 'http_500'],
    [{ id: 'bslow', url: u(`/slow/${jpg}`), caption: 'too slow' }, 'timeout'],
    [{ id: 'btrunc', url: u(`/truncated/${jpg}`), caption: 'cut connection' }, 'truncated'],
    [{ id: 'bcut', url: u(`/cut/${jpg}`), caption: 'half a jpeg' }, 'decode_error'],
    [{ id: 'bhtml', url: u('/html'), caption: 'soft 404 page' }, 'not_an_image'],
    [{ id: 'btext', url: u('/text-as-image'), caption: 'text labelled image/jpeg' }, 'not_an_image'],
    [{ id: 'bloop', url: u('/loop/a'), caption: 'redirect loop' }, 'redirect_loop'],
    [{ id: 'bhops', url: u(`/redirect/9/${jpg}`), caption: 'too many hops' }, 'too_many_redirects'],
    [{ id: 'bnoai', url: u(`/robots/noai/${jpg}`), caption: 'opted out' }, 'opted_out'],
    [{ id: 'bnoindex', url: u(`/robots/${encodeURIComponent('thresher: noimageindex')}/${jpg}`), caption: 'opted out for us' }, 'opted_out'],
    [{ id: 'bbig', url: u('/img/coffee.png'), caption: 'an oversized image' }, 'too_large'],
    [{ id: 'btiny', url: u('/img/tiny.png'), caption: 'a 40×30 icon' }, 'too_small'],
    [{ id: 'bhash', url: u(`/img/${jpg}`), caption: 'hash differs', sha256: '0'.repeat(64) }, 'hash_mismatch'],
  ];
  const alsoGood: PoolRow[] = [
    { id: 'gredir', url: u(`/redirect/2/${jpg}`), caption: 'two redirects then the image' },
    { id: 'gtype', url: u(`/as/${encodeURIComponent('application/octet-stream')}/${jpg}`), caption: 'wrong content type, real jpeg' },
    { id: 'gother', url: u(`/robots/${encodeURIComponent('otherbot: noai')}/${jpg}`), caption: 'opt-out for another crawler' },
    { id: 'gflaky', url: u(`/flaky/${jpg}`), caption: 'a 500 first, then the image' },
  ];
  // coffee.png is the one file over 400 kB: the size limit catches it and nothing else.
  const rows = [...good.filter((r) => !r.url.endsWith('coffee.png')), ...bad.map(([r]) => r), ...alsoGood];
  const dir = tempDir();
  const pipeline = writeUrlPipeline(
    dir,
    rows,
    `  - download: { timeout_s: 1, retries: 1, backoff_s: 0.05, max_redirects: 5, max_bytes: 400000, min_side: 32, hash_column: sha256, resize: center_crop, size: 128, concurrency: 8, per_host: 4 }`,
  );
  const run = await runCli(['run', pipeline, '--workers', '2']);
  assert.equal(run.status, 0, run.stderr);
  const release = path.join(dir, 'out', 'v1');
  const stats = JSON.parse(readFileSync(path.join(release, 'stats.json'), 'utf8'));
  const stage = Object.entries(stats.stages as Record<string, { excluded: Record<string, number>; records_out: number; counters: Record<string, number> }>).find(([k]) => k.includes('download'))![1];
  const expected: Record<string, number> = {};
  for (const [, reason] of bad) expected[reason] = (expected[reason] ?? 0) + 1;
  assert.deepEqual(stage.excluded, expected);
  const kept = rows.length - bad.length;
  assert.equal(stage.records_out, kept);
  assert.equal(stage.counters.content_type_not_image, 1);
  assert.ok(stage.counters.redirected >= 1);
  assert.ok(host.hits.get(`/flaky/${jpg}`)! >= 2, 'the flaky URL was retried');

  const records = [];
  for await (const r of readShards(
    readManifest(release)
      .files.filter((f) => f.path.startsWith('data/'))
      .map((f) => path.join(release, f.path)),
  ))
    records.push(r);
  assert.equal(records.length, kept);
  const shards = releasedShards(release);
  let samples = 0;
  for (const [name, bytes] of shards) {
    const members = await untar(bytes);
    for (const r of records.filter((x) => x.shard === name)) {
      samples++;
      const image = members.get(`${r.key}.jpg`)!;
      assert.ok(image, `${r.key}.jpg in ${name}`);
      assert.equal(members.get(`${r.key}.txt`)!.toString('utf8'), r.caption);
      const meta = JSON.parse(members.get(`${r.key}.json`)!.toString('utf8'));
      assert.equal(meta.id, r.id);
      assert.equal(meta.sha256, r.sha256);
      assert.equal(r.width, 128);
      assert.equal(r.height, 128);
      assert.equal(image[0], 0xff, 'a JPEG');
      if (typeof r.url === 'string' && r.url.includes('/img/')) assert.equal(r.sha256, sha(decodeURIComponent(r.url.split('/').pop()!)), 'sha256 of the original bytes');
    }
  }
  assert.equal(samples, kept);
  const manifest = readManifest(release);
  assert.ok(
    manifest.files.some((f) => f.path.includes('/shards/') && f.path.endsWith('.tar')),
    'shards released with checksums',
  );
});
