import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, truncateSync, statSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { RecordBatch } from '../../src/core/batch.js';
import type { ColumnSpec, Value } from '../../src/core/record.js';
import { ColumnarWriter, readColumnar } from '../../src/io/columnar/format.js';
import { tempDir } from '../helpers/fixtures.js';
import { realLines } from '../helpers/pools.js';

const COLUMNS: ColumnSpec[] = [
  { name: 'id', type: 'string' },
  { name: 'text', type: 'string' },
  { name: 'n', type: 'int64' },
  { name: 'score', type: 'float64' },
  { name: 'flag', type: 'bool' },
  { name: 'ids', type: 'int32[]' },
  { name: 'vec', type: 'float32[]' },
  { name: 'tags', type: 'string[]' },
];

/** Real text (non-ASCII included) with nulls, empty strings and empty lists sprinkled in. */
function rows(n: number): Record<string, Value>[] {
  const lines = realLines('yaml', n);
  return Array.from({ length: n }, (_, i) => ({
    id: `r${i}`,
    text: i % 97 === 0 ? null : i % 89 === 0 ? '' : `${lines[i % lines.length]} — ünïcødé ${i} 🦀`,
    n: i % 13 === 0 ? null : i * 1_000_003,
    score: i % 7 === 0 ? null : i / 7,
    flag: i % 5 === 0 ? null : i % 2 === 0,
    ids: i % 11 === 0 ? null : Array.from({ length: i % 6 }, (_, k) => k * 1000 - 2),
    vec: i % 3 === 0 ? [] : [0.5, -1.25, i],
    tags: i % 4 === 0 ? null : ['a', `t${i}`, 'ç'],
  }));
}

function toBatch(records: Record<string, Value>[]): RecordBatch {
  const b = new RecordBatch(records.length);
  for (const c of COLUMNS)
    b.setColumn(
      c.name,
      records.map((r) => r[c.name]),
    );
  return b;
}

async function writeFile(dir: string, records: Record<string, Value>[], selection?: Int32Array): Promise<string> {
  const file = path.join(dir, 'part-00000-0000.tcol');
  const w = new ColumnarWriter(COLUMNS, file);
  for (let off = 0; off < records.length; off += 3000) await w.writeBatch(toBatch(records.slice(off, off + 3000)), selection);
  const [out] = await w.close();
  assert.equal(out.path, file);
  return file;
}

function readAll(file: string): Record<string, Value>[] {
  const out: Record<string, Value>[] = [];
  for (const b of readColumnar(file)) for (let i = 0; i < b.length; i++) out.push(Object.fromEntries(COLUMNS.map((c) => [c.name, b.column(c.name)![i]])));
  return out;
}

test('columnar files round-trip every column type, nulls, empty values and non-ASCII text exactly', async () => {
  const dir = tempDir();
  const records = rows(10_000);
  const file = await writeFile(dir, records);
  assert.deepEqual(readAll(file), records);
  assert.deepEqual(readdirSync(dir), ['part-00000-0000.tcol'], 'no temporary file left');
});

test('columnar writer keeps only the selected rows, in order', async () => {
  const dir = tempDir();
  const records = rows(3000);
  const selection = Int32Array.from({ length: 1000 }, (_, k) => k * 3 + 1);
  const file = await writeFile(dir, records, selection);
  assert.deepEqual(
    readAll(file),
    [...selection].map((i) => records[i]),
  );
});

test('a truncated or corrupted columnar file is an error naming it, never a shorter input', async () => {
  const dir = tempDir();
  const file = await writeFile(dir, rows(5000));
  const bytes = readFileSync(file);
  const cut = path.join(dir, 'cut.tcol');
  writeFileSync(cut, bytes);
  truncateSync(cut, statSync(cut).size - 16); // the end record is gone
  assert.throws(() => readAll(cut), new RegExp(`${cut.replace(/[/.]/g, '\\$&')}: intermediate file ends inside a block header \\(truncated\\)`));
  const flipped = Buffer.from(bytes);
  flipped[Math.floor(bytes.length / 2)] ^= 0x40;
  const bad = path.join(dir, 'bad.tcol');
  writeFileSync(bad, flipped);
  assert.throws(() => readAll(bad), /block checksum mismatch|corrupt block header/);
  writeFileSync(path.join(dir, 'other.tcol'), 'PAR1 not ours');
  assert.throws(() => readAll(path.join(dir, 'other.tcol')), /not a thresher intermediate file|truncated/);
});

test('columnar strings: a lone surrogate becomes U+FFFD (as in any UTF-8 file) without shifting the rows after it', async () => {
  const dir = tempDir();
  const records = rows(200);
  records[3].text = 'before \ud800 after';
  records[4].text = '\udfff';
  const back = readAll(await writeFile(dir, records));
  assert.equal(back[3].text, 'before \ufffd after');
  assert.equal(back[4].text, '\ufffd');
  assert.deepEqual(back.slice(5), records.slice(5));
});
