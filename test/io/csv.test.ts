import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { CsvReader } from '../../src/io/readers/csv.js';
import { JsonlReader } from '../../src/io/readers/jsonl.js';
import { openReader } from '../../src/io/open.js';
import { InputError } from '../../src/core/errors.js';
import { contentIdOfText } from '../../src/core/hashing.js';
import type { Manifest } from '../../src/release/manifest.js';
import { readShards } from '../../src/engine/shard-reader.js';
import { collect, METACLIP_JSONL_GZ, tempDir } from './helpers.js';
import { thresher } from '../helpers/cli.js';
import { needsShared, sharedPath } from '../helpers/shared.js';

/** A field as a CSV writer quotes it: always quoted, quotes doubled. */
function quoted(v: unknown, d: string): string {
  if (v === null || v === undefined) return '';
  const s = String(v);
  return s.includes('"') || s.includes(d) || s.includes('\n') || s.includes('\r') || s === '' ? `"${s.replace(/"/g, '""')}"` : s;
}

function table(rows: unknown[][], d: string): string {
  return rows.map((r) => r.map((v) => quoted(v, d)).join(d)).join('\n') + '\n';
}

const POOL = [
  ['url', 'caption', 'sha256'],
  ['http://example.org/a.jpg', 'a dog, a cat, and a bird', 'aa'],
  ['http://example.org/b.jpg', 'first line\nsecond line, with "quotes"', 'bb'],
  ['http://example.org/c.jpg', 'ünïcödé ✓ 𝄞 日本語のキャプション', 'cc'],
  ['http://example.org/d.jpg', null, 'dd'],
  ['http://example.org/e.jpg', 'tab\tinside', 'ee'],
];

for (const [ext, d] of [
  ['csv', ','],
  ['tsv', '\t'],
] as const) {
  test(`csv: a ${ext.toUpperCase()} with quoted delimiters, newlines in quotes, UTF-8 and a missing caption`, async (t) => {
    const dir = tempDir(t);
    const file = path.join(dir, `pool.${ext}`);
    writeFileSync(file, table(POOL, d));
    const reader = new CsvReader(file, { contentField: 'caption' }); // delimiter from the name
    const { records, excluded } = await collect(reader, 'fail');
    assert.deepEqual(
      reader.columns.map((c) => `${c.name}:${c.type}`),
      ['id:string', 'source:string', 'source_row:int64', 'content_id:string', 'url:string', 'caption:string', 'sha256:string'],
    );
    assert.deepEqual(
      records.map((r) => r.caption),
      [POOL[1][1], POOL[2][1], POOL[3][1], POOL[5][1]],
    );
    assert.deepEqual(records[1], {
      id: `pool.${ext}:1`,
      source: `pool.${ext}`,
      source_row: 1,
      content_id: contentIdOfText(POOL[2][1] as string, 'swh'),
      url: 'http://example.org/b.jpg',
      caption: POOL[2][1],
      sha256: 'bb',
    });
    assert.equal(records[3].source_row, 4, 'rows after an excluded one keep their place');
    assert.deepEqual(
      excluded.map((e) => [e.reason, e.source_row]),
      [['no_content', 3]],
    );
  });
}

test('csv: a ragged row and a bad quote are bad_record under quarantine, an InputError naming file and row under fail', async (t) => {
  const dir = tempDir(t);
  const file = path.join(dir, 'pool.csv');
  writeFileSync(file, 'url,caption\nhttp://a/0,"zero, ok"\nhttp://a/1,one,extra\nhttp://a/2,"two\nlines"\nhttp://a/3,"bad"quote"\nhttp://a/4,four\n');
  const { records, excluded } = await collect(new CsvReader(file, { contentField: 'caption', idField: 'url' }), 'quarantine');
  assert.deepEqual(
    records.map((r) => [r.id, r.source_row, r.caption]),
    [
      ['http://a/0', 0, 'zero, ok'],
      ['http://a/2', 2, 'two\nlines'],
      ['http://a/4', 4, 'four'],
    ],
  );
  assert.deepEqual(
    excluded.map((e) => [e.id, e.reason, e.source_row]),
    [
      ['pool.csv:1', 'bad_record', 1],
      ['pool.csv:3', 'bad_record', 3],
    ],
  );
  assert.match(excluded[0].detail!, /row 1 \(line 3\).*Expected Number of Columns: 2 Found: 3/);
  assert.match(excluded[1].detail!, /unterminated quote/);

  await assert.rejects(
    collect(new CsvReader(file, { contentField: 'caption' }), 'fail'),
    (err: unknown) => err instanceof InputError && err.file === 'pool.csv' && err.row === 1 && !err.message.includes('\n'),
  );
});

test('csv: declared column types, an explicit delimiter, a value not of its type is a bad row', async (t) => {
  const dir = tempDir(t);
  const file = path.join(dir, 'pool.txt.csv');
  writeFileSync(file, 'id;text;width;score;ok\nx1;hello;640;0.5;true\nx2;world;wide;1.5;false\n');
  const reader = openReader({
    type: 'csv',
    path: file,
    delimiter: ';',
    idField: 'id',
    columns: [
      { name: 'width', type: 'int64' },
      { name: 'score', type: 'float64' },
    ],
  });
  const { records, excluded } = await collect(reader, 'quarantine');
  assert.deepEqual(records, [{ id: 'x1', source: 'pool.txt.csv', source_row: 0, content_id: contentIdOfText('hello', 'swh'), text: 'hello', width: 640, score: 0.5, ok: 'true' }]);
  assert.deepEqual(
    excluded.map((e) => [e.reason, e.source_row]),
    [['bad_record', 1]],
  );
  assert.throws(() => new CsvReader(file, { columns: [{ name: 'v', type: 'float32[]' }] }), /scalars only/);
});

test('csv: a folder of .csv and .tsv.gz files; a later file missing a column gives null', async (t) => {
  const dir = tempDir(t);
  writeFileSync(path.join(dir, 'a.csv'), 'url,caption,sha256\nhttp://a/0,zero,s0\n');
  writeFileSync(path.join(dir, 'b.tsv.gz'), gzipSync('caption\turl\n"one, \t1"\thttp://b/0\n'));
  writeFileSync(path.join(dir, 'notes.txt'), 'not a table\n');
  const reader = openReader({ type: 'csv', path: dir, contentField: 'caption', contentId: 'none' });
  const { records } = await collect(reader, 'fail');
  assert.deepEqual(records, [
    { id: 'a.csv:0', source: 'a.csv', source_row: 0, url: 'http://a/0', caption: 'zero', sha256: 's0' },
    { id: 'b.tsv.gz:0', source: 'b.tsv.gz', source_row: 0, url: 'http://b/0', caption: 'one, \t1', sha256: null },
  ]);
});

async function release(dir: string): Promise<Record<string, unknown>[]> {
  const m = JSON.parse(readFileSync(path.join(dir, 'v1', 'manifest.json'), 'utf8')) as Manifest;
  const rows = [];
  for await (const r of readShards(m.files.filter((f) => f.path.startsWith('data/')).map((f) => path.join(dir, 'v1', f.path)))) rows.push(r);
  return rows;
}

test('csv: MetaCLIP matching on the 10,000 real alt-texts as a TSV gives the reference matches', needsShared, async (t) => {
  const dir = tempDir(t);
  const { records } = await collect(new JsonlReader(METACLIP_JSONL_GZ, { contentField: 'TEXT' }), 'fail');
  const tsv = path.join(dir, 'pool.tsv');
  writeFileSync(tsv, table([['key', 'url', 'caption'], ...records.map((r) => [r.__index_level_0__, r.URL, r.TEXT])], '\t'));
  const metadata = sharedPath('data', 'metaclip', 'metadata-wn30.json.gz');
  const yaml = path.join(dir, 'p.yaml');
  writeFileSync(
    yaml,
    `name: csvpool\ninput:\n  type: csv\n  path: ${JSON.stringify(tsv)}\n  content_field: caption\n  columns: [{ name: key, type: int64 }]\nstages:\n  - metaclip_match:\n      metadata: ${JSON.stringify(metadata)}\noutput:\n  path: out\nexecution:\n  tasks: 2\n  seed: 7\n`,
  );
  const r = thresher(['run', yaml, '-q']);
  assert.equal(r.status, 0, r.stderr);
  const rows = await release(path.join(dir, 'out'));
  const captions = new Map(records.map((x) => [x.__index_level_0__ as number, x.TEXT]));
  const reference = gunzipSync(readFileSync(sharedPath('data', 'metaclip', 'reference', 'web-alt-text-10k.matches.jsonl.gz')))
    .toString('utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { id: string; matches: number[] });
  const byKey = new Map(rows.map((row) => [row.key as number, row]));
  assert.equal(rows.length, records.filter((x) => typeof x.TEXT === 'string' && x.TEXT !== '').length);
  for (const ref of reference) {
    const row = byKey.get(Number(ref.id));
    if (captions.get(Number(ref.id)) === '') continue; // an empty caption is no_content in a CSV (null and "" are one)
    assert.ok(row, `key ${ref.id}`);
    assert.equal(row.caption, captions.get(Number(ref.id)), 'the caption survives quoting, tabs and newlines');
    assert.deepEqual(row.metaclip_matches, ref.matches, `key ${ref.id}`);
  }
});
