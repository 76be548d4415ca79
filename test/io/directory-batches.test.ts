import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { allRows, type RecordBatch } from '../../src/core/batch.js';
import type { DataRecord, ExcludedRecord } from '../../src/core/record.js';
import { DirectoryReader } from '../../src/io/readers/directory.js';
import { ColumnarWriter, readColumnar } from '../../src/io/columnar/format.js';
import { copyFromRepo, tempDir } from './helpers.js';

/** Real files of every shape the reader meets: ASCII, multi-byte UTF-8, astral characters, binary, invalid UTF-8, empty. */
function makeTree(root: string): void {
  copyFromRepo(root, ['node_modules/ms/index.js', 'node_modules/ms/package.json', 'node_modules/ms/readme.md', 'node_modules/fzstd/lib/index.js']);
  mkdirSync(path.join(root, 'mixed'), { recursive: true });
  writeFileSync(path.join(root, 'mixed/accents.txt'), 'héllo wörld — ½ ∑\n'.repeat(50));
  writeFileSync(path.join(root, 'mixed/astral.md'), '# 😀 emoji 𝄞 clef\n'.repeat(700)); // > 512 bytes: the bulk copy path
  writeFileSync(path.join(root, 'mixed/empty.txt'), '');
  writeFileSync(path.join(root, 'mixed/binary.bin'), Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x01]));
  writeFileSync(path.join(root, 'mixed/latin1.txt'), Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0a])); // "café" in Latin-1: not UTF-8
}

async function viaRecords(reader: DirectoryReader): Promise<{ records: DataRecord[]; excluded: ExcludedRecord[] }> {
  const slices = reader.slices(await reader.listFiles(), 0, 1);
  const records: DataRecord[] = [];
  const excluded: ExcludedRecord[] = [];
  for await (const item of reader.read(slices, 'quarantine')) {
    if (item.record) records.push(item.record);
    else excluded.push(item.excluded!);
  }
  return { records, excluded };
}

test('directory batches: the same records as read(), content kept as the bytes read', async (t) => {
  const root = tempDir(t);
  makeTree(root);
  const scratch = tempDir(t);
  const reader = new DirectoryReader(root);
  const expected = await viaRecords(reader);
  const slices = reader.slices(await reader.listFiles(), 0, 1);
  for (const batchRows of [1, 3, 4096]) {
    const records: DataRecord[] = [];
    const excluded: ExcludedRecord[] = [];
    const batches: RecordBatch[] = [];
    for await (const chunk of reader.readBatches(slices, 'quarantine', batchRows)) {
      excluded.push(...chunk.excluded);
      if (!chunk.batch) continue;
      assert.ok(chunk.batch.length <= batchRows);
      batches.push(chunk.batch);
      // the bytes stand for the text: a writer may copy them instead of encoding the strings
      const enc = chunk.batch.encodedColumn('content');
      assert.ok(enc, 'content stays encoded');
      for (let i = 0; i < chunk.batch.length; i++) {
        const text = chunk.batch.values('content')![i] as string;
        assert.equal(enc.value(i), text);
        assert.equal(enc.byteLength(i), Buffer.byteLength(text));
        records.push(chunk.batch.record(i));
      }
    }
    assert.deepEqual(records, expected.records, `batchRows ${batchRows}`);
    assert.deepEqual(
      excluded.map((e) => [e.id, e.reason]),
      expected.excluded.map((e) => [e.id, e.reason]),
    );
    assert.deepEqual(expected.excluded.map((e) => e.reason).sort(), ['binary', 'invalid_utf8']);
    // and through an intermediate file the text survives as bytes
    const file = path.join(scratch, `batches-${batchRows}.col`);
    const writer = new ColumnarWriter(reader.columns, file);
    for (const b of batches) await writer.writeBatch(b, allRows(b.length));
    await writer.close();
    const back = [...readColumnar(file)].flatMap((b) => Array.from({ length: b.length }, (_, i) => b.record(i)));
    assert.deepEqual(
      back.map((r) => r.content),
      expected.records.map((r) => r.content),
    );
  }
});

test('directory batches released once used: the reader refills its buffers, and a released batch cannot be read', async (t) => {
  const root = tempDir(t);
  mkdirSync(path.join(root, 'big'), { recursive: true });
  // three 9 MiB files: a batch holds 16 MiB of content, so each starts a new batch, the third
  // in the buffer the first one gave back when released
  for (const [k, ch] of ['a', 'b', 'c'].entries()) writeFileSync(path.join(root, `big/${k}.txt`), `${ch}é\n`.repeat((9 << 20) / 4));
  writeFileSync(path.join(root, 'big/small.txt'), 'ünïcode\n');
  const reader = new DirectoryReader(root);
  const expected = await viaRecords(reader);
  const slices = reader.slices(await reader.listFiles(), 0, 1);
  const records: DataRecord[] = [];
  let batches = 0;
  let released: RecordBatch | undefined;
  for await (const chunk of reader.readBatches(slices, 'quarantine', 4096)) {
    if (!chunk.batch) continue;
    batches++;
    for (let i = 0; i < chunk.batch.length; i++) records.push({ ...chunk.batch.record(i), content: chunk.batch.encodedColumn('content')!.value(i) });
    chunk.batch.release();
    released = chunk.batch;
  }
  assert.ok(batches >= 3, `${batches} batches`);
  assert.deepEqual(records, expected.records);
  assert.throws(() => released!.encodedColumn('content')!.value(0), /read after its batch was released/);
});
