/**
 * Boundary tests for every rule of The Stack v2's file filters, through the `file_filter` stage
 * with its defaults: just under and just over each threshold. Test names quote the rule as
 * ../shared/DESIGN.md §3 and the issue give it from the paper (arXiv 2402.19173).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DataRecord } from '../../src/core/record.js';
import type { MapStage, StageEnv } from '../../src/core/stage.js';
import { processOne } from '../../src/core/processor.js';
import { fileFilterStage } from '../../src/stages/file-filter.js';
import { firstLines } from '../../src/filters/lines.js';
import { isKeptTextName } from '../../src/filters/text-names.js';
import { visibleText } from '../../src/filters/html.js';

const env: StageEnv = { contentColumn: 'content', baseDir: '.' };
const stage = (params: Record<string, unknown> = {}) => fileFilterStage.create(fileFilterStage.params.parse(params), env) as MapStage;
const verdict = (content: string, extra: Partial<DataRecord> = {}, params: Record<string, unknown> = {}) => processOne(stage(params), { id: 'r', path: 'src/a.py', content, ...extra });
const reason = (content: string, extra: Partial<DataRecord> = {}, params: Record<string, unknown> = {}) => verdict(content, extra, params)?.reason ?? 'kept';

/** Lines of ordinary code, `n` of them, each 30 characters. */
const code = (n: number) => 'value = compute(alpha, beta)\n'.repeat(n);

test('"files larger than 10 MB are removed": 10 MiB of UTF-8 is kept, one byte more is not', () => {
  const line = `${'a'.repeat(63)}\n`; // 64 bytes per line
  const exact = line.repeat((10 << 20) / 64);
  assert.equal(reason(exact, {}, { max_lines: null, encoded_data: false, data_max_lines: null }), 'kept');
  assert.equal(reason(exact + 'b', {}, { max_lines: null, encoded_data: false }), 'too_large');
  assert.match(verdict('é'.repeat(6), {}, { max_bytes: 11 })!.detail!, /^12 bytes > 11$/);
});

test('"more than 100,000 lines": 100,000 lines kept, 100,001 removed', () => {
  assert.equal(reason(code(100_000)), 'kept');
  assert.equal(reason(code(100_000) + 'x = 1'), 'too_many_lines');
});

test('"maximum line length > 1,000 characters": counted in code points (600 emoji are 600 characters)', () => {
  const at = (n: number) => `${code(20)}s = "${'x'.repeat(n - 6)}"\n${code(20)}`;
  assert.equal(reason(at(1000), {}, { encoded_data: false }), 'kept');
  assert.equal(reason(at(1001), {}, { encoded_data: false }), 'long_lines');
  const emoji = `${code(40)}# ${'😀'.repeat(600)} words words\n${code(40)}`;
  assert.equal(reason(emoji, {}, { min_alpha_fraction: null }), 'kept');
  assert.equal(reason(`${code(40)}# ${'😀'.repeat(999)}\n${code(40)}`, {}, { min_alpha_fraction: null }), 'long_lines');
});

test('"average line length > 100 characters": a mean of 100 is kept, of 101 is not', () => {
  const lines = (len: number) => `${'word '.repeat(len / 5 - 1)}word\n`.repeat(50);
  assert.equal(reason(lines(100)), 'kept');
  assert.equal(reason(`${'word '.repeat(20)}x\n`.repeat(50)), 'long_lines'); // 102
  // CRLF breaks are not characters: 100 characters per line plus CRLF is still a mean of 100
  assert.equal(reason(lines(100).replaceAll('\n', '\r\n')), 'kept');
});

test('"HTML, JSON, Markdown, Roff, SMT, TeX, Text, XML: removed only when the longest line is over 100,000 characters"', () => {
  const wide = `${'word '.repeat(400)}\n`.repeat(5);
  for (const language of ['JSON', 'Markdown', 'Roff', 'SMT', 'TeX', 'XML']) assert.equal(reason(wide, { language }), 'kept', language);
  assert.equal(reason(wide, { language: 'Text', path: 'README.txt' }), 'kept');
  assert.equal(reason(`${'word '.repeat(20_000)}\n`, { language: 'Markdown' }), 'kept'); // 100,000
  assert.equal(reason(`${'word '.repeat(20_000)}x\n`, { language: 'Markdown' }), 'long_lines');
  assert.equal(reason(wide, { language: 'Python' }), 'long_lines');
});

test('"fewer than 25% alphabetic characters": exactly 25% kept, below removed; WebAssembly and M68K count alphanumerics', () => {
  const mixed = (letters: number, digits: number) => `${'a'.repeat(letters)}${'1'.repeat(digits)}\n`.repeat(10);
  // 25 letters and 74 digits + 1 space (+ newline) per 100 characters
  const quarter = `${'a'.repeat(25)}${'1'.repeat(74)}\n`.repeat(10);
  const plain = { encoded_data: false }; // these letter-and-digit runs are base64 runs too
  assert.equal(reason(quarter, {}, plain), 'kept');
  assert.equal(reason(`${'a'.repeat(24)}${'1'.repeat(75)}\n`.repeat(10), {}, plain), 'low_alpha');
  assert.equal(reason(mixed(2, 20), { language: 'WebAssembly' }, plain), 'kept', 'digits are alphanumeric');
  assert.equal(reason(mixed(2, 20), { language: 'Motorola 68K Assembly' }, plain), 'kept');
  assert.equal(reason(mixed(2, 20), {}, plain), 'low_alpha');
  assert.match(verdict(`${'+-*/'.repeat(12)}\n`.repeat(5), { language: 'WebAssembly' })!.detail!, /^alphanumeric 0\.000 < 0\.25$/);
  assert.equal(reason('печать("привет мир")\n数据 = 读取()\n'), 'kept', 'letters of every script are letters');
});

test('"auto-generated: a generated flag, or a marker in the first 5 lines" (lines end at LF, CRLF or lone CR)', () => {
  const top = (k: number, sep: string) => `${Array.from({ length: k - 1 }, (_, i) => `x${i} = ${i}`).join(sep)}${sep}# this file is generated${sep}${code(3)}`;
  for (const sep of ['\n', '\r\n', '\r']) {
    assert.equal(reason(top(5, sep)), 'autogenerated', JSON.stringify(sep));
    assert.equal(reason(top(6, sep)), 'kept', JSON.stringify(sep));
  }
  assert.equal(firstLines('a\rb\r\nc\nd', 3), 'a\rb\r\nc');
  assert.equal(reason('/* AUTO-GENERATED FILE */\n' + code(3)), 'autogenerated', 'markers match in any case');
  for (const generated of [true, 'true', 'TRUE', 'yes', 1]) assert.equal(reason(code(3), { generated }), 'autogenerated', String(generated));
  for (const generated of [false, 'false', 0, null]) assert.equal(reason(code(3), { generated }), 'kept', String(generated));
});

test('"encoded data: a run longer than 1,024 characters, or runs over 50% of the file"', () => {
  const b64 = (n: number) => 'QUJD'.repeat(Math.ceil(n / 4)).slice(0, n);
  const opts = { max_line_length: null, max_mean_line_length: null, min_alpha_fraction: null };
  assert.equal(reason(`${code(40)}x = "${b64(1024)}"\n`, {}, opts), 'kept');
  assert.equal(reason(`${code(40)}x = "${b64(1025)}"\n`, {}, opts), 'encoded_data');
  // Runs covering exactly half of the file are kept, one more character tips it.
  const half = `${b64(100)}${' '.repeat(100)}`;
  assert.equal(reason(half, {}, opts), 'kept');
  assert.equal(reason(`${b64(101)}${' '.repeat(100)}`, {}, opts), 'encoded_data');
});

test('"data formats (Text, JSON, YAML, Web Ontology Language, Graphviz (DOT)) over 512 lines"', () => {
  const rows = (n: number) => Array.from({ length: n }, (_, i) => `  "key${i}": "value number ${i}",`).join('\n') + '\n';
  for (const language of ['JSON', 'YAML', 'Web Ontology Language', 'Graphviz (DOT)']) {
    assert.equal(reason(rows(512), { language }), 'kept', language);
    assert.equal(reason(rows(513), { language }), 'data_too_long', language);
  }
  assert.equal(reason(rows(513), { language: 'Text', path: 'notes.txt' }), 'data_too_long');
  for (const language of ['JSON5', 'JSON with Comments', 'CSV', 'TSV']) assert.equal(reason(rows(600), { language }), 'kept', `${language} is not in the paper's list`);
});

test('"HTML: kept only with at least 100 characters of visible text making up at least 20% of the file"', () => {
  const text = (n: number) => `${'word '.repeat(n).slice(0, n - 1)}x`; // n visible characters, not a base64 run
  const page = (text: string, pad = 0) =>
    `<html><head><style>body { color: red }</style><script>var x = "<p>not text</p>";</script></head>\n<body><p>${text}</p><!-- ${'c'.repeat(pad)} --></body></html>\n`;
  assert.equal(visibleText(page('Hello <b>world</b>')), 'Hello world');
  assert.equal(reason(page(text(100)), { language: 'HTML' }), 'kept');
  assert.equal(reason(page(text(99)), { language: 'HTML' }), 'html_little_text');
  // 200 visible characters in a file of exactly 1,000 is 20%: kept; one character more is not
  const base = page(text(200), 0).length;
  const share = (pad: number) => reason(page(text(200), pad), { language: 'HTML' }, { encoded_data: false });
  assert.equal(page(text(200), 1000 - base).length, 1000);
  assert.equal(share(1000 - base), 'kept');
  assert.equal(share(1001 - base), 'html_little_text');
});

test('"Text: only files named requirements.txt, readme, notes, todo, description, cmakelists"', () => {
  for (const p of ['README', 'docs/readme.txt', 'NOTES.md', 'todo.txt', 'Description', 'CMakeLists.txt', 'requirements.txt', 'requirements-dev.txt']) {
    assert.ok(isKeptTextName(p), p);
    assert.equal(reason(code(5), { language: 'Text', path: p }), 'kept', p);
  }
  for (const p of ['data.txt', 'notes_old/data.txt', 'my-readme.txt', 'LICENSE']) {
    assert.equal(reason(code(5), { language: 'Text', path: p }), 'text_not_kept', p);
  }
  assert.equal(reason(code(5), { language: 'Text', path: 'data.txt' }, { text_names: false }), 'kept');
});

test('an empty file is removed as empty (the paper leaves it open; "low alphabetic share" would misname it)', () => {
  assert.equal(reason(''), 'empty');
  assert.equal(reason('\n'), 'low_alpha', 'a lone line break is not empty, and has no letters');
});
