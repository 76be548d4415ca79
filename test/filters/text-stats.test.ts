import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { textStats } from '../../src/filters/text-stats.js';

/** Letters and letters-or-numbers counted one code point at a time with Unicode property escapes. */
function reference(text: string): { letters: number; alnum: number; codePoints: number } {
  let letters = 0;
  let alnum = 0;
  let codePoints = 0;
  for (const ch of text) {
    codePoints++;
    const l = /\p{L}/u.test(ch);
    if (l) letters++;
    if (l || /\p{N}/u.test(ch)) alnum++;
  }
  return { letters, alnum, codePoints };
}

function check(text: string, what: string): void {
  const s = textStats(text);
  const r = reference(text);
  assert.equal(s.codePoints, r.codePoints, what);
  assert.equal(Math.round(s.alphaFraction * s.codePoints), r.letters, `letters of ${what}`);
  assert.equal(Math.round(s.alnumFraction * s.codePoints), r.alnum, `letters and numbers of ${what}`);
}

test('letter and number shares: every Latin-1 character, at every offset within four-byte words, and in mixed texts', () => {
  for (let c = 0; c < 256; c++) {
    for (let pad = 0; pad < 4; pad++) check('x'.repeat(pad) + String.fromCharCode(c).repeat(9) + '.'.repeat(pad), `U+${c.toString(16)} after ${pad}`);
  }
  let seed = 3;
  const next = (n: number) => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return (seed >>> 8) % n;
  };
  const ascii = 'aZz09@[`{\x7f /_\n\t';
  const latin1 = `${ascii}éÿ½ª¹×÷µ\u00a0`;
  for (let k = 0; k < 500; k++) {
    const pool = k % 2 === 0 ? ascii : latin1; // pure ASCII texts, and texts with a byte over 0x7f in some words
    let t = '';
    for (let i = next(200); i > 0; i--) t += pool[next(pool.length)];
    check(t, `random text #${k}`);
  }
  check('ĀBC日本語 123 ١٢٣ 😀', 'beyond Latin-1');
});

test('letter and number shares of real files match a code point by code point count', () => {
  const root = fileURLToPath(new URL('../../../node_modules/typescript/lib/', import.meta.url)); // dist/test/filters → repo
  const files = readdirSync(root)
    .filter((f) => f.endsWith('.d.ts') || f.endsWith('.json'))
    .map((f) => path.join(root, f))
    .filter((f) => statSync(f).isFile() && statSync(f).size < 400_000)
    .slice(0, 60);
  assert.ok(files.length > 20, `only ${files.length} files under ${root}`);
  for (const f of files) check(readFileSync(f, 'utf8'), f);
});
