import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { exchangeBytes, readExchange, readExchangeRecords, RecordExchangeWriter } from '../../src/core/exchange.js';
import { tempDir } from '../helpers/fixtures.js';

/** Every value read, copied chunk by chunk (a chunk is valid until the next one is read). */
function all(root: string, destination: number, width: number, chunk?: number): number[] {
  const out: number[] = [];
  for (const c of readExchangeRecords(root, destination, width, chunk)) out.push(...c);
  return out;
}

test('record exchange: whole float64 records of published producers, in rank order, across flushes and read chunks', () => {
  const root = path.join(tempDir(), 'records');
  for (const producer of [3, 0]) {
    const w = new RecordExchangeWriter(root, producer, 2, 3, 64); // tiny buffers: many appends
    for (let i = 0; i < 50; i++) w.push(i % 2, [producer, i, 2 ** 52 + i]);
    w.publish();
  }
  const unfinished = new RecordExchangeWriter(root, 1, 2, 3);
  unfinished.push(0, [1, 1, 1]); // never published: invisible
  const expected = (d: number) => [0, 3].flatMap((p) => Array.from({ length: 25 }, (_, k) => [p, 2 * k + d, 2 ** 52 + 2 * k + d]).flat());
  for (const chunk of [1, 7, 1000]) assert.deepEqual(all(root, 0, 3, chunk), expected(0), `chunks of ${chunk} records`);
  assert.deepEqual(all(root, 1, 3), expected(1));
  assert.equal(exchangeBytes(root, 0), 50 * 3 * 8);
  assert.deepEqual(all(root, 5, 3), [], 'nothing addressed: no records');
  const edges = path.join(tempDir(), 'edges');
  const w2 = new RecordExchangeWriter(edges, 0, 1, 2);
  w2.push2(0, 1.5, -2);
  w2.publish();
  assert.deepEqual(all(edges, 0, 2), [1.5, -2]);
  appendFileSync(path.join(edges, 'from-0', 'to-0.f64'), Buffer.alloc(4));
  assert.throws(() => all(edges, 0, 2), /4 trailing bytes are not a whole record/);
});

test('readExchange streams lines: a multi-byte character split across read chunks comes back whole', () => {
  const root = path.join(tempDir(), 'lines');
  const dir = path.join(root, 'from-0');
  const line = 'é'.repeat(700_000); // 1.4 MB: crosses the 1 MiB read chunk inside a character
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'to-0.jsonl'), `${line}\nlast`);
  assert.deepEqual([...readExchange(root, 0)], [line, 'last']);
});
