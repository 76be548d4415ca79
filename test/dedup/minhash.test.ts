import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createKernel, splitHashes } from '../../src/dedup/minhash-kernel.js';
import { estimatedJaccard, jaccard, makePermutations, MinHasher, PRIME_16, PRIME_32, shingleHashes, shingleSet, type MinHashOptions, type ShingleOptions } from '../../src/dedup/minhash.js';
import { bandKey, candidateProbability, optimalBandsRows } from '../../src/dedup/lsh.js';
import { REPO_ROOT } from '../helpers/cli.js';
import { editText, listFiles } from '../helpers/near-dups.js';

const WORDS: ShingleOptions = { unit: 'words', ngram: 5, lowercase: true, emptyWords: false };
const STACK_V2: MinHashOptions = { ...WORDS, numPerm: 250, hashBits: 32, seed: 0 };

/** min over h of (a·h + b) mod p, in BigInt: the definition the kernels must meet exactly. */
function reference(a: number, b: number, p: number, hashes: Uint32Array): number {
  let min = BigInt(p);
  for (const h of hashes) {
    const v = (BigInt(a) * BigInt(h) + BigInt(b)) % BigInt(p);
    if (v < min) min = v;
  }
  return Number(min);
}

test('the permutation kernels (SIMD and plain) equal the BigInt definition, edge values and odd permutation counts included', () => {
  let s = 12345;
  const next = () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0);
  for (const [bits, prime] of [
    [32, PRIME_32],
    [16, PRIME_16],
  ] as const) {
    for (const numPerm of [250, 7, 1]) {
      const perm = makePermutations(numPerm, bits, next());
      const hashes = new Uint32Array(600).map(() => next());
      hashes.set([0, 1, 0xffffffff, PRIME_32 - 1, PRIME_32, PRIME_32 + 1, PRIME_16, 65535, 65536]);
      for (const simd of [true, false]) {
        const kernel = createKernel(perm, { simd });
        if (simd) assert.ok(kernel.simd, 'Node 20 runs WebAssembly SIMD');
        splitHashes(hashes, hashes.length, kernel.reserve(hashes.length));
        const out = new Uint32Array(numPerm);
        kernel.run(hashes.length, out);
        for (let i = 0; i < numPerm; i++) assert.equal(out[i], reference(perm.a[i], perm.b[i], prime, hashes), `bits ${bits}, perm ${i}/${numPerm}, simd ${simd}`);
      }
    }
  }
});

test('permutations: drawn from the seed, a in [1, p), b in [0, p); another seed, other permutations', () => {
  const a = makePermutations(250, 32, 0);
  assert.deepEqual(makePermutations(250, 32, 0), a);
  assert.notDeepEqual(makePermutations(250, 32, 1).a, a.a);
  assert.ok(a.a.every((x) => x >= 1 && x < PRIME_32 && Number.isInteger(x)));
  assert.ok(a.b.every((x) => x >= 0 && x < PRIME_32));
  assert.ok(makePermutations(250, 16, 0).a.every((x) => x >= 1 && x < PRIME_16));
  assert.ok(new Set(a.a).size > 245, 'distinct multipliers');
});

test('word shingles: lowercase, split on non-word characters (Unicode letters and digits are word characters), n consecutive words', () => {
  const set = (t: string, o: Partial<ShingleOptions> = {}) => [...shingleSet(t, { ...WORDS, ...o })];
  assert.deepEqual(set('Hello, World! foo-bar   baz'), set('hello world foo bar baz'));
  assert.notDeepEqual(set('hello world foo bar baz'), set('hello world foo bar bax'));
  assert.equal(set('one two three four').length, 0, 'fewer than five words: no shingle');
  assert.equal(set('one two three four five').length, 1);
  assert.equal(set('one two three four five six').length, 2);
  assert.equal(set('a b c d e a b c d e').length, 5, 'distinct shingles only');
  assert.deepEqual(set('ÉTÉ Straße Привет 東京 x'), set('été straße привет 東京 x'), 'lowercase beyond ASCII');
  assert.deepEqual(set('été·straße·привет·東京·x'), set('été straße привет 東京 x'), 'U+00B7 (punctuation) separates words');
  assert.equal(set('été_straße_привет_東京_x').length, 0, '_ is a word character: one word');
  assert.deepEqual(set('café déjà_vu 2024 𝒳𝒴 z'), set('café déjà_vu 2024 𝒳𝒴 z'));
  assert.equal(set('a 𝒳 b c d').length, 1, 'an astral letter is a word');
  assert.deepEqual(set('Hello World foo bar baz', { lowercase: false }).length, 1);
  assert.notDeepEqual(set('Hello World foo bar baz', { lowercase: false }), set('hello world foo bar baz', { lowercase: false }));
  // Python's re.split(r"\W", "a,,b c d e") gives ['a', '', 'b', 'c', 'd', 'e']: six words, two 5-grams
  assert.equal(set('a,,b c d e', { emptyWords: true }).length, 2);
  assert.equal(set('a,,b c d e').length, 1);
  assert.equal(set(',a b c d', { emptyWords: true }).length, 1, 'a leading separator makes a leading empty word');
});

test('character shingles: n consecutive code units, as NeMo Curator', () => {
  const o: ShingleOptions = { unit: 'chars', ngram: 3, lowercase: false, emptyWords: false };
  assert.equal(shingleSet('abcdef', o).length, 4);
  assert.equal(shingleSet('abcabcabc', o).length, 3);
  assert.equal(shingleSet('ab', o).length, 0);
  assert.deepEqual([...shingleSet('xyzxyz', o)], [...shingleSet('zxyzxy', o)], 'the same three windows');
  const raw = new Uint32Array(10);
  assert.equal(shingleHashes('abcabc', o, raw), 4);
  assert.equal(raw[0], raw[3], 'the same window, the same hash');
});

/** Real files (node_modules sources of 2–60 KB), deterministic order. */
function realTexts(limit: number): string[] {
  const root = path.join(REPO_ROOT, 'node_modules');
  const out: string[] = [];
  for (const pkg of ['commander', 'yaml', 'zod', 'piscina', 'ajv', 'js-yaml']) {
    for (const rel of listFiles(path.join(root, pkg))) {
      if (!/\.(js|ts|md)$/.test(rel)) continue;
      const text = readFileSync(path.join(root, pkg, rel), 'utf8');
      if (text.length > 2000 && text.length < 60_000) out.push(text);
    }
  }
  return out.filter((_, i) => i % 7 === 0).slice(0, limit);
}

test('estimated Jaccard (250 permutations) tracks exact Jaccard of real files and their edited versions', () => {
  const hasher = new MinHasher(STACK_V2);
  const a = new Uint32Array(250);
  const b = new Uint32Array(250);
  const errors: number[] = [];
  let pairs = 0;
  for (const text of realTexts(60)) {
    for (const every of [2, 4, 8, 30]) {
      const edited = editText(text, every, 'edited');
      const exact = jaccard(shingleSet(text, WORDS), shingleSet(edited, WORDS));
      assert.ok(hasher.signature(text, a) > 0 && hasher.signature(edited, b) > 0);
      const estimate = estimatedJaccard(a, b);
      const sigma = Math.sqrt((exact * (1 - exact)) / 250);
      assert.ok(Math.abs(estimate - exact) <= 5 * sigma + 0.01, `estimate ${estimate} vs exact ${exact}`);
      errors.push(estimate - exact);
      pairs++;
    }
  }
  const bias = errors.reduce((x, y) => x + y, 0) / pairs;
  const rmse = Math.sqrt(errors.reduce((x, y) => x + y * y, 0) / pairs);
  assert.ok(pairs >= 200, `${pairs} pairs`);
  assert.ok(Math.abs(bias) < 0.01, `mean error ${bias}`);
  assert.ok(rmse < 0.03, `rms error ${rmse}: about sqrt(J(1-J)/250) ≤ 0.032`);
});

test('a signature: the same text gives the same values, whatever else was hashed before; empty and short texts have none', () => {
  const hasher = new MinHasher(STACK_V2);
  const [text] = realTexts(1);
  const first = new Uint32Array(250);
  const again = new Uint32Array(250);
  assert.ok(hasher.signature(text, first) > 100);
  hasher.signature(realTexts(3)[2], again);
  assert.ok(hasher.signature(text, again) > 100);
  assert.deepEqual(again, first);
  assert.equal(new MinHasher(STACK_V2, { simd: false }).signature(text, again), hasher.signature(text, first));
  assert.deepEqual(again, first, 'the plain kernel gives the same signature');
  assert.equal(hasher.signature('', again), 0);
  assert.equal(hasher.signature('too short', again), 0);
  assert.deepEqual([...hasher.sortedShingles()], []);
  hasher.signature(text, again);
  assert.deepEqual([...hasher.sortedShingles()], [...shingleSet(text, WORDS)]);
});

test('bands × rows from a threshold as datasketch _optimal_param (values datasketch 8d4bda1b gives)', () => {
  const expected: [number, number, number, number, [number, number]][] = [
    [0.5, 250, 0.5, 0.5, [41, 6]],
    [0.7, 250, 0.5, 0.5, [25, 10]],
    [0.8, 250, 0.5, 0.5, [16, 15]],
    [0.9, 250, 0.5, 0.5, [9, 27]],
    [0.7, 128, 0.5, 0.5, [14, 9]],
    [0.85, 128, 0.5, 0.5, [8, 16]],
    [0.6, 256, 0.3, 0.7, [36, 7]],
    [0.9, 256, 0.3, 0.7, [11, 23]],
  ];
  for (const [t, n, fp, fn, [b, r]] of expected) assert.deepEqual(optimalBandsRows(t, n, fp, fn), { bands: b, rows: r }, `threshold ${t}, ${n} permutations`);
  assert.ok(Math.abs(candidateProbability(0.7, 25, 10) - (1 - (1 - 0.7 ** 10) ** 25)) < 1e-15);
});

test('band keys: equal bands give equal keys, another band or value another key', () => {
  const sig = new Uint32Array(250).map((_, i) => i * 7919);
  const k = (s: Uint32Array, band: number) => {
    const out = new Uint32Array(2);
    bandKey(s, band, 10, out);
    return [...out];
  };
  assert.deepEqual(k(sig, 3), k(sig.slice(), 3));
  assert.notDeepEqual(k(sig, 3), k(sig, 4));
  const other = sig.slice();
  other[35] ^= 1;
  assert.notDeepEqual(k(other, 3), k(sig, 3));
  assert.deepEqual(k(other, 4), k(sig, 4), 'a value outside the band does not matter');
  const same = new Uint32Array(250).fill(5);
  assert.notDeepEqual(k(same, 0), k(same, 1), 'identical values in two bands still give two keys');
});
