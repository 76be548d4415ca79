import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { writeFileSync } from 'node:fs';
import { ZodError } from 'zod';
import { openReader, openWriter, readerSpecSchema, writerSpecSchema } from '../../src/io/open.js';
import { DirectoryReader } from '../../src/io/readers/directory.js';
import { JsonlReader } from '../../src/io/readers/jsonl.js';
import { ParquetReader } from '../../src/io/readers/parquet.js';
import { collect, tempDir } from './helpers.js';

test('open: specs pick the reader; unknown keys are errors', async (t) => {
  const dir = tempDir(t);
  assert.ok(openReader({ type: 'directory', path: dir, maxBytes: 10 }) instanceof DirectoryReader);
  assert.ok(openReader({ type: 'jsonl', path: [path.join(dir, 'a.jsonl')], contentField: 'TEXT' }) instanceof JsonlReader);
  assert.ok(openReader({ type: 'parquet', path: dir, provenance: 'columns' }) instanceof ParquetReader);
  assert.throws(() => openReader({ type: 'jsonl', path: dir, contentFeild: 'x' } as never), ZodError);
  assert.throws(() => openReader({ type: 'xml', path: dir } as never), ZodError);
  assert.equal(readerSpecSchema.safeParse({ type: 'directory', path: dir, include: ['*.ts'], exclude: [] }).success, true);
  assert.equal(writerSpecSchema.safeParse({ type: 'parquet', maxRows: 0 }).success, false);
  assert.throws(() => openWriter({ type: 'jsonl', level: 3 } as never, [], () => 'x'), ZodError);
});

test('open: a writer from a spec writes what a reader from a spec reads', async (t) => {
  const dir = tempDir(t);
  writeFileSync(path.join(dir, 'in.jsonl'), '{"text": "hello", "k": 1}\n{"text": "world", "k": 2}\n');
  const reader = openReader({ type: 'jsonl', path: path.join(dir, 'in.jsonl') });
  const { records } = await collect(reader, 'fail');
  const w = openWriter({ type: 'parquet', maxRows: 1 }, reader.columns, (i) => path.join(dir, 'out', `part-${i}.parquet`));
  for (const r of records) await w.write(r);
  const files = await w.close();
  assert.equal(files.length, 2);
  const back = await collect(openReader({ type: 'parquet', path: path.join(dir, 'out'), provenance: 'columns' }), 'fail');
  assert.deepEqual(back.records, records);
  assert.equal(reader.contentColumn, 'text');
});
