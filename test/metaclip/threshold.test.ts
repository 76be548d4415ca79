import assert from 'node:assert/strict';
import { test } from 'node:test';
import { entryProbabilities, keepProbability, addCounts } from '../../src/metaclip/balance.js';
import { MetaclipMatcher } from '../../src/metaclip/automaton.js';
import { loadMetadataSync } from '../../src/metaclip/metadata.js';
import {
  TextLevelSizeEstimator,
  expectedEntryLevelSize,
  expectedTextLevelSize,
  perLanguageThresholds,
  tailShare,
  thresholdForEntryLevelSize,
  thresholdForTailShare,
  thresholdForTextLevelSize,
} from '../../src/metaclip/threshold.js';
import path from 'node:path';
import { metaclipData, referenceRows, rng } from './helpers.js';
import { needsShared } from '../helpers/shared.js';

// numpy's p_to_t, transcribed with plain arrays
function pToTReference(counts: number[], p: number): number {
  const sorted = [...counts].sort((a, b) => a - b);
  const total = sorted.reduce((s, c) => s + c, 0);
  let cum = 0;
  const portion = sorted.map((c) => (cum += c) / total);
  let best = 0;
  for (let i = 1; i < portion.length; i++) if (Math.abs(portion[i] - p) < Math.abs(portion[best] - p)) best = i;
  return sorted[best];
}

function zipfCounts(n: number, seed: number): number[] {
  const random = rng(seed);
  return Array.from({ length: n }, (_, i) => Math.floor((1e6 / (i + 1) ** 1.1) * (0.5 + random())));
}

test('tail share (t_to_p) counts entries strictly below t', () => {
  assert.equal(tailShare([1, 2, 3, 4], 3), 3 / 10);
  assert.equal(tailShare([1, 2, 3, 4], 100), 1);
  assert.equal(tailShare([0, 0], 5), 0);
});

test('t of a tail share (p_to_t) equals the numpy reference', () => {
  for (let seed = 1; seed <= 20; seed++) {
    const counts = zipfCounts(3000, seed);
    for (const p of [0, 0.01, 0.06, 0.1, 0.5, 0.99, 1]) assert.equal(thresholdForTailShare(counts, p), pToTReference(counts, p));
  }
  assert.equal(thresholdForTailShare([5, 1, 3], 0.1), 1);
});

test('per-language t gives every language the anchor tail share', () => {
  const counts = new Map<string, number[]>([
    ['en', zipfCounts(20_000, 1)],
    ['de', zipfCounts(5_000, 2).map((c) => Math.floor(c / 10))],
    ['th', zipfCounts(800, 3).map((c) => Math.floor(c / 100))],
  ]);
  const result = perLanguageThresholds(counts, { language: 'en', t: 20_000 });
  const share = tailShare(counts.get('en') as number[], 20_000);
  assert.equal(result.get('en')?.t, 20_000);
  for (const lang of ['de', 'th']) {
    const r = result.get(lang)!;
    assert.equal(r.t, pToTReference(counts.get(lang)!, share));
    assert.ok(Math.abs(r.tailShare - share) < 0.02, `${lang}: ${r.tailShare} vs ${share}`);
  }
  assert.throws(() => perLanguageThresholds(counts, { language: 'fr', t: 1 }), /anchor/);
  // a language whose p_to_t lands on a zero count gets t = 0 as in the reference (keeps nothing), or the minimum asked for
  const sparseCounts = new Map([
    ['en', [1, 2, 1000]],
    ['xx', [0, 0, 0, 5]],
  ]);
  assert.equal(perLanguageThresholds(sparseCounts, { language: 'en', t: 2 }).get('xx')?.t, 0);
  assert.equal(perLanguageThresholds(sparseCounts, { language: 'en', t: 2 }, 1).get('xx')?.t, 1);
});

test('t for an entry-level size: smallest integer t with sum min(count, t) >= target', () => {
  const counts = zipfCounts(2000, 5);
  const total = counts.reduce((s, c) => s + c, 0);
  for (const target of [1, 1000, 12345, total / 3, total - 1, total]) {
    const t = thresholdForEntryLevelSize(counts, target);
    assert.ok(expectedEntryLevelSize(counts, t) >= target);
    if (t > 1) assert.ok(expectedEntryLevelSize(counts, t - 1) < target, `target ${target} t ${t}`);
  }
  assert.equal(thresholdForEntryLevelSize(counts, total * 2), Math.max(...counts));
});

test('t for a text-level size: k-section search matches a scan, on real match lists', needsShared, async () => {
  const entries = loadMetadataSync(path.join(metaclipData, 'metadata-wn30.json.gz'));
  const rows = referenceRows();
  const counts = new Float64Array(entries.length);
  for (const r of rows) addCounts(counts, r.matches);
  const lists = rows.map((r) => r.matches);
  // the matcher's counts are the reference's counts
  const matcher = MetaclipMatcher.build(entries);
  const mine = new Float64Array(entries.length);
  for (const r of rows.slice(0, 5000)) addCounts(mine, matcher.matchView(r.text));
  const theirs = new Float64Array(entries.length);
  for (const r of rows.slice(0, 5000)) addCounts(theirs, r.matches);
  assert.deepEqual(mine, theirs);

  const evaluate = (ts: number[]): Float64Array => {
    const est = new TextLevelSizeEstimator(counts, ts);
    for (const m of lists) est.add(m);
    return est.expected;
  };
  const matched = lists.filter((m) => m.length > 0).length;
  for (const target of [1000, 10_000, 20_000, matched - 5]) {
    const sol = await thresholdForTextLevelSize(counts, target, evaluate, { perPass: 7 });
    assert.ok(sol.reachable);
    assert.ok(sol.expected >= target);
    assert.ok(Math.abs(sol.expected - expectedTextLevelSize(lists, counts, sol.t)) < 1e-6);
    if (sol.t > 1) assert.ok(expectedTextLevelSize(lists, counts, sol.t - 1) < target, `target ${target} t ${sol.t}`);
  }
  const unreachable = await thresholdForTextLevelSize(counts, matched + 1, evaluate);
  assert.equal(unreachable.reachable, false);
  assert.ok(Math.abs(unreachable.expected - matched) < 1e-6);

  // the entry-level size over-counts the text-level one
  const t = 200;
  const textLevel = expectedTextLevelSize(lists, counts, t);
  assert.ok(expectedEntryLevelSize(counts, t) > textLevel);
  const probs = entryProbabilities(counts, t);
  assert.ok(Math.abs(textLevel - lists.reduce((s, m) => s + keepProbability(m, probs), 0)) < 1e-6);
});
