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

/** A planned directory run whose reader holds each file to its listed size and mtime. */
function plannedDirectory(): { pipeline: string; tree: string } {
  const dir = tempDir();
  const tree = path.join(dir, 'tree');
  mkdirSync(path.join(tree, 'src'), { recursive: true });
  for (let i = 0; i < 20; i++) writeFileSync(path.join(tree, 'src', `f${i}.js`), `export const v${i} = ${i};\n`);
  const pipeline = path.join(dir, 'pipeline.yaml');
  writeFileSync(
    pipeline,
    `input:\n  type: directory\n  path: ${JSON.stringify(tree)}\nstages:\n  - dedup_exact: {}\noutput:\n  path: ${JSON.stringify(path.join(dir, 'out'))}\nexecution:\n  tasks: 2\n`,
  );
  assert.equal(thresher(['plan', pipeline]).status, 0);
  return { pipeline, tree };
}

test('a directory file rewritten after planning stops the run, naming it', () => {
  const { pipeline, tree } = plannedDirectory();
  const file = path.join(tree, 'src', 'f7.js');
  writeFileSync(file, 'export const v7 = 8;\n'); // same size
  utimesSync(file, new Date(), new Date(Date.now() + 5000));
  expectStop(pipeline, new RegExp(`^thresher: ${file.replace(/[/.]/g, '\\$&')}: changed since the run was planned \\(modified at .*\\); rerun with --fresh`));
  assert.equal(thresher(['run', pipeline, '-q', '--fresh']).status, 0);
});

test('a directory file grown or deleted after planning stops the run; it is not read or counted as unreadable', () => {
  const { pipeline, tree } = plannedDirectory();
  writeFileSync(path.join(tree, 'src', 'f3.js'), 'export const v3 = 3; // longer now\n');
  expectStop(pipeline, /f3\.js: changed since the run was planned \(\d+ bytes when the run was planned, \d+ now\)/);
  const second = plannedDirectory();
  rmSync(path.join(second.tree, 'src', 'f12.js'));
  expectStop(second.pipeline, /f12\.js: deleted since the run was planned; rerun with --fresh/);
});

test('a file added to the folder after planning stops the release of `run`, whose listing runs while the later steps do', () => {
  const { pipeline, tree } = plannedDirectory();
  writeFileSync(path.join(tree, 'src', 'late.js'), 'export const late = 1;\n');
  const run = thresher(['run', pipeline, '-q']);
  assert.equal(run.status, 1, run.stderr);
  assert.match(run.stderr, /the input changed since the run was planned: 1 added \(.*late\.js\); rerun with --fresh/);
  assert.equal(run.stderr.trim().split('\n').length, 1, run.stderr);
});
