/**
 * A real pipeline with barriers (exact dedup, then MetaCLIP match and balance) with its input
 * and its release on an S3 API (s3rver in this process): the same data files as a local run,
 * `verify` on the S3 release, an interrupted publication, and missing buckets and keys.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { tempDir } from '../helpers/fixtures.js';
import { dataFingerprint, readManifest, writeJsonlPool } from '../helpers/pools.js';
import { barrierPipeline } from '../slurm/pools.js';
import { S3Store } from '../../src/io/storage/s3.js';
import { readAll } from '../../src/io/storage/types.js';
import { StoreReleases } from '../../src/release/s3-versions.js';
import type { Manifest } from '../../src/release/manifest.js';
import { loadPipelineFile } from '../../src/pipeline/load.js';
import { RunLayout } from '../../src/engine/layout.js';
import { outputRootOf } from '../../src/engine/output-root.js';
import { planRun } from '../../src/engine/run-state.js';
import { loadTaskContext, runTask } from '../../src/engine/task.js';
import { planDigest, stepState } from '../../src/engine/markers.js';
import { finalizeRelease } from '../../src/release/finalize.js';
import { withDuck } from '../../src/io/duck.js';
import { cli, startS3, type TestS3 } from './server.js';

let s3: TestS3;
let root = '';
let reference: string[] = [];

/** The barrier pipeline of test/slurm with another input and output. */
function pipelineFor(dir: string, input: string, output: string, type = 'jsonl'): string {
  mkdirSync(dir, { recursive: true });
  const file = barrierPipeline(dir, input);
  let text = readFileSync(file, 'utf8').replace('path: "out"', `path: ${JSON.stringify(output)}`);
  if (type !== 'jsonl') text = text.replace('type: jsonl', `type: ${type}`);
  writeFileSync(file, text);
  return file;
}

async function s3Manifest(url: string): Promise<Manifest> {
  const m = /^s3:\/\/([^/]+)\/(.*)$/.exec(url)!;
  return JSON.parse((await readAll(new S3Store(m[1]), `${m[2]}/manifest.json`)).toString('utf8')) as Manifest;
}

before(async () => {
  s3 = await startS3();
  for (const b of ['pools', 'releases']) await s3.createBucket(b);
  root = tempDir('thresher-s3-runs-');
  const pool = writeJsonlPool(path.join(root, 'pool.jsonl'), 20_000);
  await s3.client.send(new PutObjectCommand({ Bucket: 'pools', Key: 'text/pool.jsonl', Body: readFileSync(pool) }));
  const local = await cli(['run', pipelineFor(path.join(root, 'local'), pool, 'out'), '-q']);
  assert.equal(local.status, 0, local.stderr);
  reference = dataFingerprint(readManifest(path.join(root, 'local', 'out', 'v1')));
  assert.ok(reference.length > 0);
});

after(async () => {
  await s3?.stop();
});

test('input and release on S3: the data files equal a local run; verify passes, then fails after a data object is tampered with', async () => {
  const out = 's3://releases/curated';
  const run = await cli(['run', pipelineFor(path.join(root, 's3'), 's3://pools/text/', out), '-q']);
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stdout, /^release v1: s3:\/\/releases\/curated\/v1$/m);
  const manifest = await s3Manifest(`${out}/v1`);
  assert.deepEqual(dataFingerprint(manifest), reference, 'data files equal the local run');
  const ok = await cli(['verify', `${out}/v1`]);
  assert.equal(ok.status, 0, ok.stdout + ok.stderr);
  assert.match(ok.stdout, /s3:\/\/releases\/curated\/v1: OK, \d+ files match manifest\.json/);

  const data = manifest.files.find((f) => f.path.startsWith('data/'))!;
  const key = `curated/v1/${data.path}`;
  const bytes = await readAll(new S3Store('releases'), key);
  bytes[bytes.length >> 1] ^= 0xff;
  await s3.client.send(new PutObjectCommand({ Bucket: 'releases', Key: key, Body: bytes }));
  const bad = await cli(['verify', `${out}/v1`]);
  assert.equal(bad.status, 1);
  assert.match(bad.stdout, new RegExp(`^BAD s3://releases/${key}: sha256 differs from the manifest$`, 'm'));
});

test('Parquet input on S3 gives the same release as the same Parquet file read locally', async () => {
  const dir = path.join(root, 'parquet');
  mkdirSync(dir);
  const file = path.join(dir, 'pool.parquet');
  await withDuck(async (c) => void (await c.run(`COPY (SELECT * FROM read_json('${path.join(root, 'pool.jsonl')}')) TO '${file}' (FORMAT parquet, ROW_GROUP_SIZE 4000)`)));
  await s3.client.send(new PutObjectCommand({ Bucket: 'pools', Key: 'parquet/pool.parquet', Body: readFileSync(file) }));
  const local = await cli(['run', pipelineFor(path.join(dir, 'local'), file, 'out', 'parquet'), '-q']);
  assert.equal(local.status, 0, local.stderr);
  const remote = await cli(['run', pipelineFor(path.join(dir, 's3'), 's3://pools/parquet/pool.parquet', 'out', 'parquet'), '-q']);
  assert.equal(remote.status, 0, remote.stderr);
  assert.deepEqual(dataFingerprint(readManifest(path.join(dir, 's3', 'out', 'v1'))), dataFingerprint(readManifest(path.join(dir, 'local', 'out', 'v1'))));
});

test('a publication interrupted after the data, before the manifest, is no release; a rerun completes it', async () => {
  const out = 's3://releases/interrupted';
  const file = pipelineFor(path.join(root, 'interrupted'), 's3://pools/text/pool.jsonl', out);
  const pipeline = await loadPipelineFile(file);
  const layout = new RunLayout(outputRootOf(pipeline));
  await planRun(pipeline, layout, false);
  const ctx = loadTaskContext(pipeline, layout.outputRoot);
  let afterDigest = planDigest(ctx.run);
  for (const step of ctx.steps) {
    for (let rank = 0; rank < ctx.run.world_size; rank++) await runTask(ctx, step.name, rank, { after: afterDigest });
    afterDigest = stepState(layout, step, ctx.run.world_size, afterDigest).digest!;
  }
  await assert.rejects(
    finalizeRelease(ctx, {
      beforeManifest: () => {
        throw new Error('killed before the manifest');
      },
    }),
    /killed before the manifest/,
  );
  const store = new S3Store('releases');
  const keys = (await store.list('interrupted/v1/')).map((o) => o.key);
  assert.ok(
    keys.some((k) => k.startsWith('interrupted/v1/data/')),
    'the data went up',
  );
  assert.ok(!keys.includes('interrupted/v1/manifest.json'));
  assert.deepEqual(await new StoreReleases(store, 'interrupted/').versions(), [], 'no release without a manifest');
  const early = await cli(['verify', `${out}/v1`]);
  assert.equal(early.status, 1);
  assert.match(early.stdout, /manifest\.json: missing: not a thresher release/);

  const rerun = await cli(['run', file, '-q']);
  assert.equal(rerun.status, 0, rerun.stderr);
  assert.match(rerun.stdout, /^release v1: s3:\/\/releases\/interrupted\/v1$/m);
  assert.deepEqual(dataFingerprint(await s3Manifest(`${out}/v1`)), reference);
  assert.equal((await cli(['verify', `${out}/v1`])).status, 0);
});

test('a missing bucket or key is one clear line', async () => {
  const noBucket = await cli(['run', pipelineFor(path.join(root, 'nobucket'), 's3://no-such-bucket/pool.jsonl', 'out'), '-q']);
  assert.equal(noBucket.status, 1);
  assert.equal(noBucket.stderr.trim(), 'thresher: s3://no-such-bucket/: no such bucket');
  const noKey = await cli(['run', pipelineFor(path.join(root, 'nokey'), 's3://pools/missing/pool.jsonl', 'out'), '-q']);
  assert.equal(noKey.status, 1);
  assert.match(noKey.stderr, /^thresher: s3:\/\/pools\/missing\/pool\.jsonl: no such key or prefix$/m);
  const verify = await cli(['verify', 's3://no-such-bucket/v1']);
  assert.equal(verify.status, 1);
  assert.equal(verify.stderr.trim(), 'thresher: s3://no-such-bucket/: no such bucket');
});
