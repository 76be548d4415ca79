import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Worker } from 'node:worker_threads';
import { MetaclipMatcher, paddedKey, transferList, type PaddingRule } from '../../src/metaclip/automaton.js';
import { naiveMatch, rng } from './helpers.js';

function ids(entries: string[], text: string, padding: PaddingRule = 'metaclip1'): string[] {
  const m = MetaclipMatcher.build(entries, { padding });
  return Array.from(m.match(text)).map((i) => entries[i]);
}

test('St. Louis: the reference spacing splits "St." so dotted entries never match', () => {
  const entries = ['St', 'St.', 'St. Louis', 'st. louis', 'Louis', 'et al.', 'et al', 'al', '.'];
  assert.deepEqual(ids(entries, 'St. Louis'), ['St', 'Louis', '.']); // " St .  Louis "
  assert.deepEqual(ids(entries, 'a study by Smith et al.'), ['et al', 'al', '.']);
});

test("apostrophes and hyphens are part of the word: dog's, well-known", () => {
  const entries = ['dog', "dog's", 's', 'well', 'well-known', 'known'];
  assert.deepEqual(ids(entries, "the dog's bone"), ["dog's"]);
  assert.deepEqual(ids(entries, 'a well-known dog'), ['dog', 'well-known']);
});

test('case-sensitive, and repeated spaces are not collapsed', () => {
  const entries = ['dog', 'Dog', 'hot dog', 'a'];
  assert.deepEqual(ids(entries, 'Dog'), ['Dog']);
  assert.deepEqual(ids(entries, 'a  hot  dog'), ['dog', 'a']);
  assert.deepEqual(ids(entries, 'a hot dog'), ['dog', 'hot dog', 'a']);
});

test('nested and overlapping entries all count, each once per text', () => {
  const entries = ['new york city', 'new york', 'york', 'city', 'new', 'york city', 'ne', 'ork'];
  assert.deepEqual(ids(entries, 'new york city, new york city'), ['new york city', 'new york', 'york', 'city', 'new', 'york city']);
  const m = MetaclipMatcher.build(entries);
  assert.deepEqual(Array.from(m.match('york york york')), [2]);
});

test('tabs, CR and LF separate words; punctuation marks separate words', () => {
  const entries = ['new york', 'red', 'car', 'red car', 'cars'];
  assert.deepEqual(ids(entries, 'new\tyork'), ['new york']);
  assert.deepEqual(ids(entries, 'new\r\nyork'), []);
  assert.deepEqual(ids(entries, 'red,car!cars?'), ['red', 'car', 'cars']);
});

test('empty and very long texts', () => {
  const entries = ['dog', '', 'a b'];
  assert.deepEqual(ids(entries, ''), ['']); // "  " contains " " + "" + " "
  assert.deepEqual(ids(['dog'], ''), []);
  const long = 'the dog and the cat, '.repeat(20_000) + 'a b';
  const m = MetaclipMatcher.build(['dog', 'cat', 'the cat', 'b', 'zebra']);
  assert.deepEqual(Array.from(m.match(long)), [0, 1, 2, 3]);
  assert.deepEqual(Array.from(m.match('no match here')), []);
});

test('non-ASCII and surrogate pairs', () => {
  const entries = ['café', 'café au lait', 'naïve', '😀', 'smile 😀', '𠀀', 'e\u0301'];
  assert.deepEqual(ids(entries, 'un café au lait'), ['café', 'café au lait']);
  assert.deepEqual(ids(entries, 'I 😀 you'), ['😀']);
  assert.deepEqual(ids(entries, '😀😀'), []);
  assert.deepEqual(ids(entries, 'smile 😀!'), ['😀', 'smile 😀']);
  assert.deepEqual(ids(entries, 'cafe\u0301 e\u0301'), ['e\u0301']); // no Unicode normalisation
  assert.deepEqual(ids(entries, 'x 𠀀 y'), ['𠀀']);
});

test('the same string twice in the metadata matches with both ids', () => {
  const m = MetaclipMatcher.build(['dog', 'cat', 'dog', 'dog']);
  assert.deepEqual(Array.from(m.match('a dog')), [0, 2, 3]);
  assert.deepEqual(Array.from(m.match('a cat')), [1]);
});

test('MetaCLIP 2 padding: no space at an end with a CJK/Thai-type character or punctuation', () => {
  assert.equal(paddedKey('東京', 'metaclip2'), '東京');
  assert.equal(paddedKey('東京 tower', 'metaclip2'), '東京 tower ');
  assert.equal(paddedKey('ภาษาไทย', 'metaclip2'), 'ภาษาไทย');
  assert.equal(paddedKey('C++', 'metaclip2'), ' C++');
  assert.equal(paddedKey('«x»', 'metaclip2'), ' «x» '); // « » are not in the reference punctuation
  assert.equal(paddedKey('ラーメン', 'metaclip2'), ' ラーメン '); // kana are not in the reference ranges
  assert.equal(paddedKey('𠀀', 'metaclip2'), '𠀀'); // CJK extension B, a surrogate pair
  assert.equal(paddedKey('dog', 'metaclip1'), ' dog ');
  assert.throws(() => paddedKey('', 'metaclip2'), /empty/);

  const entries = ['東京', '京都', 'ラーメン', 'C++', 'dog', '𠀀'];
  assert.deepEqual(ids(entries, '我在東京工作', 'metaclip2'), ['東京']);
  assert.deepEqual(ids(entries, '東京ラーメン', 'metaclip2'), ['東京']);
  assert.deepEqual(ids(entries, '東京 ラーメン', 'metaclip2'), ['東京', 'ラーメン']);
  assert.deepEqual(ids(entries, 'I like C+++ and my dog', 'metaclip2'), ['C++', 'dog']);
  assert.deepEqual(ids(entries, 'a𠀀b', 'metaclip2'), ['𠀀']);
  assert.deepEqual(ids(entries, '我在東京工作', 'metaclip1'), []);
  assert.deepEqual(ids(entries, '東京', 'metaclip1'), ['東京']);
});

test('agrees with the reference loop on generated texts (both padding rules)', () => {
  const random = rng(42);
  const words = ['a', 'dog', 'Dog', 'hot', 'new', 'york', 'city', 'de', 'la', "o'", 'café', '😀', '東', '京', 'ไทย', '+', 'x.y', ''];
  const seps = [' ', ' ', ' ', '  ', ',', '.', '\t', '\n', '', '!', ' , ', '\u3000', '\u00a0', '\u2029'];
  const pick = <T>(a: T[]): T => a[Math.floor(random() * a.length)];
  for (const padding of ['metaclip1', 'metaclip2'] as const) {
    const entrySet = new Set<string>();
    while (entrySet.size < 300) {
      const n = 1 + Math.floor(random() * 3);
      const parts: string[] = [];
      for (let i = 0; i < n; i++) parts.push(pick(words));
      const e = parts.join(random() < 0.9 ? ' ' : '');
      if (padding === 'metaclip2' && e === '') continue;
      entrySet.add(e);
    }
    const entries = [...entrySet];
    const m = MetaclipMatcher.build(entries, { padding });
    for (let k = 0; k < 2000; k++) {
      let text = '';
      const n = Math.floor(random() * 12);
      for (let i = 0; i < n; i++) text += pick(words) + pick(seps);
      const want = naiveMatch(entries, text, padding);
      assert.deepEqual(Array.from(m.match(text)), want, `${padding}: ${JSON.stringify(text)}`);
      const utf8 = Buffer.from(text, 'utf8');
      assert.deepEqual(Array.from(m.matchUtf8View(utf8, 0, utf8.length)), want, `${padding} (UTF-8): ${JSON.stringify(text)}`);
    }
  }
});

test('large alphabets (CJK) build fast and match like the reference loop', () => {
  const random = rng(7);
  const ch = (): string => String.fromCharCode(0x4e00 + Math.floor(4000 * random() ** 2));
  const set = new Set<string>();
  while (set.size < 30_000) {
    let e = '';
    for (let i = 0, n = 1 + Math.floor(random() * 4); i < n; i++) e += ch();
    set.add(random() < 0.1 ? `${e} ok` : e);
  }
  const entries = [...set];
  const m = MetaclipMatcher.build(entries, { padding: 'metaclip2' }); // build speed is in bench/metaclip/match.ts, not here
  for (let k = 0; k < 100; k++) {
    let text = '';
    for (let i = 0, n = Math.floor(random() * 30); i < n; i++) text += random() < 0.1 ? ' ok ' : ch();
    assert.deepEqual(Array.from(m.match(text)), naiveMatch(entries, text, 'metaclip2'));
  }
});

test('matchView returns the same ids without allocating a result', () => {
  const m = MetaclipMatcher.build(['a', 'b', 'a b']);
  assert.deepEqual(Array.from(m.matchView('a b')), [0, 1, 2]);
  assert.deepEqual(Array.from(m.matchView('b')), [1]);
  // results beyond the initial scratch size
  const many = Array.from({ length: 500 }, (_, i) => `w${i}`);
  const big = MetaclipMatcher.build(many);
  assert.equal(big.match(many.join(' ')).length, 500);
});

test('tables survive a round trip to a worker (shared and transferred)', async () => {
  const entries = ['new york', 'york', 'dog', '東京'];
  const m = MetaclipMatcher.build(entries);
  const texts = ['new york dog', 'nothing', 'york'];
  const expected = texts.map((t) => Array.from(m.match(t)));
  const workerUrl = new URL('./matcher-worker.js', import.meta.url);
  const run = (tables: ReturnType<typeof m.toTransferable>, transfer: ArrayBuffer[]) =>
    new Promise<{ results: number[][]; shared: boolean }>((resolve, reject) => {
      const w = new Worker(workerUrl, { workerData: { tables, texts }, transferList: transfer });
      w.once('message', (msg) => {
        resolve(msg);
        void w.terminate();
      });
      w.once('error', reject);
    });
  const shared = await run(m.toTransferable({ shared: true }), []);
  assert.deepEqual(shared, { results: expected, shared: true });
  const copy = m.toTransferable();
  const moved = await run(copy, transferList(copy));
  assert.deepEqual(moved, { results: expected, shared: false });
  assert.equal(copy.trie.length, 0); // transferred away
  assert.deepEqual(Array.from(m.match('new york')), [0, 1]); // the original is untouched
});

test('bytes round trip keeps the padding rule and duplicates', () => {
  const entries = ['東京', 'dog', 'dog', 'C++'];
  const m = MetaclipMatcher.build(entries, { padding: 'metaclip2' });
  const back = MetaclipMatcher.fromBytes(m.toBytes());
  assert.equal(back.padding, 'metaclip2');
  assert.equal(back.entryCount, 4);
  for (const text of ['我在東京', 'a dog', 'C+++', '']) assert.deepEqual(Array.from(back.match(text)), Array.from(m.match(text)));
  assert.throws(() => MetaclipMatcher.fromBytes(new Uint8Array(10)), /wrong magic/);
  assert.throws(() => MetaclipMatcher.fromBytes(m.toBytes().subarray(0, 200)), /truncated|header/);
});

test('rejects tables that are not a matcher', () => {
  const t = MetaclipMatcher.build(['a']).toTransferable();
  assert.throws(() => MetaclipMatcher.fromTransferable({ ...t, format: 'x' as never }), /format/);
  assert.throws(() => MetaclipMatcher.fromTransferable({ ...t, slotEntry: new Int32Array(1) }), /inconsistent/);
});
