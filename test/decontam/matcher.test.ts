import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { SubstringSearch } from '../../src/decontam/search.js';
import { ContaminationMatcher } from '../../src/decontam/matcher.js';
import { normalize, type WhitespaceRule } from '../../src/decontam/normalize.js';
import { itemsFromRows, parseJsonRows } from '../../src/decontam/benchmarks.js';
import { REPO_ROOT } from '../helpers/cli.js';
import { disguise, typescriptFunctions } from './helpers.js';

test('normalize: lower-case, whitespace removed or collapsed and trimmed', () => {
  const text = '  Def  F(x):\n\treturn\u00a0X + 1 \r\n';
  assert.equal(normalize(text, 'remove'), 'deff(x):returnx+1');
  assert.equal(normalize(text, 'collapse'), 'def f(x): return x + 1');
  assert.equal(normalize('ÉCOLE Σ', 'remove'), 'écoleσ');
  assert.equal(normalize('İ', 'remove'), 'İ', 'a code unit whose lower case is two units stays as it is');
  assert.equal(normalize(' \n\t', 'collapse'), '');
  assert.equal(normalize('A😀 B\ud800C', 'remove'), 'a😀b\ud800c', 'surrogate pairs and lone surrogates pass through');
});

/** Deterministic pseudo-random numbers (mulberry32). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** What the search must answer: the pattern whose first occurrence starts first; on a tie, the smallest id. */
function reference(patterns: string[], text: string, rule: WhitespaceRule): number {
  const t = normalize(text, rule);
  let best = -1;
  let bestAt = Infinity;
  patterns.forEach((p, i) => {
    const at = t.indexOf(p);
    if (at >= 0 && at < bestAt) [best, bestAt] = [i, at];
  });
  return best;
}

test('the search agrees with indexOf on random texts over a tiny alphabet (failure links, nested and overlapping patterns)', () => {
  const rand = rng(7);
  const word = (n: number, letters: string) => Array.from({ length: n }, () => letters[Math.floor(rand() * letters.length)]).join('');
  for (const rule of ['remove', 'collapse'] as const) {
    let found = 0;
    for (let round = 0; round < 300; round++) {
      const raw = Array.from({ length: 1 + Math.floor(rand() * 12) }, () => word(1 + Math.floor(rand() * 6), 'abAB '));
      const patterns = raw.map((p) => normalize(p, rule)).filter((p) => p.length > 0); // repeats too
      if (patterns.length === 0) continue;
      const search = new SubstringSearch(patterns, rule, 1 + (round % 4)); // anchors of 1..4 (or the shortest pattern)
      for (let k = 0; k < 10; k++) {
        const text = word(Math.floor(rand() * 40), 'abAB \n\tc');
        const want = reference(patterns, text, rule);
        assert.equal(search.firstMatch(text), want, `${rule}: patterns ${JSON.stringify(patterns)} text ${JSON.stringify(text)}`);
        if (want >= 0) found++;
      }
    }
    assert.ok(found > 500, `enough matching cases were tried (${found})`);
  }
});

test('real code: thousands of TypeScript functions against real files, and planted disguised copies', (t) => {
  const functions = typescriptFunctions();
  assert.ok(functions.length > 4000, `${functions.length} functions`);
  // CPU time, not wall time: on a shared machine it is what one core of our own costs
  const cpuMs = (since: NodeJS.CpuUsage) => {
    const d = process.cpuUsage(since);
    return (d.user + d.system) / 1000;
  };
  const t0 = process.cpuUsage();
  const matcher = new ContaminationMatcher(
    functions.map((text, i) => ({ text, benchmark: 'ts', where: `ts row ${i}` })),
    { minLength: 50, whitespace: 'remove' },
  );
  const buildMs = cpuMs(t0);
  const s = matcher.stats;
  assert.equal(s.items, functions.length);
  assert.equal(s.used + s.short + s.duplicates, s.items);
  assert.ok(s.short > 10 && s.used > 4000, JSON.stringify(s));

  // files of other packages contain none of them; the same files with one function planted do
  const files = ['commander/lib/command.js', 'commander/lib/help.js', 'yaml/dist/compose/composer.js', 'fzstd/lib/index.js', 'cli-progress/lib/generic-bar.js'];
  const texts = files.map((f) => readFileSync(path.join(REPO_ROOT, 'node_modules', f), 'utf8'));
  for (const [i, text] of texts.entries()) assert.equal(matcher.find(text), undefined, files[i]);
  const long = functions.map((f, i) => [f, i] as const).filter(([f]) => normalize(f, 'remove').length >= 200);
  for (const [k, [fn, index]] of long.filter((_, j) => j % 97 === 0).entries()) {
    const host = texts[k % texts.length];
    const cut = host.indexOf('\n', host.length >> 1);
    const planted = host.slice(0, cut) + '\n' + disguise(fn) + '\n' + host.slice(cut);
    const hit = matcher.find(planted);
    assert.ok(hit, `function ${index} planted in ${files[k % texts.length]} is found`);
    // a function that starts with another one may report that one
    assert.ok(normalize(fn, 'remove').startsWith(normalize(hit.text, 'remove')), `reported item ${hit.where} is where the planted function ${index} is`);
  }

  // and without whitespace the planted copy is still found when it is cut by one character
  const [fn] = long[0];
  assert.equal(matcher.find(disguise(fn).slice(0, -3)), undefined, 'an incomplete copy is not a match');

  const corpus = texts.join('\n').repeat(32); // about 5 MB
  const t1 = process.cpuUsage();
  for (let r = 0; r < 3; r++) assert.equal(matcher.find(corpus), undefined);
  const scanMs = cpuMs(t1) / 3;
  const mb = Buffer.byteLength(corpus) / 1e6;
  t.diagnostic(
    `${s.items} items (${s.used} used, ${s.short} short, ${s.duplicates} duplicates), ${s.anchors} anchors: build ${buildMs.toFixed(0)} ms CPU = ${Math.round(s.items / (buildMs / 1000))} items/s; scan ${mb.toFixed(1)} MB in ${scanMs.toFixed(0)} ms CPU = ${(mb / (scanMs / 1000)).toFixed(0)} MB/s`,
  );
});

test('benchmark rows: fields and lists of strings become items, a field no row has is an error', () => {
  const rows = parseJsonRows('{"prompt":"a","tests":["x","y"],"n":1}\n\n{"prompt":null,"tests":[]}\n', 'b.jsonl');
  const { items, empty } = itemsFromRows(rows, 'b', ['prompt', 'tests']);
  assert.deepEqual(
    items.map((i) => i.where),
    ['b row 0 prompt', 'b row 0 tests[0]', 'b row 0 tests[1]'],
  );
  assert.equal(empty, 1);
  assert.throws(() => itemsFromRows(rows, 'b', ['promt']), /no row has field promt \(the first row has: prompt, tests, n\)/);
  assert.throws(() => parseJsonRows('{"a":1}\n{"a":\n', 'b.jsonl'), /b\.jsonl:2: not valid JSON/);
  assert.equal(parseJsonRows('[{"a":1},{"a":2}]', 'b.json').length, 2);
});
