import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodedData } from '../../src/filters/encoded-data.js';

/** The rule as The Stack v2 writes it: three global regular expressions, nothing else. */
function reference(text: string): string | undefined {
  let total = 0;
  const patterns: [string, RegExp][] = [
    ['base64', /[a-zA-Z0-9+/\n=]{64,}/g],
    ['hex', /(?:\b(?:0x|\\x)?[0-9a-fA-F]{2}(?:,|\b\s*)){8,}/g],
    ['unicode-escape', /(?:\\u[0-9a-fA-F]{4}){8,}/g],
  ];
  const longest = Math.max(0, ...(text.match(patterns[0][1]) ?? []).map((m) => m.length));
  if (longest > 1024) return `base64 run of ${longest} characters`;
  for (const [kind, re] of patterns) {
    for (const m of text.matchAll(re)) {
      if (kind !== 'base64' && m[0].length > 1024) return `${kind} run of ${m[0].length} characters`;
      total += m[0].length;
    }
  }
  return total > text.length / 2 ? `encoded runs are ${Math.round((100 * total) / text.length)}% of the file` : undefined;
}

const NODE_MODULES = fileURLToPath(new URL('../../../node_modules/', import.meta.url)); // dist/test/filters → repo

function realFiles(limit: number): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      if (out.length >= limit) return;
      const p = path.join(dir, name);
      const st = statSync(p);
      if (st.isDirectory()) walk(p);
      else if (st.size < 300_000 && /\.(js|ts|json|md|map|txt|cjs|mjs)$/.test(name)) out.push(readFileSync(p, 'utf8'));
    }
  };
  walk(NODE_MODULES);
  return out;
}

test('encoded data: the gated, byte-level scans decide exactly as the three Stack v2 regular expressions', () => {
  const hexList = Array.from({ length: 300 }, (_, i) => `0x${(i % 256).toString(16).padStart(2, '0')}`);
  const crafted = [
    '',
    `a = [${hexList.join(', ')}]`,
    `b = "${hexList.map((h) => h.replace('0x', '\\x')).join('')}"`,
    `c = "${Array.from({ length: 300 }, (_, i) => `\\u${(i + 0x4e00).toString(16)}`).join('')}"`,
    `dump: ${Array.from({ length: 600 }, (_, i) => (i % 256).toString(16).padStart(2, '0')).join(' ')}`,
    `short ${hexList.slice(0, 9).join(',')} then text ${'word '.repeat(40)}`,
    `ünïcödé ${hexList.slice(0, 20).join(',')} 😀 ${Buffer.from('x'.repeat(900)).toString('base64')}`,
    'de ad be ef ca fe ba be 00 11 22 33', // a run of 12 plain tokens
    'deadbeefdeadbeefdeadbeef', // no boundaries: not a hex run
    '0x0x12 34 56 78 9a bc de f0 12',
    `${'A'.repeat(63)} ${'B'.repeat(64)} ${'C'.repeat(1025)}`,
  ];
  for (const t of crafted) assert.equal(encodedData(t), reference(t), t.slice(0, 60));
  const files = realFiles(3000);
  assert.ok(files.length > 1000, `only ${files.length} real files found under ${NODE_MODULES}`);
  let flagged = 0;
  for (const t of files) {
    const want = reference(t);
    if (want) flagged++;
    assert.equal(encodedData(t), want, t.slice(0, 80));
  }
  assert.ok(flagged > 0, 'the real files include some that the rule flags (source maps, minified data)');
});
