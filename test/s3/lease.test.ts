/**
 * Task leases on an object store (src/engine/object-lease.ts): one holder at a time, a dead
 * holder's lease taken over by the next generation, a holder that renews keeps it. The race of
 * two takers is tested against a store that enforces If-None-Match (a local folder: link(2)
 * fails on an existing name), since s3rver ignores it; the rest runs on both.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { tempDir } from '../helpers/fixtures.js';
import { LocalStore } from '../../src/io/storage/local.js';
import { S3Store } from '../../src/io/storage/s3.js';
import type { ObjectStore } from '../../src/io/storage/types.js';
import { liveLease, ObjectLease } from '../../src/engine/object-lease.js';
import { startS3, type TestS3 } from './server.js';

let s3: TestS3;

before(async () => {
  s3 = await startS3();
  await s3.createBucket('leases');
});

after(async () => {
  await s3?.stop();
});

const short = { ttlMs: 150, renewMs: 60_000 }; // never renewed within a test: expires after 150 ms

/** `ttlMs`: long enough for the requests in between (an SDK round trip to s3rver takes tens of ms on a busy machine). */
async function holdAndExpire(store: ObjectStore, dir: string, ttlMs: number): Promise<void> {
  const short = { ttlMs, renewMs: 60_000 };
  const a = await ObjectLease.acquire(store, dir, 'seg/0', 'attempt-a', short);
  await assert.rejects(ObjectLease.acquire(store, dir, 'seg/0', 'attempt-b', short), /^ThresherError: seg\/0: already running \(pid \d+ on .+, since .+\); lease .+0000000000\.json$/);
  assert.equal((await liveLease(store, dir))?.owner, 'attempt-a');
  await sleep(ttlMs + 50);
  assert.equal(await liveLease(store, dir), undefined, 'a lease not renewed is dead after its ttl');
  const b = await ObjectLease.acquire(store, dir, 'seg/0', 'attempt-b', short);
  assert.equal(b.key, `${dir}0000000001.json`, 'the next generation');
  assert.equal(await a.owns(), false, 'the old holder knows it lost the task');
  assert.equal(await b.owns(), true);
  await a.release();
  assert.equal((await liveLease(store, dir))?.owner, 'attempt-b', "the old holder's release leaves the new lease");
  await b.release();
  assert.deepEqual(await store.list(dir), []);
}

test('lease on a local folder: refused while live, taken over by the next generation once dead', async () => {
  await holdAndExpire(new LocalStore(tempDir()), 'steps/seg/leases/00000/', 150);
});

test('lease on an S3 API: the same', async () => {
  await holdAndExpire(new S3Store('leases'), 'work/steps/seg/leases/00000/', 2000);
});

test('two attempts taking over one dead lease at once: exactly one wins (If-None-Match enforced)', async () => {
  const store = new LocalStore(tempDir());
  const dir = 'steps/seg/leases/00003/';
  await ObjectLease.acquire(store, dir, 'seg/3', 'dead', short);
  await sleep(200);
  for (let round = 0; round < 5; round++) {
    const tries = await Promise.allSettled(['x', 'y', 'z'].map((who) => ObjectLease.acquire(store, dir, 'seg/3', `${who}-${round}`, short)));
    const won = tries.filter((t) => t.status === 'fulfilled');
    assert.equal(won.length, 1, `round ${round}: one winner`);
    for (const t of tries) if (t.status === 'rejected') assert.match(String(t.reason), /already running/);
    assert.equal(await won[0].value.owns(), true);
    await sleep(200); // let it die for the next round
  }
});

test('a holder that renews keeps its lease past the ttl', async () => {
  const store = new LocalStore(tempDir());
  const dir = 'steps/seg/leases/00001/';
  const a = await ObjectLease.acquire(store, dir, 'seg/1', 'a', { ttlMs: 300, renewMs: 50 });
  await sleep(700);
  await assert.rejects(ObjectLease.acquire(store, dir, 'seg/1', 'b', short), /already running/);
  assert.equal(await a.owns(), true);
  await a.release();
  assert.equal(await liveLease(store, dir), undefined);
});
