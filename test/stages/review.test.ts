import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { runInline } from '../../src/executors/inline.js';
import { readShards } from '../../src/engine/shard-reader.js';
import { REVIEW_FORMAT } from '../../src/review/file.js';
import { thresher } from '../helpers/cli.js';
import { tempDir } from '../helpers/fixtures.js';
import { jsonlPipeline } from '../helpers/pools.js';

const release = { name: 'pool', version: 'v1', run_id: 'r', manifest_sha256: '0'.repeat(64) };

test('review stage: drops rejected records, puts in corrected labels, counts both', async () => {
  const dir = tempDir();
  const rows = ['a', 'b', 'c', 'd', 'e', 'f'].map((id, i) => ({ id, text: `text ${id}`, label: i % 2 ? 'cat' : 'dog' }));
  writeFileSync(path.join(dir, 'in.jsonl'), rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
  const at = '2024-01-01T00:00:00.000Z';
  const review = {
    format: REVIEW_FORMAT,
    release,
    label_column: 'label',
    decisions: { b: { decision: 'reject', at }, c: { decision: 'reject', label: 'bird', at }, d: { decision: 'accept', at }, zz: { decision: 'reject', at } },
  };
  writeFileSync(path.join(dir, 'review.json'), JSON.stringify(review));
  const pipeline = jsonlPipeline(dir, 'in.jsonl', { tasks: 2, stages: '  - review: { file: review.json }' });
  const { dir: out, manifest } = await runInline(pipeline);
  const kept = new Map<string, unknown>();
  for await (const r of readShards(manifest.files.filter((f) => f.path.startsWith('data/')).map((f) => path.join(out, f.path)))) kept.set(r.id, r.label);
  assert.deepEqual(Object.fromEntries([...kept].sort()), { a: 'dog', c: 'bird', d: 'cat', e: 'dog', f: 'cat' });
  assert.equal(manifest.counts.excluded.review_rejected, 1);
  const stage = manifest.counts.stages.find((s) => s.stage.endsWith('review'))!;
  assert.deepEqual(stage.counters, { 'review:accepted': 1, 'review:rejected': 1, 'review:relabelled': 1, 'review:decisions': 4 });

  // a damaged review file is one line naming the file
  writeFileSync(path.join(dir, 'review.json'), JSON.stringify({ ...review, decisions: { a: { decision: 'maybe', at } } }));
  const r = thresher(['validate', pipeline]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /review\.json: not a review file: decisions\.a\.decision: /);
});
