import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import tar from 'tar-stream';
import { downloadBatch, type DownloadSettings, type Prepared } from '../../src/images/batch.js';
import { decodeImage } from '../../src/images/decode.js';
import { DEFAULT_USER_AGENT } from '../../src/images/fetch.js';
import { HostLimitedQueue } from '../../src/images/host-limit.js';
import { bandKeys, bandRanges, Components } from '../../src/images/near.js';
import { optOutDirective } from '../../src/images/optout.js';
import { hammingHex, phashOfThumbnail, PHASH_SIDE } from '../../src/images/phash.js';
import { brokenRule, DATACOMP_BASIC } from '../../src/images/rules.js';
import { ustarHeader } from '../../src/images/tar.js';
import { tempDir } from '../helpers/fixtures.js';
import { skipWithoutShared } from '../helpers/shared.js';
import { sharedImages, startImageHost } from './server.js';

test('opt-outs: img2dataset directives, for everyone or for thresher, never for another crawler', () => {
  assert.equal(optOutDirective(['noai']), 'noai');
  assert.equal(optOutDirective(['noarchive, NoImageIndex']), 'noimageindex');
  assert.equal(optOutDirective(['thresher: noindex']), 'thresher: noindex');
  assert.equal(optOutDirective(['otherbot: noai']), undefined);
  assert.equal(optOutDirective(['otherbot: noai', 'nofollow']), undefined);
  assert.equal(optOutDirective(['otherbot: nofollow, thresher: noai']), 'thresher: noai');
  assert.equal(optOutDirective(['nofollow, noarchive']), undefined);
  assert.equal(optOutDirective(['noai'], []), undefined, 'an empty list honours nothing');
});

test('ustar headers: tar-stream reads our archive member for member', async () => {
  const body = Buffer.from('hello shard');
  const header = ustarHeader('000000000000000.txt', body.length);
  const pad = Buffer.alloc((512 - (body.length % 512)) % 512);
  const archive = Buffer.concat([header, body, pad, Buffer.alloc(1024)]);
  const extract = tar.extract();
  const seen: [string, number, string][] = [];
  extract.on('entry', (h, stream, next) => {
    const chunks: Buffer[] = [];
    stream.on('data', (c) => chunks.push(c as Buffer));
    stream.on('end', () => {
      seen.push([h.name, h.size ?? -1, Buffer.concat(chunks).toString()]);
      next();
    });
  });
  const done = new Promise<void>((resolve) => extract.on('finish', () => resolve()));
  extract.end(archive);
  await done;
  assert.deepEqual(seen, [['000000000000000.txt', body.length, 'hello shard']]);
});

test('host queue: never more than the total, nor more than per_host against one host', async () => {
  const q = new HostLimitedQueue<number>(4, 2);
  const active = new Map<string, number>();
  let total = 0;
  let maxTotal = 0;
  let maxHost = 0;
  const hosts = ['a', 'a', 'a', 'a', 'a', 'b', 'b', 'c', 'a', 'c', 'b', 'a'];
  const order: number[] = [];
  await Promise.all(
    hosts.map((h, i) =>
      q.push(h, async () => {
        order.push(i);
        total++;
        active.set(h, (active.get(h) ?? 0) + 1);
        maxTotal = Math.max(maxTotal, total);
        maxHost = Math.max(maxHost, active.get(h)!);
        await new Promise((r) => setTimeout(r, 5));
        total--;
        active.set(h, active.get(h)! - 1);
        return i;
      }),
    ),
  );
  assert.equal(maxTotal, 4);
  assert.equal(maxHost, 2);
  assert.deepEqual(order.slice(0, 4), [0, 1, 5, 6], 'a busy host does not hold up the next hosts');
});

async function phashOf(bytes: Buffer): Promise<string> {
  return phashOfThumbnail(await sharp(bytes).rotate().removeAlpha().greyscale().resize(PHASH_SIDE, PHASH_SIDE, { fit: 'fill' }).raw().toBuffer());
}

test('pHash: a resized, re-encoded copy is within a few bits; different photos are far apart', async (t) => {
  if (skipWithoutShared(t)) return;
  const images = [...sharedImages().values()];
  const hashes = await Promise.all(images.map(phashOf));
  for (let i = 0; i < images.length; i++) {
    const copy = await sharp(images[i]).resize({ width: 160 }).jpeg({ quality: 60 }).toBuffer();
    assert.ok(hammingHex(hashes[i], await phashOf(copy)) <= 4, `copy of image ${i}`);
  }
  let close = 0;
  for (let i = 0; i < hashes.length; i++) for (let j = i + 1; j < hashes.length; j++) if (hammingHex(hashes[i], hashes[j]) <= 4) close++;
  assert.equal(close, 0, 'no two different photos within 4 bits');
});

test('near-dup bands: two hashes within the threshold share a band key (pigeonhole)', () => {
  const ranges = bandRanges(4);
  assert.equal(ranges.length, 5);
  const a = 'f0e1d2c3b4a59687';
  let bits = BigInt(`0x${a}`);
  for (const bit of [0, 13, 26, 39]) bits ^= 1n << BigInt(bit);
  const b = bits.toString(16).padStart(16, '0');
  assert.equal(hammingHex(a, b), 4);
  const shared = bandKeys(a, ranges).filter((k) => bandKeys(b, ranges).includes(k));
  assert.ok(shared.length >= 1);
  const c = new Components();
  c.union('x', 'y');
  c.union('z', 'y');
  assert.equal(c.find('z'), c.find('x'));
});

test("DataComp's basic rules", () => {
  const r = { ...DATACOMP_BASIC, formats: new Set(['jpeg', 'png']) };
  assert.equal(brokenRule(640, 480, 'jpeg', 'a dog on a beach', r), undefined);
  assert.equal(brokenRule(640, 199, 'jpeg', 'a dog on a beach', r)?.reason, 'image_too_small');
  assert.equal(brokenRule(900, 299, 'jpeg', 'a dog on a beach', r)?.reason, 'aspect_ratio');
  assert.equal(brokenRule(900, 300, 'jpeg', 'a dog on a beach', r), undefined, 'ratio 3 passes');
  assert.equal(brokenRule(640, 480, 'gif', 'a dog on a beach', r)?.reason, 'image_format');
  assert.equal(brokenRule(640, 480, 'jpeg', 'dog  beach', r)?.reason, 'caption_too_short');
  assert.equal(brokenRule(640, 480, 'jpeg', 'a b c', r)?.reason, 'caption_too_short', 'three words but five characters');
});

test('a finished batch is reused on a rerun: same shard bytes, no request', async (t) => {
  if (skipWithoutShared(t)) return;
  const host = await startImageHost();
  t.after(() => host.close());
  const names = [...host.images.keys()].slice(0, 6);
  const inputs = names.map((n, i) => ({ id: `r${i}`, url: `${host.base}/img/${encodeURIComponent(n)}`, caption: n, expectedHash: null }));
  inputs.push({ id: 'gone', url: `${host.base}/status/404`, caption: 'x', expectedHash: null });
  const keys = inputs.map((_, i) => String(i).padStart(9, '0'));
  const settings: DownloadSettings = {
    fetch: { timeoutMs: 5000, retries: 0, backoffMs: 0, maxRedirects: 3, maxBytes: 1 << 24, userAgent: DEFAULT_USER_AGENT, disallowed: ['noai'] },
    decode: { resize: 'keep_ratio', size: 64, onlyShrink: true, quality: 90, minSide: 0, maxPixels: 1e8, phash: true },
    hashAlgorithm: 'sha256',
  };
  const dir = tempDir();
  const shard = path.join(dir, 'shards', 'b.tar');
  const index = path.join(dir, 'index', 'b.json');
  const q = new HostLimitedQueue<Prepared>(4, 4);
  const first = await downloadBatch(inputs, keys, shard, index, settings, q);
  assert.equal(first.reused, false);
  assert.deepEqual(
    first.rows.map((r) => r.ok),
    [true, true, true, true, true, true, false],
  );
  const bytes = readFileSync(shard);
  const requests = [...host.hits.values()].reduce((a, b) => a + b, 0);
  const again = await downloadBatch(inputs, keys, shard, index, settings, q);
  assert.equal(again.reused, true);
  assert.deepEqual(again.rows, first.rows);
  assert.equal(
    [...host.hits.values()].reduce((a, b) => a + b, 0),
    requests,
    'no request on reuse',
  );
  assert.ok(readFileSync(shard).equals(bytes));
  const changed = await downloadBatch(inputs, keys, shard, index, { ...settings, decode: { ...settings.decode, size: 48 } }, q);
  assert.equal(changed.reused, false, 'other settings: downloaded again');
});

test('decode: a JPEG cut in half fails as decode_error even when its bytes would be kept as they came', async (t) => {
  if (skipWithoutShared(t)) return;
  const jpeg = [...sharedImages().entries()].find(([n]) => n.endsWith('.jpg'))![1];
  const half = jpeg.subarray(0, jpeg.length >> 1);
  for (const resize of ['none', 'keep_ratio'] as const)
    for (const phash of [true, false]) {
      const d = await decodeImage(half, { resize, size: 64, onlyShrink: true, quality: 90, minSide: 0, maxPixels: 1e8, phash });
      assert.equal(d.ok ? 'ok' : d.reason, 'decode_error', `${resize}, phash ${phash}`);
    }
  const whole = await decodeImage(jpeg, { resize: 'none', size: 0, onlyShrink: true, quality: 90, minSide: 0, maxPixels: 1e8, phash: false });
  assert.ok(whole.ok && whole.jpeg.equals(jpeg), 'a whole JPEG is kept byte for byte');
  const bomb = await decodeImage(jpeg, { resize: 'none', size: 0, onlyShrink: true, quality: 90, minSide: 0, maxPixels: 1000, phash: false });
  assert.equal(bomb.ok ? 'ok' : bomb.reason, 'too_large');
});

test('host queue: every job of a large mixed batch runs once, each host in input order, limits held', async () => {
  const q = new HostLimitedQueue<number>(16, 3);
  const hosts = Array.from({ length: 2000 }, (_, i) => (i % 7 === 0 ? `h${i % 5}` : 'big'));
  const started: number[] = [];
  const busy = new Map<string, number>();
  let active = 0;
  let over = false;
  const results = await Promise.all(
    hosts.map((h, i) =>
      q.push(h, async () => {
        started.push(i);
        active++;
        busy.set(h, (busy.get(h) ?? 0) + 1);
        if (active > 16 || busy.get(h)! > 3) over = true;
        await new Promise((r) => setImmediate(r));
        active--;
        busy.set(h, busy.get(h)! - 1);
        return i;
      }),
    ),
  );
  assert.deepEqual(
    results,
    hosts.map((_, i) => i),
  );
  assert.equal(over, false);
  assert.equal(new Set(started).size, hosts.length);
  for (const host of new Set(hosts)) {
    const mine = started.filter((i) => hosts[i] === host);
    assert.deepEqual(
      mine,
      [...mine].sort((a, b) => a - b),
      `${host} in input order`,
    );
  }
});
