import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { tempDir } from '../helpers/fixtures.js';
import { thresher } from '../helpers/cli.js';
import { jsonlPipeline, readManifest, releasedIds } from '../helpers/pools.js';

const jsonl = (rows: object[]) => rows.map((r) => JSON.stringify(r)).join('\n') + '\n';

test('dedup_exact: one id on two copies of the same text is an error naming both rows, never two removals', () => {
  const dir = tempDir();
  const input = path.join(dir, 'pool.jsonl');
  writeFileSync(
    input,
    jsonl([
      { id: 'a', text: 'same words' },
      { id: 'b', text: 'other words' },
      { id: 'a', text: 'same words' },
    ]),
  );
  const run = thresher(['run', jsonlPipeline(dir, input, { tasks: 2 }), '-q']);
  assert.equal(run.status, 1, run.stderr);
  assert.equal(
    run.stderr,
    'thresher: duplicate record id "a" (pool.jsonl row 0 and pool.jsonl row 2): dedup_exact needs unique ids; fix the input\'s id field or drop id_field to use source:row ids\n',
  );
});

test('dedup_exact: removing a duplicate never removes another record that shares its id', async () => {
  const dir = tempDir();
  const input = path.join(dir, 'pool.jsonl');
  // "x" at row 0 loses to "a" (ties go to the smaller id); the "x" at row 2 is unique text and stays.
  writeFileSync(
    input,
    jsonl([
      { id: 'x', text: 'a caption' },
      { id: 'a', text: 'a caption' },
      { id: 'x', text: 'another caption' },
    ]),
  );
  const run = thresher(['run', jsonlPipeline(dir, input, { tasks: 1 }), '-q']);
  assert.equal(run.status, 0, run.stderr);
  const release = path.join(dir, 'out', 'v1');
  assert.deepEqual((await releasedIds(release)).sort(), ['a', 'x']);
  const m = readManifest(release);
  assert.equal(m.counts.excluded.duplicate, 1);
  assert.equal(m.counts.output_records, 2);
});
