import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodedData } from '../../src/filters/encoded-data.js';

/**
 * The reference: the three patterns as The Stack v2 writes them, run by Python's `re` (BigCode's
 * tooling is Python; its `\b` and `\s` are Unicode-aware and `len` counts code points), a
 * character inside several runs counted once. Gives one verdict line per input text.
 */
const PYTHON_REFERENCE = String.raw`
import json, re, sys
B64 = re.compile(r'[a-zA-Z0-9+/\n=]{64,}')
HEX = re.compile(r'(?:\b(?:0x|\\x)?[0-9a-fA-F]{2}(?:,|\b\s*)){8,}')
UNI = re.compile(r'(?:\\u[0-9a-fA-F]{4}){8,}')
def verdict(t):
    runs = [(m.start(), m.end(), k) for k, r in (('base64', B64), ('hex', HEX), ('unicode-escape', UNI)) for m in r.finditer(t)]
    for s, e, k in runs:
        if e - s > 1024:
            return '%s run of %d characters' % (k, e - s)
    if not runs:
        return None
    cov = set()
    for s, e, k in runs:
        cov.update(range(s, e))
    return 'encoded runs cover %d%% of the file' % int(100 * len(cov) / len(t) + 0.5) if len(cov) > len(t) / 2 else None
for line in sys.stdin:
    print(json.dumps(verdict(json.loads(line))))
`;

const PYTHON = ['/usr/bin/python3', 'python3'].find((p) => spawnSync(p, ['-c', 'pass']).status === 0);

function pythonVerdicts(texts: string[]): (string | null)[] {
  const r = spawnSync(PYTHON!, ['-c', PYTHON_REFERENCE], { input: texts.map((t) => JSON.stringify(t)).join('\n') + '\n', maxBuffer: 1 << 28, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as string | null);
}

/** Texts of base64 characters with breaks at random places (a fixed-seed generator): runs of every length near 64. */
function randomBase64Texts(count: number): string[] {
  let seed = 7;
  const next = (n: number) => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return (seed >>> 8) % n;
  };
  const chars = 'aZ09+/=\n';
  const breaks = ' .,-é😀';
  return Array.from({ length: count }, () => {
    const breakEvery = 20 + next(100);
    let t = '';
    for (let i = next(400); i > 0; i--) t += next(breakEvery) === 0 ? breaks[next(breaks.length)] : chars[next(chars.length)];
    return t;
  });
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

test(
  'encoded data decides as the Stack v2 patterns do in Python (Unicode \\b and \\s, code points, overlaps counted once)',
  { skip: !PYTHON && 'python3 not found: the reference runs in Python' },
  () => {
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
      'ßde ad be ef ca fe ba be 00 11 22 33', // after ß: no word boundary in Python, so the run starts one token later
      'de\u00a0ad\u00a0be\u00a0ef\u00a0ca\u00a0fe\u00a0ba\u00a0be\u00a000', // no-break spaces are \s in both
      'de\u001cad\u001cbe\u001cef\u001cca\u001cfe\u001cba\u001cbe\u001c00', // \x1c is \s only in Python
      'de\u0085ad\u0085be\u0085ef\u0085ca\u0085fe\u0085ba\u0085be\u008500', // so is \x85 (NEL)
      'é de\u0085ad be\u001fef ca\u00a0fe ba\u2003be 00', // Python's whitespace mixed
      'deßad beßef caßfe baßbe 00 11 22 33', // ß ends no token in Python
      'deadbeefdeadbeefdeadbeef', // no boundaries: not a hex run
      '0x0x12 34 56 78 9a bc de f0 12',
      `${'A'.repeat(63)} ${'B'.repeat(64)} ${'C'.repeat(1025)}`,
      `${'😀'.repeat(300)} ${'ab cd '.repeat(100)}`, // astral characters count once
      `${'deadbeef'.repeat(20)} ${'00 11 22 33 44 55 66 77 88 99 '.repeat(3)}`, // overlapping base64 and hex
      // base64 runs at the edges of the scanner's 64-character windows
      'A'.repeat(64),
      'A'.repeat(63),
      ` ${'A'.repeat(64)}`,
      `${'A'.repeat(64)} `,
      `${'A'.repeat(63)} ${'A'.repeat(63)} ${'A'.repeat(64)}`,
      `${'A'.repeat(127)}.${'B'.repeat(64)}.${'C'.repeat(65)}`,
      `é${'QUJD'.repeat(16)}😀${'QUJD'.repeat(16)}`,
      ...randomBase64Texts(300),
    ];
    const files = realFiles(2000);
    assert.ok(files.length > 1000, `only ${files.length} real files found under ${NODE_MODULES}`);
    const texts = [...crafted, ...files];
    const want = pythonVerdicts(texts);
    let flagged = 0;
    texts.forEach((t, i) => {
      if (want[i]) flagged++;
      assert.equal(encodedData(t) ?? null, want[i], `${i < crafted.length ? 'crafted' : 'file'} #${i}: ${t.slice(0, 80)}`);
    });
    assert.ok(flagged > 3, 'the rule flags some of the texts (source maps, minified data, crafted runs)');
  },
);
