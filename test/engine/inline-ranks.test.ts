import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { runInline } from '../../src/executors/inline.js';
import { tempDir } from '../helpers/fixtures.js';
import { jsonlPipeline, releasedIds, writeJsonlPool } from '../helpers/pools.js';

test('in process, any world size: dedup_exact keeps the same records, stats chain and add up', async () => {
  const root = tempDir();
  const pool = writeJsonlPool(path.join(root, 'pool.jsonl'), 20_000);
  let reference: string[] | undefined;
  for (const tasks of [1, 2, 3, 7]) {
    const dir = path.join(root, `w${tasks}`);
    mkdirSync(dir);
    const result = await runInline(jsonlPipeline(dir, pool, { tasks, stages: '  - file_filter: {}\n  - dedup_exact: {}' }));
    const ids = (await releasedIds(result.dir)).sort();
    reference ??= ids;
    assert.deepEqual(ids, reference, `world size ${tasks}`);
    const s = result.stats.stages;
    assert.equal(s.read.records_in, 20_000);
    assert.equal(s['0:file_filter'].records_in, s.read.records_out);
    assert.equal(s['1:dedup_exact'].records_in, s['0:file_filter'].records_out);
    assert.equal(s.write.records_in, s['1:dedup_exact'].records_out);
    assert.equal(s.write.records_out, ids.length);
    assert.ok(s['1:dedup_exact'].excluded.duplicate > 1000, 'the pool repeats real lines: dedup removes many');
    assert.equal(result.manifest.schema.find((c) => c.name === 'content_id')?.type, 'string', 'dedup needs content_id: the record pool gets xxh3 ids');
  }
});
