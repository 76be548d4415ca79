import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CHOICE_STREAM, drawKey, fnv1a64, uniform, uniformForEntry } from '../../src/metaclip/draw.js';
import { rng } from './helpers.js';

// The documented definition, in BigInt.
const M64 = (1n << 64n) - 1n;
function mixRef(x: bigint): bigint {
  x ^= x >> 30n;
  x = (x * 0xbf58476d1ce4e5b9n) & M64;
  x ^= x >> 27n;
  x = (x * 0x94d049bb133111ebn) & M64;
  return x ^ (x >> 31n);
}
function fnvRef(s: string): bigint {
  let h = 0xcbf29ce484222325n;
  for (const b of new TextEncoder().encode(s)) h = ((h ^ BigInt(b)) * 0x100000001b3n) & M64;
  return h;
}
function uniformRef(seed: number, id: string, stream: number): number {
  const key = mixRef(fnvRef(id) ^ mixRef(BigInt(seed)));
  const x = mixRef((key + BigInt(stream + 1) * 0x9e3779b97f4a7c15n) & M64);
  return Number(x >> 11n) / 2 ** 53;
}

test('FNV-1a 64 known values', () => {
  assert.equal(fnv1a64(''), 0xcbf29ce484222325n);
  assert.equal(fnv1a64('a'), 0xaf63dc4c8601ec8cn);
  assert.equal(fnv1a64('foobar'), 0x85944171f73967e8n);
  assert.equal(fnv1a64('é😀'), fnvRef('é😀'));
  assert.equal(fnv1a64('\ud800x'), fnvRef('\ufffdx')); // lone surrogate as U+FFFD, like TextEncoder
});

test('draws equal the documented 64-bit definition', () => {
  const random = rng(1);
  const ids = ['', '0', 'record-17', 'é', '東京', '😀', 'x'.repeat(300)];
  for (let k = 0; k < 300; k++) {
    const seed = k < 5 ? [0, 1, 2 ** 32 - 1, 2 ** 32, 2 ** 53 - 1][k] : Math.floor(random() * 2 ** 40);
    const id = k < ids.length ? ids[k] : String(Math.floor(random() * 1e12));
    const key = drawKey(seed, id);
    for (const stream of [0, 1, 86_670, 2 ** 31, 2 ** 32 - 2, CHOICE_STREAM, 2 ** 40]) {
      const want = uniformRef(seed, id, stream);
      assert.equal(uniform(key, stream), want, `${seed} ${id} ${stream}`);
      if (stream < 2 ** 32 - 1) assert.equal(uniformForEntry(key, stream), want);
    }
  }
  assert.throws(() => drawKey(-1, 'x'), /seed/);
  assert.throws(() => drawKey(1.5, 'x'), /seed/);
});

test('draws look uniform and independent across records and streams', () => {
  const buckets = new Float64Array(20);
  const n = 100_000;
  let sum = 0;
  let pairs = 0;
  for (let i = 0; i < n; i++) {
    const key = drawKey(7, `id-${i}`);
    const u = uniformForEntry(key, 3);
    const v = uniformForEntry(key, 4);
    assert.ok(u >= 0 && u < 1);
    buckets[Math.floor(u * 20)]++;
    sum += u;
    pairs += (u - 0.5) * (v - 0.5);
  }
  assert.ok(Math.abs(sum / n - 0.5) < 0.005);
  assert.ok(Math.abs(pairs / n) < 0.002); // covariance of two streams of one record ~ 0
  let chi2 = 0;
  for (const b of buckets) chi2 += (b - n / 20) ** 2 / (n / 20);
  assert.ok(chi2 < 45, `chi2 ${chi2}`); // 19 degrees of freedom: p ~ 0.001 at 43.8
  // a different seed gives different draws
  assert.notEqual(uniform(drawKey(1, 'a'), 0), uniform(drawKey(2, 'a'), 0));
});
