import assert from 'node:assert/strict';
import { test } from 'node:test';
import { curateImage, entryProbabilities, keepProbability, keepText, addCounts } from '../../src/metaclip/balance.js';
import { drawKey } from '../../src/metaclip/draw.js';
import { rng } from './helpers.js';

test('p[e] = t / max(count, t): tail entries get 1', () => {
  const p = entryProbabilities([0, 5, 10, 20, 1000], 10);
  assert.deepEqual(Array.from(p), [1, 1, 1, 0.5, 0.01]);
  assert.deepEqual(Array.from(entryProbabilities([0, 5], 0)), [0, 0], 't = 0 keeps nothing (MetaCLIP 2 p_to_t can give it)');
  assert.throws(() => entryProbabilities([1], -1), /t must be >= 0/);
  assert.equal(keepProbability([3, 4], p), 1 - 0.5 * 0.99);
  assert.equal(keepProbability([], p), 0);
  const counts = new Uint32Array(5);
  addCounts(counts, [1, 3]);
  addCounts(counts, [3]);
  assert.deepEqual(Array.from(counts), [0, 1, 0, 2, 0]);
});

test('unmatched texts are never kept, texts with a tail entry always are', () => {
  const probs = entryProbabilities([1, 1e9, 1e9], 100);
  for (let i = 0; i < 2000; i++) {
    assert.equal(keepText([], probs, 1, `r${i}`), false);
    assert.equal(keepText([1, 2, 0], probs, 1, `r${i}`), true);
    assert.equal(curateImage([{ matches: [], probs }], 1, `r${i}`).keep, false);
    assert.equal(
      curateImage(
        [
          { matches: [0], probs },
          { matches: [], probs },
        ],
        1,
        `r${i}`,
      ).keep,
      true,
    );
  }
});

// Texts with random matches over entries with Zipf-like counts.
function synthetic(n: number, entries: number, seed: number): { matches: number[][]; counts: Float64Array } {
  const random = rng(seed);
  const matches: number[][] = [];
  const counts = new Float64Array(entries);
  for (let i = 0; i < n; i++) {
    const k = Math.floor(random() * 4); // 0..3 matches
    const m = new Set<number>();
    for (let j = 0; j < k; j++) m.add(Math.floor(entries * random() ** 3)); // head entries are frequent
    const list = [...m].sort((a, b) => a - b);
    matches.push(list);
    for (const e of list) counts[e]++;
  }
  return { matches, counts };
}

test('MetaCLIP 1 keeps texts at the noisy-OR rate (expected count within 4 sigma)', () => {
  const { matches, counts } = synthetic(100_000, 2000, 3);
  for (const t of [5, 50, 500]) {
    const probs = entryProbabilities(counts, t);
    let expected = 0;
    let variance = 0;
    let kept = 0;
    matches.forEach((m, i) => {
      const p = keepProbability(m, probs);
      expected += p;
      variance += p * (1 - p);
      if (keepText(m, probs, 11, `text-${i}`)) kept++;
    });
    assert.ok(Math.abs(kept - expected) < 4 * Math.sqrt(variance) + 1, `t=${t}: kept ${kept}, expected ${expected.toFixed(1)}`);
  }
});

test('per-entry draws are independent: two head entries give 1 - (1-p1)(1-p2)', () => {
  const probs = [0.3, 0.5];
  let kept = 0;
  const n = 50_000;
  for (let i = 0; i < n; i++) if (keepText([0, 1], probs, 5, String(i))) kept++;
  const p = 1 - 0.7 * 0.5;
  assert.ok(Math.abs(kept / n - p) < 4 * Math.sqrt((p * (1 - p)) / n));
});

test('decisions depend only on (seed, record id, matches): order and sharding do not matter', () => {
  const { matches, counts } = synthetic(20_000, 500, 9);
  const probs = entryProbabilities(counts, 40);
  const whole = matches.map((m, i) => keepText(m, probs, 123, `rec-${i}`));
  // 7 "workers", each with an interleaved shard, processing in reverse order
  const sharded = new Array<boolean>(matches.length);
  for (let w = 0; w < 7; w++) {
    const mine = matches
      .map((_, i) => i)
      .filter((i) => i % 7 === w)
      .reverse();
    for (const i of mine) sharded[i] = keepText(matches[i], probs, 123, drawKey(123, `rec-${i}`));
  }
  assert.deepEqual(sharded, whole);
  // another seed gives another sample
  const other = matches.map((m, i) => keepText(m, probs, 124, `rec-${i}`));
  assert.notDeepEqual(other, whole);
});

test('MetaCLIP 2: one matched text drawn uniformly, image kept at its noisy-OR rate', () => {
  const probsA = [0.2, 1, 0.5];
  const probsB = [0.1];
  const texts = [
    { matches: [0], probs: probsA }, // p = 0.2
    { matches: [], probs: probsA },
    { matches: [0, 2], probs: probsA }, // p = 0.6
    { matches: [0], probs: probsB }, // other language, p = 0.1
  ];
  const n = 60_000;
  const chosen = [0, 0, 0, 0];
  let kept = 0;
  for (let i = 0; i < n; i++) {
    const d = curateImage(texts, 77, `img-${i}`);
    chosen[d.chosen]++;
    if (d.keep) kept++;
    assert.ok(Math.abs(d.probability - [0.2, -1, 1 - 0.8 * 0.5, 0.1][d.chosen]) < 1e-12);
  }
  assert.equal(chosen[1], 0);
  for (const c of [0, 2, 3]) assert.ok(Math.abs(chosen[c] / n - 1 / 3) < 0.01, `choice ${c}: ${chosen[c]}`);
  const p = (0.2 + 0.6 + 0.1) / 3;
  assert.ok(Math.abs(kept / n - p) < 4 * Math.sqrt((p * (1 - p)) / n), `kept ${kept / n} want ${p}`);
  assert.deepEqual(curateImage([], 1, 'x'), { keep: false, chosen: -1, probability: 0 });
  assert.deepEqual(curateImage(texts, 77, 'img-5'), curateImage(texts, 77, drawKey(77, 'img-5')));
});
