import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { JsonlReader } from '../../src/io/readers/jsonl.js';
import { ParquetReader } from '../../src/io/readers/parquet.js';
import { ParquetWriter } from '../../src/io/writers/parquet.js';
import { InputError, ThresherError } from '../../src/core/errors.js';
import { sha256Hex } from '../../src/core/hashing.js';
import type { ColumnSpec, DataRecord } from '../../src/core/record.js';
import { collect, collectAllRanks, METACLIP_JSONL_GZ, oneLineNaming, tempDir } from './helpers.js';
import { needsShared } from '../helpers/shared.js';

async function metaclip(): Promise<{ columns: ColumnSpec[]; records: DataRecord[] }> {
  const reader = new JsonlReader(METACLIP_JSONL_GZ, { contentField: 'TEXT' });
  const { records } = await collect(reader, 'fail');
  return { columns: reader.columns, records };
}

async function writeAll(columns: ColumnSpec[], records: DataRecord[], pathFor: (i: number) => string, opts = {}) {
  const w = new ParquetWriter(columns, pathFor, opts);
  for (const r of records) await w.write(r);
  return w.close();
}

test('parquet: JSONL → Parquet → read back gives the same records', needsShared, async (t) => {
  const dir = tempDir(t);
  const { columns, records } = await metaclip();
  const files = await writeAll(columns, records, (i) => path.join(dir, `part-${i}.parquet`));
  assert.deepEqual(files, [{ path: path.join(dir, 'part-0.parquet'), rows: 10_000 }]);

  // thresher's own shards: provenance columns are kept as written
  const own = new ParquetReader(dir, { contentField: 'TEXT', provenance: 'columns' });
  const back = await collect(own, 'fail');
  assert.deepEqual(own.columns, columns);
  assert.deepEqual(back.records, records);

  // any Parquet file: provenance is the file; colliding columns are kept as input_<name>
  const fresh = new ParquetReader(path.join(dir, 'part-0.parquet'), { contentField: 'TEXT' });
  const again = await collect(fresh, 'fail');
  assert.equal(again.records.length, 10_000);
  assert.deepEqual(again.records[3], {
    id: 'part-0.parquet:3',
    source: 'part-0.parquet',
    source_row: 3,
    content_id: records[3].content_id,
    input_id: records[3].id,
    input_source: records[3].source,
    input_source_row: records[3].source_row,
    input_content_id: records[3].content_id,
    URL: records[3].URL,
    TEXT: records[3].TEXT,
    __index_level_0__: records[3].__index_level_0__,
  });
  const withId = await collect(new ParquetReader(path.join(dir, 'part-0.parquet'), { contentField: 'TEXT', idField: 'URL' }), 'fail');
  assert.equal(withId.records[3].id, records[3].URL);
});

const ALL_TYPES: ColumnSpec[] = [
  { name: 'id', type: 'string' },
  { name: 'text', type: 'string' },
  { name: 'n', type: 'int64' },
  { name: 'x', type: 'float64' },
  { name: 'flag', type: 'bool' },
  { name: 'tokens', type: 'int32[]' },
  { name: 'emb', type: 'float32[]' },
  { name: 'langs', type: 'string[]' },
];

function typedRecords(n: number): DataRecord[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `r${i}`,
    text: i % 10 === 3 ? 'ünïcödé ✓ 𝄞' : `text ${i}`,
    n: i === 7 ? null : i * 1_000_003,
    x: i / 4,
    flag: i % 3 === 0,
    tokens: [i, -i - 1, 2147483647],
    emb: [0.5, -1.25, i],
    langs: i % 2 ? ['en', 'fr'] : [],
  }));
}

test('parquet: every column type round-trips; nulls stay null', async (t) => {
  const dir = tempDir(t);
  const recs = typedRecords(50);
  recs[4].langs = null;
  recs[5].tokens = undefined;
  await writeAll(ALL_TYPES, recs, () => path.join(dir, 't.parquet'));
  const reader = new ParquetReader(path.join(dir, 't.parquet'), { idField: 'id' });
  const { records } = await collect(reader, 'fail');
  assert.deepEqual(
    reader.columns.map((c) => `${c.name}:${c.type}`),
    ['id:string', 'source:string', 'source_row:int64', 'content_id:string', 'text:string', 'n:int64', 'x:float64', 'flag:bool', 'tokens:int32[]', 'emb:float32[]', 'langs:string[]'],
  );
  const strip = (r: DataRecord) => ({ ...r, source: undefined, source_row: undefined, content_id: undefined });
  assert.deepEqual(
    records.map(strip),
    recs.map((r) => strip({ ...r, tokens: r.tokens ?? null })),
  );
});

test('parquet: the same records give byte-identical files (also across a roll-over)', needsShared, async (t) => {
  const dir = tempDir(t);
  const { columns, records } = await metaclip();
  const a = await writeAll(columns, records, (i) => path.join(dir, `a-${i}.parquet`));
  const b = await writeAll(columns, records, (i) => path.join(dir, `b-${i}.parquet`));
  const hash = (p: string) => sha256Hex(readFileSync(p));
  assert.equal(hash(a[0].path), hash(b[0].path));
  // the second shard of a rolled write equals a file written from those records alone
  const rolled = await writeAll(columns, records, (i) => path.join(dir, `c-${i}.parquet`), { maxRows: 6000 });
  const alone = await writeAll(columns, records.slice(6000), () => path.join(dir, 'd.parquet'));
  assert.equal(rolled.length, 2);
  assert.equal(hash(rolled[1].path), hash(alone[0].path));
});

test('parquet: shards roll over by rows and by bytes', needsShared, async (t) => {
  const dir = tempDir(t);
  const { columns, records } = await metaclip();
  const byRows = await writeAll(columns, records, (i) => path.join(dir, 'rows', `part-${String(i).padStart(3, '0')}.parquet`), { maxRows: 3000 });
  assert.deepEqual(
    byRows.map((f) => f.rows),
    [3000, 3000, 3000, 1000],
  );
  assert.deepEqual(readdirSync(path.join(dir, 'rows')), ['part-000.parquet', 'part-001.parquet', 'part-002.parquet', 'part-003.parquet']);
  const maxBytes = 256 * 1024;
  const byBytes = await writeAll(columns, records, (i) => path.join(dir, 'bytes', `part-${i}.parquet`), { maxBytes });
  assert.ok(byBytes.length > 3, `${byBytes.length} shards`);
  assert.equal(
    byBytes.reduce((s, f) => s + f.rows, 0),
    10_000,
  );
  // reading the shards back in name order gives the records in order
  const back = await collect(new ParquetReader(path.join(dir, 'rows'), { contentField: 'TEXT', provenance: 'columns' }), 'fail');
  assert.deepEqual(
    back.records.map((r) => r.id),
    records.map((r) => r.id),
  );
});

test('parquet: files appear only at close; abort leaves nothing', async (t) => {
  const dir = tempDir(t);
  const recs = typedRecords(100);
  const w = new ParquetWriter(ALL_TYPES, (i) => path.join(dir, `p-${i}.parquet`), { maxRows: 30 });
  for (const r of recs) await w.write(r);
  const before = readdirSync(dir);
  // three shards are finished; the last one's COPY may still be running (write-behind)
  assert.ok(before.length >= 2 && before.every((n) => n.startsWith('.p-') && n.includes('.tmp-')), before.join(','));
  const written = await w.close();
  assert.deepEqual(readdirSync(dir).sort(), ['p-0.parquet', 'p-1.parquet', 'p-2.parquet', 'p-3.parquet']);
  assert.deepEqual(
    written.map((f) => f.rows),
    [30, 30, 30, 10],
  );

  // nothing written: no file at all
  const empty = new ParquetWriter(ALL_TYPES, () => path.join(dir, 'empty.parquet'));
  assert.deepEqual(await empty.close(), []);
  assert.equal(existsSync(path.join(dir, 'empty.parquet')), false);

  const dir2 = path.join(dir, 'aborted');
  const w2 = new ParquetWriter(ALL_TYPES, (i) => path.join(dir2, `p-${i}.parquet`), { maxRows: 30 });
  for (const r of recs) await w2.write(r);
  assert.ok(readdirSync(dir2).length > 0);
  await w2.abort();
  assert.deepEqual(readdirSync(dir2), []);
  await assert.rejects(w2.write(recs[0]), ThresherError);
});

test('parquet: a value that does not fit its column is an error naming record and column', async (t) => {
  const dir = tempDir(t);
  const w = new ParquetWriter(ALL_TYPES, () => path.join(dir, 'x.parquet'));
  await assert.rejects(w.write({ id: 'r1', n: 'twelve' }), (err) => err instanceof ThresherError && err.message === 'record r1: column "n" (int64) cannot hold "twelve"');
  await assert.rejects(w.write({ id: 'r2', tokens: [1.5] }), /column "tokens" \(int32\[\]\)/);
  await w.abort();
  assert.equal(existsSync(path.join(dir, 'x.parquet')), false);
});

test('parquet: corrupt and truncated files: one line naming the file; quarantine excludes them', async (t) => {
  const dir = tempDir(t);
  const good = (await writeAll(ALL_TYPES, typedRecords(20), () => path.join(dir, 'good.parquet')))[0].path;
  writeFileSync(path.join(dir, 'garbage.parquet'), 'this is not parquet at all, just some text that is long enough');
  const bytes = readFileSync(good);
  writeFileSync(path.join(dir, 'truncated.parquet'), bytes.subarray(0, Math.floor(bytes.length / 2)));
  for (const name of ['garbage.parquet', 'truncated.parquet']) {
    await assert.rejects(collect(new ParquetReader(path.join(dir, name)), 'fail'), (err) => {
      assert.ok(err instanceof InputError, String(err));
      assert.equal(err.file, name);
      assert.match(err.message, /corrupt Parquet: .*(magic bytes|Parquet)/i);
      return oneLineNaming(err, name);
    });
  }
  const { records, excluded } = await collect(new ParquetReader(dir), 'quarantine');
  assert.equal(records.length, 20);
  assert.deepEqual(
    excluded.map((e) => `${e.id}:${e.reason}`),
    ['garbage.parquet:corrupt', 'truncated.parquet:corrupt'],
  );
  await assert.rejects(new ParquetReader(path.join(dir, 'missing.parquet')).listFiles(), (err) => err instanceof InputError && oneLineNaming(err, 'missing.parquet'));
});

test('parquet: null and missing content; split by row ranges across ranks', async (t) => {
  const dir = tempDir(t);
  const recs = typedRecords(5000);
  recs[10].text = null;
  await writeAll(ALL_TYPES, recs, () => path.join(dir, 'a.parquet'), { rowGroupSize: 1000 });
  await writeAll(ALL_TYPES, typedRecords(7), () => path.join(dir, 'b.parquet'));
  const whole = (await collectAllRanks(new ParquetReader(dir, { splitMinBytes: 1 }), 1))[0];
  assert.equal(whole.length, 5007);
  assert.equal(whole[10].excluded?.reason, 'no_content');
  const ids = (items: typeof whole) => items.map((i) => (i.record ?? i.excluded)!.id);
  for (const world of [2, 3, 8]) {
    const reader = new ParquetReader(dir, { splitMinBytes: 1 });
    const files = await reader.listFiles();
    assert.equal(files[0].rows, 5000);
    assert.ok(
      reader.slices(files, 0, world).some((s) => s.rowEnd !== undefined),
      'split by rows',
    );
    const parts = await collectAllRanks(reader, world);
    assert.deepEqual(ids(parts.flat()), ids(whole), `world ${world}`);
  }
});

test('parquet: damage in the middle of a file is reported, not a silently short read', async (t) => {
  // DuckDB's streaming fetch ends without an error when a page fails to decode; the reader
  // checks the row count against the footer and reports the damage at the first unread row.
  const dir = tempDir(t);
  const cols: ColumnSpec[] = [
    { name: 'id', type: 'string' },
    { name: 'text', type: 'string' },
    { name: 'n', type: 'int64' },
  ];
  const N = 100_000;
  const recs = Array.from({ length: N }, (_, i) => ({ id: `r${i}`, text: `text ${i} ${'abcdefghij'.repeat(i % 20)}`, n: i }));
  const good = (await writeAll(cols, recs, () => path.join(dir, 'good.parquet'), { rowGroupSize: 2048 }))[0].path;
  const bytes = Buffer.from(readFileSync(good));
  const at = Math.floor(bytes.length * 0.7);
  bytes.fill(0x55, at, at + 3000);
  const bad = path.join(dir, 'damaged.parquet');
  writeFileSync(bad, bytes);
  const { records, excluded } = await collect(new ParquetReader(bad), 'quarantine');
  assert.ok(records.length > 0 && records.length < N, `${records.length} records`);
  assert.deepEqual(
    excluded.map((e) => [e.id, e.reason, e.source_row]),
    [[`damaged.parquet:${records.length}`, 'corrupt', records.length]],
  );
  assert.match(excluded[0].detail!, /^corrupt Parquet: .*damaged\.parquet/);
  assert.ok(records.every((r, i) => r.text === recs[i].text && r.n === i));
  await assert.rejects(collect(new ParquetReader(bad), 'fail'), (err) => err instanceof InputError && oneLineNaming(err, 'damaged.parquet', records.length));
});

test('parquet: id_field with provenance: columns is refused, naming the pipeline key', () => {
  assert.throws(
    () => new ParquetReader('x.parquet', { idField: 'k', provenance: 'columns' }),
    (err: unknown) => err instanceof InputError && err.message === 'x.parquet: id_field cannot be used with provenance: columns',
  );
});

test('parquet: edge values survive the direct chunk fill (inline string limit, non-ASCII, int64 range, empty lists)', async (t) => {
  const dir = tempDir(t);
  const strings = ['', 'a', 'exactly12chr', 'thirteen-char', 'é', 'ünïcödé', '𝄞𝄞𝄞', 'x'.repeat(5000)];
  const ints = [0, -1, 1, 2 ** 31, -(2 ** 31) - 1, 2 ** 32, -(2 ** 32), Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER];
  const recs: DataRecord[] = Array.from({ length: 5000 }, (_, i) => ({
    id: strings[i % strings.length] + i,
    text: strings[i % strings.length],
    n: ints[i % ints.length],
    x: i % 11 === 0 ? null : -i / 3,
    flag: i % 5 === 0 ? null : i % 2 === 0,
    tokens: i % 13 === 0 ? [] : [i, -2147483648],
    emb: i % 7 === 0 ? null : [i / 8],
    langs: [strings[i % strings.length], 'en'],
  }));
  await writeAll(ALL_TYPES, recs, () => path.join(dir, 'e.parquet'));
  const { records } = await collect(new ParquetReader(path.join(dir, 'e.parquet'), { idField: 'id' }), 'fail');
  const strip = (r: DataRecord) => ({ ...r, source: undefined, source_row: undefined, content_id: undefined });
  assert.deepEqual(records.map(strip), recs.map(strip));
  await assert.rejects(
    writeAll(ALL_TYPES, [{ id: 'big', n: 2 ** 64 }], () => path.join(dir, 'f.parquet')),
    /record big: column "n" \(int64\)/,
  );
});
