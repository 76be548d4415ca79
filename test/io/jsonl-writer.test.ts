import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { JsonlWriter } from '../../src/io/writers/jsonl.js';
import { JsonlReader } from '../../src/io/readers/jsonl.js';
import { sha256Hex } from '../../src/core/hashing.js';
import { ThresherError } from '../../src/core/errors.js';
import type { ColumnSpec, DataRecord } from '../../src/core/record.js';
import { collect, METACLIP_JSONL_GZ, tempDir } from './helpers.js';
import { needsShared } from '../helpers/shared.js';

async function writeAll(columns: ColumnSpec[], records: DataRecord[], pathFor: (i: number) => string, opts = {}) {
  const w = new JsonlWriter(columns, pathFor, opts);
  for (const r of records) await w.write(r);
  return w.close();
}

test('jsonl writer: gzip output is deterministic (no name, mtime 0) and reads back equal', needsShared, async (t) => {
  const dir = tempDir(t);
  const reader = new JsonlReader(METACLIP_JSONL_GZ, { contentField: 'TEXT' });
  const { records } = await collect(reader, 'fail');
  const a = await writeAll(reader.columns, records, (i) => path.join(dir, `a-${i}.jsonl.gz`));
  const b = await writeAll(reader.columns, records, (i) => path.join(dir, `b-${i}.jsonl.gz`));
  const bytes = readFileSync(a[0].path);
  assert.equal(sha256Hex(bytes), sha256Hex(readFileSync(b[0].path)));
  assert.deepEqual([...bytes.subarray(0, 4)], [0x1f, 0x8b, 8, 0], 'gzip header without FNAME');
  assert.deepEqual([...bytes.subarray(4, 8)], [0, 0, 0, 0], 'mtime 0');
  const first = JSON.parse(gunzipSync(bytes).toString('utf8').split('\n')[0]);
  assert.deepEqual(
    Object.keys(first),
    reader.columns.map((c) => c.name),
  );
  // provenance columns come back as input_<name>; everything else is equal
  const back = await collect(new JsonlReader(a[0].path, { contentField: 'TEXT', idField: 'id' }), 'fail');
  assert.equal(back.records.length, 10_000);
  assert.deepEqual(back.records[7], {
    ...records[7],
    source: 'a-0.jsonl.gz',
    source_row: 7,
    input_source: records[7].source,
    input_source_row: records[7].source_row,
    input_content_id: records[7].content_id,
  });
});

test('jsonl writer: plain files roll by rows and bytes, appear at close, abort cleans up', async (t) => {
  const dir = tempDir(t);
  const cols: ColumnSpec[] = [
    { name: 'id', type: 'string' },
    { name: 'text', type: 'string' },
    { name: 'v', type: 'float32[]' },
  ];
  const recs = Array.from({ length: 25 }, (_, i) => ({ id: `r${i}`, text: 'x'.repeat(i), v: [i, 0.5] }));
  const w = new JsonlWriter(cols, (i) => path.join(dir, 'rows', `part-${i}.jsonl`), { maxRows: 10 });
  for (const r of recs) await w.write(r);
  assert.ok(readdirSync(path.join(dir, 'rows')).every((n) => n.includes('.tmp-')));
  const files = await w.close();
  assert.deepEqual(
    files.map((f) => [path.basename(f.path), f.rows]),
    [
      ['part-0.jsonl', 10],
      ['part-1.jsonl', 10],
      ['part-2.jsonl', 5],
    ],
  );
  assert.equal(
    readFileSync(files[2].path, 'utf8'),
    recs
      .slice(20)
      .map((r) => JSON.stringify(r) + '\n')
      .join(''),
  );
  const byBytes = await writeAll(cols, recs, (i) => path.join(dir, 'bytes', `part-${i}.jsonl`), { maxBytes: 200 });
  for (const f of byBytes) assert.ok(readFileSync(f.path).length <= 200 || f.rows === 1);
  assert.equal(
    byBytes.reduce((s, f) => s + f.rows, 0),
    25,
  );

  const w2 = new JsonlWriter(cols, (i) => path.join(dir, 'ab', `part-${i}.jsonl.gz`), { maxRows: 10 });
  for (const r of recs) await w2.write(r);
  await w2.abort();
  assert.deepEqual(readdirSync(path.join(dir, 'ab')), []);
  const w3 = new JsonlWriter(cols, () => path.join(dir, 'bad.jsonl'));
  await assert.rejects(w3.write({ id: 'q', text: 3 }), ThresherError);
  await w3.abort();
});
