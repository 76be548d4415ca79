import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { RecordBatch } from '../../src/core/batch.js';
import type { ColumnSpec, Value } from '../../src/core/record.js';
import { ColumnarWriter, readColumnar } from '../../src/io/columnar/format.js';
import { sqlString, withDuck } from '../../src/io/duck.js';
import { ParquetWriter } from '../../src/io/writers/parquet.js';
import { tempDir } from '../helpers/fixtures.js';
import { realLines } from '../helpers/pools.js';

const COLUMNS: ColumnSpec[] = [
  { name: 'id', type: 'string' },
  { name: 'text', type: 'string' },
];

/** Real lines of many lengths (long ones above DuckDB's 12-byte inline limit), non-ASCII, emoji, nulls and empty strings. */
function records(n: number): { id: string; text: Value }[] {
  const lines = realLines('yaml', n);
  return Array.from({ length: n }, (_, i) => ({
    id: `r${i}`,
    text: i % 97 === 0 ? null : i % 89 === 0 ? '' : i % 5 === 0 ? `é${i}` : `${lines[i % lines.length].repeat(1 + (i % 40))} — ünïcødé ${i} 🦀`,
  }));
}

async function writeTcol(file: string, rows: { id: string; text: Value }[]): Promise<void> {
  const w = new ColumnarWriter(COLUMNS, file);
  const batch = new RecordBatch(rows.length);
  batch.setColumn(
    'id',
    rows.map((r) => r.id),
  );
  batch.setColumn(
    'text',
    rows.map((r) => r.text),
  );
  await w.writeBatch(batch);
  await w.close();
}

const everyThird = (n: number) => Int32Array.from({ length: Math.ceil(n / 3) }, (_, k) => 3 * k);

test('an intermediate file’s string column reaches the next file and Parquet as bytes, equal to its decoded values', async () => {
  const dir = tempDir();
  const rows = records(5000);
  const first = path.join(dir, 'a.tcol');
  await writeTcol(first, rows);
  const copy = new ColumnarWriter(COLUMNS, path.join(dir, 'b.tcol'));
  const parquet = new ParquetWriter(COLUMNS, () => path.join(dir, 'c.parquet'));
  for (const batch of readColumnar(first)) {
    const text = batch.encodedColumn('text');
    assert.ok(text, 'the column stays encoded until asked for');
    for (let i = 0; i < batch.length; i++) {
      const want = rows[i].text;
      assert.equal(text.isPresent(i) ? text.value(i) : null, want);
      assert.equal(text.isPresent(i) ? text.byteLength(i) : 0, want === null ? 0 : Buffer.byteLength(want as string));
      assert.equal(batch.record(i).text, want);
    }
    await copy.writeBatch(batch, everyThird(batch.length));
    await parquet.writeBatch(batch, everyThird(batch.length));
    assert.ok(batch.encodedColumn('text'), 'writing did not decode it');
    assert.deepEqual(
      batch.column('text'),
      rows.map((r) => r.text),
      'decoded on request, all of it',
    );
    assert.equal(batch.encodedColumn('text'), undefined, 'once decoded, the values speak for the column');
  }
  await copy.close();
  await parquet.close();
  const kept = [...everyThird(rows.length)].map((i) => rows[i]);
  const again = [...readColumnar(path.join(dir, 'b.tcol'))].flatMap((b) => Array.from({ length: b.length }, (_, i) => ({ id: b.column('id')![i], text: b.column('text')![i] })));
  assert.deepEqual(again, kept);
  const fromParquet = await withDuck(async (c) => (await c.runAndReadAll(`SELECT id, text FROM read_parquet(${sqlString(path.join(dir, 'c.parquet'))})`)).getRowObjectsJS());
  assert.deepEqual(fromParquet, kept);
});

test('a row boundary inside a character (lone surrogates that pair up when joined) falls back to decoding, with the same values as before', async () => {
  const dir = tempDir();
  const rows = records(50);
  rows[10].text = 'ends high \ud83e';
  rows[11].text = '\udd80 starts low';
  const file = path.join(dir, 'a.tcol');
  await writeTcol(file, rows);
  const [batch] = [...readColumnar(file)];
  assert.equal(batch.encodedColumn('text'), undefined);
  const parquet = new ParquetWriter(COLUMNS, () => path.join(dir, 'c.parquet'));
  await parquet.writeBatch(batch);
  await parquet.close();
  const values = batch.column('text')!;
  assert.deepEqual(
    values.slice(12),
    rows.slice(12).map((r) => r.text),
  );
  assert.equal(`${values[10] as string}${values[11] as string}`, 'ends high 🦀 starts low');
});
