import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { readInputs, writeInputs } from '../../src/engine/inputs-file.js';
import { DirectoryReader } from '../../src/io/readers/directory.js';
import type { InputFile } from '../../src/io/types.js';
import { makeCodeTree, tempDir } from '../helpers/fixtures.js';

test('the planned listing of a real folder reads back as it was listed', async () => {
  const dir = tempDir();
  const files = await new DirectoryReader(makeCodeTree(dir, ['commander', 'yaml'])).listFiles();
  const file = path.join(dir, 'inputs.json');
  writeInputs(file, files);
  assert.deepEqual(readInputs(file), files);
});

test('listings without a common root, with row counts and problems, and the older array form', () => {
  const dir = tempDir();
  const files: InputFile[] = [
    { path: 'a.jsonl', absPath: '/data/x/a.jsonl', bytes: 10, mtimeMs: 1.5, rows: 3 },
    { path: '../b.parquet', absPath: '/data/b.parquet', bytes: 0, mtimeMs: 0 },
    { path: 'fifo', absPath: '/data/x/fifo', bytes: 0, mtimeMs: 2, problem: { reason: 'special_file', detail: 'not a regular file' } },
  ];
  const file = path.join(dir, 'inputs.json');
  writeInputs(file, files);
  assert.deepEqual(readInputs(file), files);
  writeInputs(file, []);
  assert.deepEqual(readInputs(file), []);
  writeFileSync(file, JSON.stringify(files)); // a work folder planned before the columns
  assert.deepEqual(readInputs(file), files);
});
