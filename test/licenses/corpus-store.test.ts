import assert from 'node:assert/strict';
import { readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { tempBuildStore } from '../helpers/build-store.js';
import { buildStoreDir, storedBuild } from '../../src/core/build-store.js';
import { corpusFromBytes, corpusToBytes } from '../../src/licenses/corpus-bytes.js';
import { spdxCorpusBuild } from '../../src/licenses/corpus.js';
import { Postings } from '../../src/licenses/postings.js';

test('postings find every stored key and no other, with each list ascending by licence', () => {
  // 7 licences holding overlapping key sets, each given unsorted as a licence's bigrams may be
  const perLicence: Int32Array[] = [];
  const expected = new Map<number, number[]>();
  for (let licence = 0; licence < 7; licence++) {
    const keys: number[] = [];
    for (let k = licence; k < 5000; k += licence + 1) keys.push(k * 32768 + ((k * 7919) % 32768));
    perLicence.push(Int32Array.from(keys.reverse()));
    for (const key of keys) expected.set(key, [...(expected.get(key) ?? []), licence]);
  }
  const postings = Postings.fromLicenceBigrams(perLicence);
  assert.equal(postings.size, expected.size);
  for (const [key, list] of expected) assert.deepEqual(Array.from(postings.get(key)!), list);
  assert.equal(postings.get(1), undefined);
  assert.equal(postings.get(-(5 * 2 ** 22 + 9)), undefined);
  assert.equal(postings.get(4999 * 32768), undefined);
  assert.throws(() => Postings.fromLicenceBigrams([Int32Array.of(-3)]), /negative bigram key -3/);
});

test('the SPDX corpus read from the build store is the corpus built from the texts; a damaged file is rebuilt', (t) => {
  tempBuildStore(t);
  const spec = spdxCorpusBuild();
  let builds = 0;
  const counted = { ...spec, build: () => (builds++, spec.build()) };
  const built = storedBuild(counted);
  const store = buildStoreDir('license-corpus')!;
  assert.deepEqual(readdirSync(store), [`${spec.key}.bin`]);
  const loaded = storedBuild(counted);
  assert.equal(builds, 1, 'the second call reads the store');
  assert.notEqual(loaded, built);
  assert.deepEqual(
    loaded.licenses.map((l) => [l.id, l.aliases, l.bigramCount, Array.from(l.words)]),
    built.licenses.map((l) => [l.id, l.aliases, l.bigramCount, Array.from(l.words)]),
  );
  assert.deepEqual([...loaded.vocabulary], [...built.vocabulary]);
  assert.equal(loaded.postings.size, built.postings.size);
  for (const key of built.postings.keys) assert.deepEqual(Array.from(loaded.postings.get(key)!), Array.from(built.postings.get(key)!));

  const bytes = Buffer.from(corpusToBytes(built));
  assert.throws(() => corpusFromBytes(bytes.subarray(0, bytes.length - 4)), /cut short|trailing/);
  assert.throws(() => corpusFromBytes(Buffer.from('damaged')), /not a licence corpus/);
  writeFileSync(path.join(store, `${spec.key}.bin`), bytes.subarray(0, 1000));
  assert.equal(storedBuild(counted).licenses.length, built.licenses.length);
  assert.equal(builds, 2, 'a damaged file is rebuilt, not trusted');
});
