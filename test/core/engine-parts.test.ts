import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { BatchBuilder, allRows } from '../../src/core/batch.js';
import { ExchangeWriter, readExchange } from '../../src/core/exchange.js';
import { contentIdOfText, swhContentId, xxh3ContentId } from '../../src/core/hashing.js';
import { asBatchProcessor, processOne } from '../../src/core/processor.js';
import type { DataRecord, Exclusion } from '../../src/core/record.js';
import { walkTree } from '../../src/core/walk.js';
import { tempDir } from '../helpers/fixtures.js';

test('exchange: a destination sees the lines of published producers only, in rank order', () => {
  const root = path.join(tempDir(), 'shuffle');
  for (const producer of [10, 2, 0]) {
    const w = new ExchangeWriter(root, producer, 3, 2); // flush every 2 lines: appends happen
    for (let i = 0; i < 5; i++) w.push(i % 3, `p${producer}-${i}`);
    w.publish();
  }
  const unfinished = new ExchangeWriter(root, 5, 3);
  unfinished.push(0, 'never seen');
  assert.deepEqual([...readExchange(root, 0)], ['p0-0', 'p0-3', 'p2-0', 'p2-3', 'p10-0', 'p10-3']);
  assert.deepEqual([...readExchange(root, 2)], ['p0-2', 'p2-2', 'p10-2']);
  const again = new ExchangeWriter(root, 2, 3); // a retried producer starts from nothing
  again.publish();
  assert.deepEqual([...readExchange(root, 2)], ['p0-2', 'p10-2']);
});

test('walk: depth first in name order, links reported not followed, unreadable folders reported', () => {
  const root = tempDir();
  mkdirSync(path.join(root, 'b', 'c'), { recursive: true });
  writeFileSync(path.join(root, 'b', 'c', 'x.txt'), 'x');
  writeFileSync(path.join(root, 'a.txt'), 'a');
  symlinkSync('b', path.join(root, 'link'));
  symlinkSync('nowhere', path.join(root, 'dangling'));
  const seen = [...walkTree(root)].map((e) => `${e.kind} ${e.rel}`);
  assert.deepEqual(seen, ['file a.txt', 'dir b', 'dir b/c', 'file b/c/x.txt', 'symlink dangling', 'symlink link']);
  assert.deepEqual(
    [...walkTree(root, { skip: (name) => name === 'c' })].map((e) => e.rel),
    ['a.txt', 'b', 'dangling', 'link'],
  );
  assert.throws(() => [...walkTree(path.join(root, 'missing'))], /ENOENT/);
});

test('content ids: swh equals the git blob id of the bytes; xxh3 is stable, 128-bit, and the same from text or bytes', () => {
  const text = 'héllo\n';
  assert.equal(contentIdOfText(text, 'swh'), swhContentId(Buffer.from(text)));
  assert.equal(contentIdOfText('hello\n', 'swh'), 'swh:1:cnt:ce013625030ba8dba906f756967f9e9ca394464a'); // git hash-object of "hello\n"
  const x = contentIdOfText(text, 'xxh3');
  assert.match(x, /^xxh3:[0-9a-f]{32}$/);
  assert.equal(x, xxh3ContentId(Buffer.from(text)));
  assert.notEqual(x, contentIdOfText('hello\n', 'xxh3'));
});

test('a per-record stage runs over a batch: only its columns come back, exclusions name rows', () => {
  const builder = new BatchBuilder(['id', 'text'], 8);
  for (let i = 0; i < 4; i++) builder.add({ id: `r${i}`, text: `t${i}` });
  const batch = builder.take();
  const stage = {
    process(r: DataRecord) {
      r.len = String(r.text).length + Number(String(r.id).slice(1));
      r.text = 'changed but not declared';
      return r.id === 'r2' ? { reason: 'odd' } : undefined;
    },
  };
  const excluded: [number, Exclusion][] = [];
  asBatchProcessor(stage, ['len'])(batch, allRows(4), (row, why) => excluded.push([row, why]));
  assert.deepEqual(excluded, [[2, { reason: 'odd' }]]);
  assert.deepEqual(batch.column('len'), [2, 3, null, 5]);
  assert.deepEqual(batch.column('text'), ['t0', 't1', 't2', 't3'], 'undeclared columns are not written back');
  const batchOnly = {
    processBatch(b: typeof batch, rows: Int32Array, exclude: (row: number, why: Exclusion) => void) {
      for (const i of rows) b.columnForWrite('up')[i] = String(b.column('text')![i]).toUpperCase();
      exclude(rows[0], { reason: 'first' });
    },
  };
  const one: DataRecord = { id: 'z', text: 'abc' };
  assert.deepEqual(processOne(batchOnly, one, ['up']), { reason: 'first' });
  assert.equal(one.up, 'ABC');
});
