/**
 * The Slurm executor with its release on S3 (s3rver in this process; the jobs inherit the
 * endpoint and credentials through the environment, as sbatch exports it): skipped without
 * Slurm, failing instead in CI, like cluster.test.ts.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { tempDir } from '../helpers/fixtures.js';
import { dataFingerprint, readManifest, writeJsonlPool } from '../helpers/pools.js';
import { S3Store } from '../../src/io/storage/s3.js';
import { readAll } from '../../src/io/storage/types.js';
import type { Manifest } from '../../src/release/manifest.js';
import { cli, startS3, type TestS3 } from '../s3/server.js';
import { needsSlurm, startCluster, type SlurmCluster } from './cluster.js';
import { barrierPipeline } from './pools.js';

const options = needsSlurm();
let cluster: SlurmCluster | undefined;
let s3: TestS3 | undefined;

before(async () => {
  if (options.skip) return;
  cluster = await startCluster();
  s3 = await startS3();
  await s3.createBucket('slurm-releases');
  await s3.createBucket('slurm-work');
});

after(async () => {
  await cluster?.stop();
  await s3?.stop();
});

test('a pipeline with barriers run through Slurm with its release on S3 publishes the data files of a local run', options, async () => {
  const root = tempDir('thresher-slurm-s3-');
  const pool = writeJsonlPool(path.join(root, 'pool.jsonl'), 30_000);
  mkdirSync(path.join(root, 'local'));
  const local = await cli(['run', barrierPipeline(path.join(root, 'local'), pool), '-q']);
  assert.equal(local.status, 0, local.stderr);
  mkdirSync(path.join(root, 'slurm'));
  const file = barrierPipeline(path.join(root, 'slurm'), pool, { execution: '  executor: slurm\n  slurm:\n    time: "10:00"\n  s3:\n    work_dir: work\n' });
  writeFileSync(file, readFileSync(file, 'utf8').replace('path: "out"', 'path: "s3://slurm-releases/curated"'));
  const run = await cli(['run', file, '--wait']);
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stderr, /slurm: 21\/21 tasks done/);
  const manifest = JSON.parse((await readAll(new S3Store('slurm-releases'), 'curated/v1/manifest.json')).toString('utf8')) as Manifest;
  assert.deepEqual(dataFingerprint(manifest), dataFingerprint(readManifest(path.join(root, 'local', 'out', 'v1'))));
  const verify = await cli(['verify', 's3://slurm-releases/curated/v1']);
  assert.equal(verify.status, 0, verify.stdout + verify.stderr);
  const status = await cli(['status', path.join(root, 'slurm', 'work')]);
  assert.match(status.stdout, /released as v1/);
});

test('the same run with its work folder on S3 too: tasks exchange their data through the store, and the release is the same', options, async () => {
  const root = tempDir('thresher-slurm-s3-work-');
  const pool = writeJsonlPool(path.join(root, 'pool.jsonl'), 30_000);
  mkdirSync(path.join(root, 'local'));
  const local = await cli(['run', barrierPipeline(path.join(root, 'local'), pool), '-q']);
  assert.equal(local.status, 0, local.stderr);
  mkdirSync(path.join(root, 'slurm'));
  const file = barrierPipeline(path.join(root, 'slurm'), pool, { execution: '  executor: slurm\n  slurm:\n    time: "10:00"\n  s3:\n    work_dir: s3://slurm-work/curated\n' });
  writeFileSync(file, readFileSync(file, 'utf8').replace('path: "out"', 'path: "s3://slurm-releases/remote-work"'));
  const run = await cli(['run', file, '--wait']);
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stderr, /slurm: 21\/21 tasks done/);
  const manifest = JSON.parse((await readAll(new S3Store('slurm-releases'), 'remote-work/v1/manifest.json')).toString('utf8')) as Manifest;
  assert.deepEqual(dataFingerprint(manifest), dataFingerprint(readManifest(path.join(root, 'local', 'out', 'v1'))));
  // the finalize job removes the work prefix after the release appears (what --wait waits for)
  const work = new S3Store('slurm-work');
  for (let i = 0; i < 120 && (await work.list('curated/')).length > 0; i++) await new Promise((r) => setTimeout(r, 500));
  assert.deepEqual(await work.list('curated/'), [], 'the work prefix is removed after the release');
  const status = await cli(['status', 's3://slurm-releases/remote-work']);
  assert.match(status.stdout, /^releases: v1 \(run /m);
});
