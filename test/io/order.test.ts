import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { compareBytes } from '../../src/io/order.js';

const sign = (n: number) => (n > 0 ? 1 : n < 0 ? -1 : 0);
const byBuffers = (a: string, b: string) => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));

test('compareBytes orders strings as their UTF-8 bytes do, astral characters and U+E000..FFFF included', () => {
  // Code units chosen where UTF-16 order and UTF-8 order part: a surrogate pair against U+E000..FFFF.
  const alphabet = ['a', 'B', '/', '-', '.', '~', '\u00e9', '\u07ff', '\u0800', '\ud7ff', '\ue000', '\uff5e', '\uffff', '\u{10000}', '\u{1f600}', '\u{10ffff}'];
  let seed = 12345;
  const next = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32;
  const word = () => Array.from({ length: 1 + Math.floor(next() * 5) }, () => alphabet[Math.floor(next() * alphabet.length)]).join('');
  for (let i = 0; i < 20000; i++) {
    const a = word();
    const b = next() < 0.3 ? a + word() : word();
    assert.equal(sign(compareBytes(a, b)), sign(byBuffers(a, b)), `${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
    assert.equal(sign(compareBytes(b, a)), sign(byBuffers(b, a)));
  }
  assert.equal(compareBytes('same', 'same'), 0);
});

test('compareBytes sorts a real folder listing exactly as byte order does', () => {
  const names = readdirSync(path.resolve('node_modules'));
  const paths = names.flatMap((n) => [n, `${n}/package.json`, `${n}-x`, `${n}/\u{1f600}`, `${n}/\uff5e`]);
  assert.deepEqual([...paths].sort(compareBytes), [...paths].sort(byBuffers));
});
