/**
 * The storage layer against a real S3 API (s3rver in this process) and a local folder, and the
 * "first writer wins" version claim against a store that enforces If-None-Match (a local
 * folder: link(2) fails on an existing name), since s3rver does not.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { tempDir } from '../helpers/fixtures.js';
import { LocalStore } from '../../src/io/storage/local.js';
import { S3Store } from '../../src/io/storage/s3.js';
import { AlreadyExists, readAll, type ObjectStore } from '../../src/io/storage/types.js';
import { StoreReleases } from '../../src/release/s3-versions.js';
import { startS3, type TestS3 } from './server.js';

let s3: TestS3;

before(async () => {
  s3 = await startS3();
  await s3.createBucket('store-test');
});

after(async () => {
  await s3?.stop();
});

async function exercise(store: ObjectStore): Promise<void> {
  await store.put('a/b/one.txt', 'hello world');
  const big = Buffer.alloc(20 * 1024 * 1024 + 17, 7); // above the single-PUT size: a multipart upload on S3
  big.write('tail', big.length - 4);
  const file = path.join(tempDir(), 'big.bin');
  writeFileSync(file, big);
  await store.upload(file, 'a/big.bin', { metadata: { sha256: 'x' } });
  await store.put('a/c.txt', 'c');
  assert.deepEqual(
    (await store.list('a/')).map((o) => `${o.key} ${o.bytes}`),
    ['a/b/one.txt 11', `a/big.bin ${big.length}`, 'a/c.txt 1'],
  );
  assert.deepEqual(
    (await store.list('a/b')).map((o) => o.key),
    ['a/b/one.txt', 'a/big.bin'],
    'a prefix of keys, not a folder',
  );
  assert.equal((await readAll(store, 'a/b/one.txt', { start: 6 })).toString(), 'world');
  assert.equal((await readAll(store, 'a/b/one.txt', { start: 0, end: 5 })).toString(), 'hello');
  assert.equal((await readAll(store, 'a/big.bin', { start: big.length - 4 })).toString(), 'tail');
  assert.ok((await readAll(store, 'a/big.bin')).equals(big));
  assert.equal((await store.stat('a/c.txt'))?.bytes, 1);
  assert.equal(await store.stat('a/none'), undefined);
  await store.remove('a/c.txt');
  assert.equal(await store.stat('a/c.txt'), undefined);
}

test('S3Store: put, multipart upload, list by prefix, ranged reads, stat, delete on an S3 API', async () => {
  const store = new S3Store('store-test');
  await exercise(store);
  assert.equal((await store.stat('a/big.bin'))?.metadata?.sha256, 'x', 'user metadata round-trips');
});

test('LocalStore: the same operations on a folder', async () => {
  await exercise(new LocalStore(tempDir()));
});

test('a missing bucket or key is one line naming the s3:// URL', async () => {
  const missing = new S3Store('no-such-bucket-here');
  await assert.rejects(missing.list('x/'), (err: Error) => err.message === 's3://no-such-bucket-here/: no such bucket');
  await assert.rejects(readAll(new S3Store('store-test'), 'nothing/here'), (err: Error) => err.message === 's3://store-test/nothing/here: no such key');
});

test('a conditional write fails on an existing key where the store enforces it (first writer wins)', async () => {
  const store = new LocalStore(tempDir());
  await store.put('k', 'first', { ifNoneMatch: true });
  await assert.rejects(store.put('k', 'second', { ifNoneMatch: true }), AlreadyExists);
  assert.equal((await readAll(store, 'k')).toString(), 'first');
});

test('version claims: two runs never get the same version; a run gets its own claim back; published versions are skipped', async () => {
  const store = new LocalStore(tempDir());
  const releases = new StoreReleases(store, 'curated/');
  const [a, b] = await Promise.all([releases.claim('run-a', 1), releases.claim('run-b', 1)]);
  assert.deepEqual([a, b].sort(), [1, 2], 'concurrent claims of v1: one wins it, the other takes v2');
  assert.equal(await releases.claim('run-a', 1), a, 'a rerun of run-a finds its claim');
  assert.equal(await releases.claim('run-b', 1), b);
  await store.put(`curated/v${a}/manifest.json`, JSON.stringify({ run_id: 'run-a' }));
  await store.put('curated/v3/data/part.parquet', 'unfinished'); // no manifest: not a release
  assert.deepEqual(await releases.versions(), [a]);
  assert.equal(await releases.claim('run-c', 1), 3, 'v1 and v2 are claimed: the next free one');
});
