import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { tempDir } from '../helpers/fixtures.js';
import { thresher, thresherAsync } from '../helpers/cli.js';
import { dataFingerprint, jsonlPipeline, readManifest, writeJsonlPool } from '../helpers/pools.js';

const STEPS = ['segment-0', 'reduce-0-dedup_exact', 'segment-1'];

function setup(name: string, pool: string): { dir: string; pipeline: string; out: string } {
  const dir = path.join(path.dirname(pool), name);
  mkdirSync(dir);
  return { dir, pipeline: jsonlPipeline(dir, pool, { tasks: 4 }), out: path.join(dir, 'out') };
}

function runAllTasks(pipeline: string, steps: string[], ranks = 4): void {
  for (const step of steps) {
    for (let r = 0; r < ranks; r++) {
      const t = thresher(['task', pipeline, '--step', step, '--rank', String(r)]);
      assert.equal(t.status, 0, `${step}/${r}: ${t.stderr}`);
    }
  }
}

/** A reference release of a pool, and the same pipeline planned (not run) in a second folder. */
function referenceAndPlanned(records: number): { ref: ReturnType<typeof setup>; cut: ReturnType<typeof setup> } {
  const pool = writeJsonlPool(path.join(tempDir(), 'pool.jsonl'), records);
  const ref = setup('ref', pool);
  assert.equal(thresher(['run', ref.pipeline, '-q']).status, 0);
  const cut = setup('cut', pool);
  assert.equal(thresher(['plan', cut.pipeline]).status, 0);
  return { ref, cut };
}

function marker(out: string, step: string, rank: number): string {
  return path.join(out, '.thresher', 'work', 'steps', step, 'done', `${String(rank).padStart(5, '0')}.json`);
}

test('a forced task killed after it removed its outputs leaves no marker: the resumed run loses no record', async () => {
  const { ref, cut } = referenceAndPlanned(40_000);
  runAllTasks(cut.pipeline, STEPS.slice(0, 2));
  // Force segment-0/1 again and kill it once its old marker is gone (its outputs go next).
  const child = thresherAsync(['task', cut.pipeline, '--step', 'segment-0', '--rank', '1', '--force']);
  const exited = new Promise((resolve) => child.on('exit', resolve));
  while (existsSync(marker(cut.out, 'segment-0', 1))) await new Promise((r) => setTimeout(r, 1));
  child.kill('SIGKILL');
  await exited;
  assert.ok(!existsSync(marker(cut.out, 'segment-0', 1)), 'no marker over deleted outputs');

  const resumed = thresher(['run', cut.pipeline, '-q']);
  assert.equal(resumed.status, 0, resumed.stderr);
  const a = readManifest(path.join(ref.out, 'v1'));
  const b = readManifest(path.join(cut.out, 'v1'));
  assert.equal(b.counts.output_records, a.counts.output_records);
  assert.equal(b.counts.input_records, 40_000);
  assert.deepEqual(dataFingerprint(b), dataFingerprint(a));
});

test('a task whose upstream step is incomplete refuses to run instead of committing 0 records', () => {
  const root = tempDir();
  const pool = writeJsonlPool(path.join(root, 'pool.jsonl'), 3_000);
  const { pipeline } = setup('a', pool);
  assert.equal(thresher(['plan', pipeline]).status, 0);
  const early = thresher(['task', pipeline, '--step', 'segment-1', '--rank', '0']);
  assert.equal(early.status, 1);
  assert.match(early.stderr, /^thresher: segment-1\/0: cannot run before step segment-0 is complete \(4 tasks not done: segment-0\/0, segment-0\/1/);
  assert.equal(early.stderr.trim().split('\n').length, 1);
  runAllTasks(pipeline, ['segment-0'].slice(0, 1), 3); // ranks 0-2 only
  const reduce = thresher(['task', pipeline, '--step', 'reduce-0-dedup_exact', '--rank', '0']);
  assert.equal(reduce.status, 1);
  assert.match(reduce.stderr, /1 tasks not done: segment-0\/3\)/);
  const finalize = thresher(['finalize', pipeline]);
  assert.equal(finalize.status, 1);
  assert.match(finalize.stderr, /not releasing an incomplete run: segment-0\/3 not complete/);
});

test('a task redone upstream makes its downstream tasks stale: finalize refuses, run redoes them, the release is unchanged', () => {
  const { ref, cut } = referenceAndPlanned(6_000);
  runAllTasks(cut.pipeline, STEPS);
  const redo = thresher(['task', cut.pipeline, '--step', 'segment-0', '--rank', '2', '--force']);
  assert.equal(redo.status, 0, redo.stderr);
  const plan = JSON.parse(thresher(['plan', cut.pipeline]).stdout) as { steps: { name: string; done: number }[] };
  assert.deepEqual(
    plan.steps.map((s) => s.done),
    [4, 0, 0],
    'every downstream task is stale',
  );
  const finalize = thresher(['finalize', cut.pipeline]);
  assert.equal(finalize.status, 1);
  assert.match(finalize.stderr, /reduce-0-dedup_exact\/0 is stale/);
  const skipped = thresher(['task', cut.pipeline, '--step', 'reduce-0-dedup_exact', '--rank', '0']);
  assert.doesNotMatch(skipped.stderr, /already complete/, 'a stale task is not skipped as complete');
  const run = thresher(['run', cut.pipeline, '-q']);
  assert.equal(run.status, 0, run.stderr);
  assert.deepEqual(dataFingerprint(readManifest(path.join(cut.out, 'v1'))), dataFingerprint(readManifest(path.join(ref.out, 'v1'))));
});
