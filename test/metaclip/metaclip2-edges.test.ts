import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { test } from 'node:test';
import { MetaclipMatcher } from '../../src/metaclip/automaton.js';
import { entryProbabilities, keepText } from '../../src/metaclip/balance.js';
import { isPythonSpace, pythonStrip } from '../../src/metaclip/spacing.js';
import { perLanguageThresholds, thresholdForTailShare } from '../../src/metaclip/threshold.js';

const PYTHON = '/usr/bin/python3';

test('pythonStrip removes exactly what Python’s str.strip() removes (every BMP code unit, asked of Python itself)', { skip: existsSync(PYTHON) ? false : `${PYTHON} not found` }, () => {
  const r = spawnSync(PYTHON, ['-c', 'print(",".join(str(c) for c in range(0x10000) if chr(c).isspace()))'], { encoding: 'utf8' });
  const python = new Set(r.stdout.trim().split(',').map(Number));
  assert.ok(python.has(0x3000) && python.has(0x1c) && !python.has(0xfeff), 'Python’s set, not JavaScript’s');
  for (let u = 0; u < 0x10000; u++) assert.equal(isPythonSpace(u), python.has(u), `U+${u.toString(16).padStart(4, '0')}`);
  assert.equal(pythonStrip('\u00a0\u3000a cat\u2009\x1c'), 'a cat');
  assert.equal(pythonStrip('\ufeffcat'), '\ufeffcat', 'U+FEFF is not Python whitespace (JavaScript’s trim() removes it)');
  const same = 'no edges';
  assert.equal(pythonStrip(same), same);
});

test('MetaCLIP 2 matching strips NBSP / U+3000 edges as the reference does; MetaCLIP 1 does not strip', () => {
  const entries = ['cat', 'C++', '猫'];
  const v2 = MetaclipMatcher.build(entries, { padding: 'metaclip2' });
  const v1 = MetaclipMatcher.build(entries, { padding: 'metaclip1' });
  assert.deepEqual([...v2.match('\u00a0cat\u3000')], [0]);
  assert.deepEqual([...v2.match('\u3000cat')], [0]);
  assert.deepEqual([...v1.match('\u00a0cat\u3000')], [], 'MetaCLIP 1: " cat " is not in " \\u00a0cat\\u3000 "');
  assert.deepEqual([...v1.match(' cat ')], [0]);
  // hybrid padding: an entry ending in punctuation is not padded on that side, so C++ matches in C++11
  assert.deepEqual([...v2.match('I write C++11 code')], [1]);
  assert.deepEqual([...v1.match('I write C++11 code')], []);
  assert.deepEqual([...v2.match('我的猫很可爱')], [2]);
});

test('a language whose p_to_t is 0 keeps nothing, as the reference; min t 1 keeps its tail', () => {
  // anchor: tail share of t = 2 is 3/103; for [0, 0, 0, 5, 50] the cumulative share closest to it is 0, at a count of 0
  const en = Uint32Array.from([1, 1, 1, 100]);
  const xx = Uint32Array.from([0, 0, 0, 5, 50]);
  assert.equal(thresholdForTailShare(xx, 3 / 103), 0);
  const counts = new Map<string, Uint32Array>([
    ['en', en],
    ['xx', xx],
  ]);
  const reference = perLanguageThresholds(counts, { language: 'en', t: 2 });
  assert.equal(reference.get('en')!.t, 2);
  assert.equal(reference.get('xx')!.t, 0);
  const probs = entryProbabilities(xx, 0);
  assert.deepEqual([...probs], [0, 0, 0, 0, 0]);
  for (let i = 0; i < 200; i++) assert.equal(keepText([3, 4], probs, 0, `r${i}`), false);
  assert.equal(perLanguageThresholds(counts, { language: 'en', t: 2 }, 1).get('xx')!.t, 1);
  assert.throws(() => entryProbabilities(xx, -1), /must be >= 0/);
});
