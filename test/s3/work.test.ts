/**
 * The work folder on an object store (execution.s3.work_dir: s3://...): a pipeline with
 * barriers (exact dedup, MetaCLIP match and balance) gives the data files of a local run; a run
 * whose task was killed (stray objects without a marker, a dead lease) resumes to the same
 * bytes; `thresher status s3://...` shows the tasks from the markers and lists the releases.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { tempDir } from '../helpers/fixtures.js';
import { dataFingerprint, readManifest, writeJsonlPool } from '../helpers/pools.js';
import { barrierPipeline } from '../slurm/pools.js';
import { S3Store } from '../../src/io/storage/s3.js';
import { readAll } from '../../src/io/storage/types.js';
import type { Manifest } from '../../src/release/manifest.js';
import { loadPipelineFile } from '../../src/pipeline/load.js';
import { RunLayout } from '../../src/engine/layout.js';
import { outputRootOf } from '../../src/engine/output-root.js';
import { planRun } from '../../src/engine/run-state.js';
import { loadTaskContext, runTask } from '../../src/engine/task.js';
import { planDigest, stepState } from '../../src/engine/markers.js';
import type { TaskStats } from '../../src/engine/stats.js';
import { cli, startS3, type TestS3 } from './server.js';

let s3: TestS3;
let root = '';
let reference: string[] = [];

function pipelineFor(dir: string, output: string, workDir: string): string {
  mkdirSync(dir, { recursive: true });
  const file = barrierPipeline(dir, path.join(root, 'pool.jsonl'), { execution: `  s3:\n    work_dir: ${JSON.stringify(workDir)}\n` });
  writeFileSync(file, readFileSync(file, 'utf8').replace('path: "out"', `path: ${JSON.stringify(output)}`));
  return file;
}

async function storedManifest(bucket: string, key: string): Promise<Manifest> {
  return JSON.parse((await readAll(new S3Store(bucket), `${key}/manifest.json`)).toString('utf8')) as Manifest;
}

before(async () => {
  s3 = await startS3();
  for (const b of ['work', 'releases']) await s3.createBucket(b);
  root = tempDir('thresher-s3-work-');
  writeJsonlPool(path.join(root, 'pool.jsonl'), 12_000);
  mkdirSync(path.join(root, 'local'));
  const local = await cli(['run', barrierPipeline(path.join(root, 'local'), path.join(root, 'pool.jsonl')), '-q']);
  assert.equal(local.status, 0, local.stderr);
  reference = dataFingerprint(readManifest(path.join(root, 'local', 'out', 'v1')));
  assert.ok(reference.length > 0);
});

after(async () => {
  await s3?.stop();
});

test('work folder on S3: the release equals a local run, every intermediate file went through the store, and the work prefix is gone after', async () => {
  const store = new S3Store('work');
  const seen = new Set<string>();
  const file = pipelineFor(path.join(root, 'a'), 's3://releases/a', 's3://work/a');
  const pipeline = await loadPipelineFile(file);
  const layout = new RunLayout(outputRootOf(pipeline));
  await planRun(pipeline, layout, false);
  const ctx = loadTaskContext(pipeline, layout.outputRoot);
  let after = planDigest(ctx.run);
  const committed: TaskStats[] = [];
  for (const step of ctx.steps) {
    for (let rank = 0; rank < ctx.run.world_size; rank++) committed.push(await runTask(ctx, step.name, rank, { after }));
    after = stepState(layout, step, ctx.run.world_size, after).digest!;
    for (const o of await store.list('a/')) seen.add(o.key);
  }
  // every file a task wrote is an object its marker names, with the object's size
  for (const t of committed) {
    assert.ok(t.objects, `${t.step}/${t.rank} names its objects`);
    for (const o of t.objects) assert.ok(seen.has(`a/${o.key}`), `${o.key} was uploaded`);
    const marker = JSON.parse((await readAll(store, `a/steps/${t.step}/done/${String(t.rank).padStart(5, '0')}.json`)).toString('utf8')) as TaskStats;
    assert.deepEqual(marker.objects, t.objects);
  }
  for (const t of committed)
    for (const o of t.outputs)
      assert.ok(
        t.objects!.some((x) => x.path === o.path),
        `${t.step}/${t.rank} names its shard ${o.path}`,
      );
  assert.ok(
    [...seen].some((k) => /^a\/files\/reduce-\d+-dedup_exact\//.test(k)),
    'a reduce step wrote through the store',
  );

  const fin = await cli(['finalize', file]);
  assert.equal(fin.status, 0, fin.stderr);
  assert.deepEqual(dataFingerprint(await storedManifest('releases', 'a/v1')), reference);
  assert.deepEqual(await store.list('a/'), [], 'the work prefix is removed after the release');
  assert.equal((await cli(['verify', 's3://releases/a/v1'])).status, 0);
});

test('a task killed mid-run (objects uploaded, no marker, its lease left to expire) resumes to the same bytes; status s3:// shows done and pending', async () => {
  const store = new S3Store('work');
  const file = pipelineFor(path.join(root, 'b'), 's3://releases/b', 's3://work/b');
  const pipeline = await loadPipelineFile(file);
  const layout = new RunLayout(outputRootOf(pipeline));
  await planRun(pipeline, layout, false);
  const ctx = loadTaskContext(pipeline, layout.outputRoot);
  let after = planDigest(ctx.run);
  const [first, second] = ctx.steps;
  for (let rank = 0; rank < ctx.run.world_size; rank++) await runTask(ctx, first.name, rank, { after });
  after = stepState(layout, first, ctx.run.world_size, after).digest!;
  await runTask(ctx, second.name, 1, { after });
  // The killed attempt of second/0: what it uploaded before dying (garbage where the real
  // attempt writes), no marker, and a lease whose holder stopped renewing it.
  const written = `b/files/${second.name}/00001/`;
  const deadKeys = (await store.list(written)).map((o) => o.key.slice(written.length).split('/').slice(1).join('/'));
  assert.ok(deadKeys.length > 0);
  for (const rel of deadKeys) await store.put(`b/files/${second.name}/00000/killed-attempt/${rel}`, 'garbage from a killed attempt');
  const lease = { owner: 'killed-attempt', task: `${second.name}/0`, host: 'node-7', pid: 4242, acquired: new Date(Date.now() - 120_000).toISOString(), expires: Date.now() - 1000 };
  await store.put(`b/steps/${second.name}/leases/00000/0000000000.json`, JSON.stringify(lease));

  const status = await cli(['status', 's3://work/b']);
  assert.equal(status.status, 0, status.stderr);
  assert.match(status.stdout, new RegExp(`^${first.name}\\s+4/4\\s+0\\s+0$`, 'm'), status.stdout);
  assert.match(status.stdout, new RegExp(`^${second.name}\\s+1/4\\s+0\\s+3$`, 'm'), status.stdout);
  assert.match(status.stdout, /^releases: none$/m);

  const rerun = await cli(['run', file, '-q']);
  assert.equal(rerun.status, 0, rerun.stderr);
  assert.deepEqual(dataFingerprint(await storedManifest('releases', 'b/v1')), reference, 'the same bytes as a local run');
  assert.deepEqual(await store.list('b/'), []);

  const released = await cli(['status', 's3://releases/b']);
  assert.equal(released.status, 0, released.stderr);
  assert.match(released.stdout, /^releases: v1 \(run [0-9a-f-]+, \d+ records\)$/m, released.stdout);
  assert.match(released.stdout, /no run in progress/);
});

test('a local output with its work folder on S3: the same release, and the local copy keeps no work after it', async () => {
  const file = pipelineFor(path.join(root, 'e'), 'out', 's3://work/e');
  const run = await cli(['run', file, '-q']);
  assert.equal(run.status, 0, run.stderr);
  assert.deepEqual(dataFingerprint(readManifest(path.join(root, 'e', 'out', 'v1'))), reference);
  assert.deepEqual(await new S3Store('work').list('e/'), []);
  assert.ok(!existsSync(path.join(root, 'e', 'out', '.thresher', 'work')));
  assert.equal((await cli(['verify', path.join(root, 'e', 'out', 'v1')])).status, 0);
});

test('a work prefix that is a whole bucket or overlaps the releases is refused in one line', async () => {
  const whole = await cli(['run', pipelineFor(path.join(root, 'c'), 's3://releases/c', 's3://work'), '-q']);
  assert.equal(whole.status, 1);
  assert.match(whole.stderr, /^thresher: .*execution\.s3\.work_dir s3:\/\/work is a whole bucket/m);
  const inside = await cli(['run', pipelineFor(path.join(root, 'd'), 's3://releases/d', 's3://releases/d/work'), '-q']);
  assert.equal(inside.status, 1);
  assert.match(inside.stderr, /overlaps output\.path s3:\/\/releases\/d/);
});
