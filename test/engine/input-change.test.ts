import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdirSync, rmSync, utimesSync, writeFileSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { tempDir } from '../helpers/fixtures.js';
import { thresher } from '../helpers/cli.js';
import { jsonlPipeline, writeJsonlPool } from '../helpers/pools.js';

/** A planned run of one pool split across 4 ranks, with ranks 0 and 1 of segment-0 done. */
function halfDone(): { pipeline: string; pool: string; dir: string } {
  const dir = tempDir();
  const pool = writeJsonlPool(path.join(dir, 'in', 'pool.jsonl'), 20_000);
  writeJsonlPool(path.join(dir, 'in', 'small.jsonl'), 500, 20_000);
  const pipeline = jsonlPipeline(dir, path.join(dir, 'in'), { tasks: 4, extraInput: '  split_min_bytes: 1024\n' });
  assert.equal(thresher(['plan', pipeline]).status, 0);
  for (const r of [0, 1]) assert.equal(thresher(['task', pipeline, '--step', 'segment-0', '--rank', String(r)]).status, 0);
  return { pipeline, pool, dir };
}

function expectStop(pipeline: string, pattern: RegExp): void {
  const run = thresher(['run', pipeline, '-q']);
  assert.equal(run.status, 1, run.stderr);
  assert.match(run.stderr, pattern);
  assert.equal(run.stderr.trim().split('\n').length, 1, run.stderr);
}

test('an input rewritten after some tasks ran stops the run instead of mixing old and new records', () => {
  const { pipeline, pool } = halfDone();
  const text = readFileSync(pool, 'utf8');
  writeFileSync(pool, text.replace(/"r1(\d)/g, '"s1$1')); // same size, new content
  utimesSync(pool, new Date(), new Date(Date.now() + 5000));
  expectStop(pipeline, new RegExp(`^thresher: ${pool.replace(/[/.]/g, '\\$&')}: changed since the run was planned \\(modified at .*\\); rerun with --fresh`));
  const fresh = thresher(['run', pipeline, '-q', '--fresh']);
  assert.equal(fresh.status, 0, fresh.stderr);
});

test('an input deleted after planning stops the run; it is not one unreadable record', () => {
  const { pipeline, pool } = halfDone();
  rmSync(pool);
  expectStop(pipeline, /pool\.jsonl: deleted since the run was planned; rerun with --fresh/);
});

test('lines appended after planning are not taken silently', () => {
  const { pipeline, pool } = halfDone();
  appendFileSync(pool, JSON.stringify({ id: 'late', text: 'appended after the plan' }) + '\n');
  expectStop(pipeline, /pool\.jsonl: changed since the run was planned \(\d+ bytes when the run was planned, \d+ now\)/);
});

test('a file added to the input folder after every task ran stops the release', () => {
  const { pipeline, dir } = halfDone();
  for (const r of [2, 3]) assert.equal(thresher(['task', pipeline, '--step', 'segment-0', '--rank', String(r)]).status, 0);
  for (const step of ['reduce-0-dedup_exact', 'segment-1']) for (let r = 0; r < 4; r++) assert.equal(thresher(['task', pipeline, '--step', step, '--rank', String(r)]).status, 0);
  mkdirSync(path.join(dir, 'in', 'more'));
  writeJsonlPool(path.join(dir, 'in', 'more', 'late.jsonl'), 10);
  const fin = thresher(['finalize', pipeline]);
  assert.equal(fin.status, 1);
  assert.match(fin.stderr, /the input changed since the run was planned: 1 added \(.*late\.jsonl\); rerun with --fresh/);
});
