import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync, copyFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { JsonlReader } from '../../src/io/readers/jsonl.js';
import { InputError } from '../../src/core/errors.js';
import { swhContentId } from '../../src/core/hashing.js';
import type { ReadItem } from '../../src/io/types.js';
import { collect, collectAllRanks, hasCommand, METACLIP_JSONL_GZ, oneLineNaming, run, tempDir } from './helpers.js';
import { needsShared } from '../helpers/shared.js';

const summary = (items: ReadItem[]) => items.map((i) => (i.record ? `${i.record.id}` : `${i.excluded!.id}!${i.excluded!.reason}`));

test('jsonl: the real MetaCLIP alt-text file (gzip) reads as 10,000 records with inferred columns', needsShared, async () => {
  const reader = new JsonlReader(METACLIP_JSONL_GZ, { contentField: 'TEXT' });
  const { records, excluded } = await collect(reader, 'fail');
  assert.equal(records.length, 10_000);
  assert.equal(excluded.length, 0);
  assert.equal(reader.contentColumn, 'TEXT');
  assert.deepEqual(reader.columns, [
    { name: 'id', type: 'string' },
    { name: 'source', type: 'string' },
    { name: 'source_row', type: 'int64' },
    { name: 'content_id', type: 'string' },
    { name: 'URL', type: 'string' },
    { name: 'TEXT', type: 'string' },
    { name: '__index_level_0__', type: 'int64' },
  ]);
  const first = JSON.parse(gunzipSync(readFileSync(METACLIP_JSONL_GZ)).toString('utf8').split('\n')[0]);
  assert.deepEqual(records[0], {
    id: 'web-alt-text-10k.jsonl.gz:0',
    source: 'web-alt-text-10k.jsonl.gz',
    source_row: 0,
    content_id: swhContentId(Buffer.from(first.TEXT, 'utf8')),
    URL: first.URL,
    TEXT: first.TEXT,
    __index_level_0__: 0,
  });
  assert.ok(records.every((r, i) => r.source_row === i));
});

test('jsonl: plain, gzip and zstd give the same records', needsShared, async (t) => {
  const dir = tempDir(t);
  const plain = path.join(dir, 'alt.jsonl');
  writeFileSync(plain, gunzipSync(readFileSync(METACLIP_JSONL_GZ)));
  copyFileSync(METACLIP_JSONL_GZ, path.join(dir, 'alt.jsonl.gz'));
  const variants = ['alt.jsonl', 'alt.jsonl.gz'];
  if (hasCommand('zstd')) {
    run('zstd', ['-q', '-19', plain, '-o', path.join(dir, 'alt.jsonl.zst')]);
    variants.push('alt.jsonl.zst');
  } else {
    t.diagnostic('zstd CLI not installed: .zst variant not checked (fzstd only decompresses)');
  }
  const strip = (r: Record<string, unknown>) => ({ ...r, id: undefined, source: undefined });
  const base = (await collect(new JsonlReader(plain, { contentField: 'TEXT' }), 'fail')).records.map(strip);
  for (const v of variants.slice(1)) {
    const got = (await collect(new JsonlReader(path.join(dir, v), { contentField: 'TEXT' }), 'fail')).records;
    assert.equal(got[5].id, `${v}:5`);
    assert.deepEqual(got.map(strip), base, v);
  }
});

const MIXED = [
  '{"id": "a", "text": "first", "n": 1, "score": 0.5, "ok": true, "meta": {"k": [1, 2]}, "source": "web", "tags": ["x"]}',
  '',
  '{"id": "b", "text": "second\\u00e9", "n": 2, "score": 1, "ok": false, "meta": null, "source": "books", "tags": []}\r',
  '   ',
  '{"id": "c", "text": null, "n": 3}',
  '{"id": "d", "n": 4}',
  '{"id": "e", "text": "last", "n": 5, "extra": "only here"}',
].join('\n');

test('jsonl: columns, idField, nested values, provenance collisions, blank lines, null content', async (t) => {
  const dir = tempDir(t);
  const file = path.join(dir, 'mixed.jsonl');
  writeFileSync(file, MIXED);
  const reader = new JsonlReader(file, { idField: 'id' });
  const { items, records, excluded } = await collect(reader, 'fail');
  assert.deepEqual(summary(items), ['a', 'b', 'mixed.jsonl:4!no_content', 'mixed.jsonl:5!no_content', 'e']);
  assert.deepEqual(
    reader.columns.map((c) => `${c.name}:${c.type}`),
    ['id:string', 'source:string', 'source_row:int64', 'content_id:string', 'text:string', 'n:int64', 'score:float64', 'ok:bool', 'meta:string', 'input_source:string', 'tags:string', 'extra:string'],
  );
  assert.deepEqual(records[0], {
    id: 'a',
    source: 'mixed.jsonl',
    source_row: 0,
    content_id: swhContentId(Buffer.from('first')),
    text: 'first',
    n: 1,
    score: 0.5,
    ok: true,
    meta: '{"k":[1,2]}',
    input_source: 'web',
    tags: '["x"]',
    extra: null,
  });
  assert.equal(records[1].source_row, 2);
  assert.equal(records[1].text, 'secondé');
  assert.equal(records[1].meta, null);
  assert.equal(records[2].source_row, 6);
  assert.equal(records[2].extra, 'only here');
  assert.equal(excluded[0].detail, 'field "text" is null');
  assert.equal(excluded[1].detail, 'field "text" is missing');
});

test('jsonl: declared columns; a value of the wrong type is a bad record', async (t) => {
  const dir = tempDir(t);
  const file = path.join(dir, 'typed.jsonl');
  writeFileSync(file, ['{"text": "a", "n": 1, "v": [0.5, 1]}', '{"text": "b", "n": 1.5}', '{"text": "c", "n": 3, "zzz": 1}'].join('\n') + '\n');
  const reader = new JsonlReader(file, {
    columns: [
      { name: 'n', type: 'int64' },
      { name: 'v', type: 'float32[]' },
    ],
  });
  assert.deepEqual(
    reader.columns.map((c) => c.name),
    ['id', 'source', 'source_row', 'content_id', 'text', 'n', 'v'],
  );
  const { items, records, excluded } = await collect(reader, 'quarantine');
  assert.deepEqual(summary(items), ['typed.jsonl:0', 'typed.jsonl:1!bad_record', 'typed.jsonl:2']);
  assert.deepEqual(records[0].v, [0.5, 1]);
  assert.equal(excluded[0].detail, 'field "n": expected int64, got 1.5');
  await assert.rejects(collect(new JsonlReader(file, { columns: [{ name: 'n', type: 'int64' }] }), 'fail'), (err) => err instanceof InputError && oneLineNaming(err, 'typed.jsonl', 1));
});

test('jsonl: invalid JSON, invalid UTF-8 and over-long lines: fail names file and row, quarantine goes on', async (t) => {
  const dir = tempDir(t);
  const file = path.join(dir, 'bad.jsonl');
  const huge = `{"text": "${'y'.repeat(3 * 1024 * 1024)}"}`;
  writeFileSync(
    file,
    Buffer.concat([
      Buffer.from('{"text": "ok0"}\n{"text": "broken"\n'),
      Buffer.from('{"text": "caf'),
      Buffer.from([0xe9]),
      Buffer.from('"}\n[1, 2]\n'),
      Buffer.from(huge + '\n'),
      Buffer.from('{"text": 42}\n{"text": "ok6"}'),
    ]),
  );
  const opts = { maxLineBytes: 64 * 1024 };
  const { items, excluded } = await collect(new JsonlReader(file, opts), 'quarantine');
  assert.deepEqual(summary(items), ['bad.jsonl:0', 'bad.jsonl:1!bad_record', 'bad.jsonl:2!bad_record', 'bad.jsonl:3!bad_record', 'bad.jsonl:4!bad_record', 'bad.jsonl:5!bad_record', 'bad.jsonl:6']);
  assert.match(excluded[0].detail!, /^invalid JSON: /);
  assert.equal(excluded[1].detail, 'invalid UTF-8');
  assert.equal(excluded[2].detail, 'not a JSON object');
  assert.equal(excluded[3].detail, `line of ${Buffer.byteLength(huge)} bytes is longer than max_line_bytes 65536`);
  assert.equal(excluded[3].bytes, Buffer.byteLength(huge));
  assert.equal(excluded[4].detail, 'field "text" is not a string');
  for (const e of excluded) assert.equal(e.source_row, Number(e.id.split(':')[1]));

  await assert.rejects(collect(new JsonlReader(file, opts), 'fail'), (err) => {
    assert.ok(err instanceof InputError);
    assert.equal(err.file, 'bad.jsonl');
    assert.equal(err.row, 1);
    assert.match(err.message, /^bad\.jsonl:row 1: invalid JSON: /);
    return oneLineNaming(err, 'bad.jsonl', 1);
  });
  // the same line within the default limit reads fine
  writeFileSync(file, huge + '\n');
  assert.equal((await collect(new JsonlReader(file), 'fail')).records.length, 1);
});

test('jsonl: truncated gzip yields every record before the damage, then a truncated error / exclusion', needsShared, async (t) => {
  const dir = tempDir(t);
  const gz = readFileSync(METACLIP_JSONL_GZ);
  const file = path.join(dir, 'cut.jsonl.gz');
  writeFileSync(file, gz.subarray(0, Math.floor(gz.length / 2)));
  const full = (await collect(new JsonlReader(METACLIP_JSONL_GZ, { contentField: 'TEXT' }), 'fail')).records;
  const q = await collect(new JsonlReader(file, { contentField: 'TEXT' }), 'quarantine');
  const n = q.records.length;
  assert.ok(n > 1000 && n < 10_000, `records before the damage: ${n}`);
  assert.deepEqual(
    q.records.map((r) => r.TEXT),
    full.slice(0, n).map((r) => r.TEXT),
  );
  assert.equal(q.excluded.length, 1);
  assert.equal(q.excluded[0].reason, 'truncated');
  assert.equal(q.excluded[0].source_row, n);
  assert.match(q.excluded[0].detail!, /truncated gzip stream/);

  let seen = 0;
  await assert.rejects(
    async () => {
      const r = new JsonlReader(file, { contentField: 'TEXT' });
      const files = await r.listFiles();
      for await (const it of r.read(r.slices(files, 0, 1), 'fail')) if (it.record) seen++;
    },
    (err) => err instanceof InputError && err.row === n && oneLineNaming(err, 'cut.jsonl.gz', n) && /truncated gzip/.test(err.message),
  );
  assert.equal(seen, n);

  // garbage that is not gzip at all
  const junk = path.join(dir, 'junk.jsonl.gz');
  writeFileSync(junk, 'this is not gzip\n');
  const j = await collect(new JsonlReader(junk), 'quarantine');
  assert.deepEqual(summary(j.items), ['junk.jsonl.gz:0!corrupt']);
  // an empty .gz is a truncated stream too
  writeFileSync(junk, '');
  assert.deepEqual(summary((await collect(new JsonlReader(junk), 'quarantine')).items), ['junk.jsonl.gz:0!truncated']);
});

test('jsonl: truncated zstd (fixture made with the zstd CLI at test time)', needsShared, async (t) => {
  if (!hasCommand('zstd')) {
    t.skip('zstd CLI not installed (fzstd can only decompress); install zstd to run this test');
    return;
  }
  const dir = tempDir(t);
  const plain = path.join(dir, 'alt.jsonl');
  writeFileSync(plain, gunzipSync(readFileSync(METACLIP_JSONL_GZ)));
  const whole = path.join(dir, 'whole.jsonl.zst');
  run('zstd', ['-q', plain, '-o', whole]);
  const z = readFileSync(whole);
  const file = path.join(dir, 'cut.jsonl.zst');
  writeFileSync(file, z.subarray(0, Math.floor(z.length * 0.6)));
  const q = await collect(new JsonlReader(file, { contentField: 'TEXT' }), 'quarantine');
  const n = q.records.length;
  assert.ok(n > 1000 && n < 10_000, `records before the damage: ${n}`);
  assert.deepEqual(summary(q.items.slice(n)), [`cut.jsonl.zst:${n}!truncated`]);
  assert.match(q.excluded[0].detail!, /truncated zstd stream/);
  await assert.rejects(collect(new JsonlReader(file, { contentField: 'TEXT' }), 'fail'), (err) => err instanceof InputError && err.row === n && oneLineNaming(err, 'cut.jsonl.zst', n));
});

test('jsonl: missing input, directory and glob inputs, file lists, clashing source names', async (t) => {
  const dir = tempDir(t);
  await assert.rejects(new JsonlReader(path.join(dir, 'nope.jsonl')).listFiles(), (err) => err instanceof InputError && oneLineNaming(err, 'nope.jsonl') && /no such file/.test(err.message));
  mkdirSync(path.join(dir, 'd/sub'), { recursive: true });
  writeFileSync(path.join(dir, 'd/b.jsonl'), '{"text": "b"}\n');
  writeFileSync(path.join(dir, 'd/sub/a.jsonl.gz'), gzipSync('{"text": "a"}\n'));
  writeFileSync(path.join(dir, 'd/notes.txt'), 'not jsonl');
  writeFileSync(path.join(dir, 'd/.b.jsonl.tmp-1'), 'temporary');
  const byDir = await collect(new JsonlReader(path.join(dir, 'd')), 'fail');
  assert.deepEqual(
    byDir.records.map((r) => r.id),
    ['b.jsonl:0', 'sub/a.jsonl.gz:0'],
  );
  const byGlob = await collect(new JsonlReader(path.join(dir, 'd/**/*.jsonl*')), 'fail');
  assert.deepEqual(
    byGlob.records.map((r) => r.id),
    ['b.jsonl:0', 'sub/a.jsonl.gz:0'],
  );
  await assert.rejects(new JsonlReader(path.join(dir, 'd/*.parquet')).listFiles(), InputError);
  writeFileSync(path.join(dir, 'b.jsonl'), '{"text": "other b"}\n');
  await assert.rejects(new JsonlReader([path.join(dir, 'b.jsonl'), path.join(dir, 'd/b.jsonl')]).listFiles(), /same source name "b.jsonl"/);
  const rooted = await collect(new JsonlReader([path.join(dir, 'b.jsonl'), path.join(dir, 'd/b.jsonl')], { root: dir }), 'fail');
  assert.deepEqual(
    rooted.records.map((r) => r.id),
    ['b.jsonl:0', 'd/b.jsonl:0'],
  );
});

test('jsonl: a big plain file split by byte ranges across ranks keeps exact rows and order', async (t) => {
  const dir = tempDir(t);
  const lines: string[] = [];
  for (let i = 0; i < 3000; i++) {
    if (i % 97 === 5) lines.push('');
    else if (i % 131 === 7) lines.push('{"text": bad json');
    else lines.push(JSON.stringify({ text: `row ${i} ` + 'z'.repeat((i * 7919) % 300), i }));
  }
  const file = path.join(dir, 'big.jsonl');
  writeFileSync(file, lines.join('\n') + '\n');
  writeFileSync(path.join(dir, 'small.jsonl.gz'), gzipSync('{"text": "s", "i": -1}\n'));
  const opts = { splitMinBytes: 1 };
  const whole = summary((await collectAllRanks(new JsonlReader(dir, opts), 1))[0]);
  assert.equal(whole.length, 3000 - Math.ceil((3000 - 5) / 97) + 1);
  for (const world of [2, 3, 7, 16]) {
    const reader = new JsonlReader(dir, opts);
    const files = await reader.listFiles();
    const slices = Array.from({ length: world }, (_, r) => reader.slices(files, r, world));
    assert.ok(
      slices.some((s) => s.some((x) => x.byteStart !== undefined && x.byteStart > 0)),
      'file is split',
    );
    const parts = await collectAllRanks(reader, world);
    assert.deepEqual(summary(parts.flat()), whole, `world ${world}`);
  }
  // records carry their true line numbers
  const rec = (await collectAllRanks(new JsonlReader(file, opts), 5)).flat().filter((i) => i.record);
  for (const it of rec) assert.equal(it.record!.i, it.record!.source_row);
});

test('jsonl: a UTF-8 BOM at byte 0 is not data (plain, gzip, split across ranks): rows, count and inferred columns exact', async (t) => {
  const dir = tempDir(t);
  // only row 0 has `lang`: inference sees it only if the BOM line parses
  const body = Array.from({ length: 300 }, (_, i) => JSON.stringify(i === 0 ? { text: 'row 0', i, lang: 'en' } : { text: `row ${i} ${'y'.repeat(i % 50)}`, i })).join('\n') + '\n';
  const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(body)]);
  writeFileSync(path.join(dir, 'bom.jsonl'), bytes);
  writeFileSync(path.join(dir, 'bom.jsonl.gz'), gzipSync(bytes));
  const check = (records: Record<string, unknown>[], label: string) => {
    assert.equal(records.length, 300, label);
    assert.deepEqual([records[0].text, records[0].lang, records[1].lang], ['row 0', 'en', null], label);
    for (const r of records) assert.equal(r.source_row, r.i, label);
  };
  for (const name of ['bom.jsonl', 'bom.jsonl.gz']) {
    const reader = new JsonlReader(path.join(dir, name));
    const { records, excluded } = await collect(reader, 'fail');
    assert.deepEqual(excluded, []);
    assert.ok(
      reader.columns.some((c) => c.name === 'lang'),
      `${name}: lang inferred`,
    );
    check(records, name);
  }
  for (const world of [2, 3, 7]) {
    const reader = new JsonlReader(path.join(dir, 'bom.jsonl'), { splitMinBytes: 1 });
    const files = await reader.listFiles();
    assert.ok(reader.slices(files, 1, world)[0].byteStart! > 0, 'file is split');
    const items = (await collectAllRanks(reader, world, 'fail')).flat();
    check(
      items.map((it) => it.record!),
      `world ${world}`,
    );
  }
});
