import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { InputError } from '../../src/core/errors.js';
import { JsonDocumentReader } from '../../src/io/readers/json-document.js';
import type { ReadItem } from '../../src/io/types.js';
import { tempDir } from '../helpers/fixtures.js';
import { needsShared, sharedPath } from '../helpers/shared.js';

const COCO = sharedPath('data', 'metaclip', 'coco-captions-val2017.json.gz');

async function readAll(reader: JsonDocumentReader, worldSize: number, policy: 'fail' | 'quarantine' = 'fail'): Promise<ReadItem[]> {
  const files = await reader.listFiles();
  const out: ReadItem[] = [];
  for (let r = 0; r < worldSize; r++) for await (const item of reader.read(reader.slices(files, r, worldSize), policy)) out.push(item);
  return out;
}

test('COCO captions: 25,014 records from the annotations array, same for any world size', needsShared, async () => {
  const reader = new JsonDocumentReader(COCO, { recordsPath: 'annotations', contentField: 'caption', idField: 'id' });
  const one = await readAll(reader, 1);
  assert.equal(one.length, 25_014);
  const first = one[0].record!;
  assert.equal(typeof first.image_id, 'number');
  assert.equal(typeof first.caption, 'string');
  assert.equal(first.source, 'coco-captions-val2017.json.gz');
  assert.equal(first.source_row, 0);
  assert.match(String(first.content_id), /^swh:1:cnt:[0-9a-f]{40}$/);
  assert.deepEqual(
    reader.columns.map((c) => `${c.name}:${c.type}`),
    ['id:string', 'source:string', 'source_row:int64', 'content_id:string', 'image_id:int64', 'caption:string'],
  );
  for (const w of [3, 8]) {
    const items = await readAll(new JsonDocumentReader(COCO, { recordsPath: 'annotations', contentField: 'caption', idField: 'id' }), w);
    assert.deepEqual(
      items.map((i) => i.record!.id),
      one.map((i) => i.record!.id),
      `world size ${w}`,
    );
  }
});

test('damaged documents: one line naming the file under fail, an exclusion under quarantine', async () => {
  const dir = tempDir();
  const doc = JSON.stringify({
    annotations: [
      { id: 1, caption: 'a dog' },
      { id: 2, caption: 'a cat' },
      { id: 3, caption: 7 },
    ],
  });
  writeFileSync(path.join(dir, 'good.json'), doc);
  const gz = gzipSync(doc);
  writeFileSync(path.join(dir, 'truncated.json.gz'), gz.subarray(0, gz.length - 10));
  writeFileSync(path.join(dir, 'invalid.json'), doc.slice(0, -5));
  writeFileSync(path.join(dir, 'nopath.json'), JSON.stringify({ images: [] }));
  const opts = { recordsPath: 'annotations', contentField: 'caption', idField: 'id' };
  for (const [name, kind, message] of [
    ['truncated.json.gz', 'truncated', /truncated/],
    ['invalid.json', 'corrupt', /invalid JSON/],
    ['nopath.json', 'corrupt', /no "annotations"/],
  ] as const) {
    await assert.rejects(
      readAll(new JsonDocumentReader(path.join(dir, name), opts), 1),
      (err: unknown) => err instanceof InputError && err.message.startsWith(`${name}: `) && message.test(err.message),
    );
    const items = await readAll(new JsonDocumentReader(path.join(dir, name), opts), 2, 'quarantine');
    assert.equal(items.length, 1);
    assert.equal(items[0].excluded?.reason, kind);
  }
  const good = await readAll(new JsonDocumentReader(path.join(dir, 'good.json'), opts), 2, 'quarantine');
  assert.deepEqual(
    good.map((i) => i.record?.id ?? i.excluded?.reason),
    ['1', '2', 'bad_record'],
  );
});

test('a leading UTF-8 byte order mark is not part of the document', async () => {
  const dir = tempDir();
  writeFileSync(path.join(dir, 'bom.json'), Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(JSON.stringify([{ text: 'hello' }]))]));
  const items = await readAll(new JsonDocumentReader(path.join(dir, 'bom.json')), 1);
  assert.equal(items[0].record?.text, 'hello');
});
