import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { tempDir } from '../helpers/fixtures.js';
import { thresherAsync } from '../helpers/cli.js';
import { dataFingerprint, readManifest } from '../helpers/pools.js';
import { skipWithoutShared } from '../helpers/shared.js';
import { releasedShards, runCli, writeUrlPipeline, type PoolRow } from './run.js';
import { startImageHost } from './server.js';

function markers(out: string): number {
  const steps = path.join(out, '.thresher', 'work', 'steps');
  if (!existsSync(steps)) return 0;
  return readdirSync(steps).reduce((n, s) => n + (existsSync(path.join(steps, s, 'done')) ? readdirSync(path.join(steps, s, 'done')).filter((f) => f.endsWith('.json')).length : 0), 0);
}

/** Start a run and SIGKILL it once `atMarkers` tasks are complete; true if it was killed mid-run. */
async function killAfter(pipeline: string, out: string, atMarkers: number): Promise<boolean> {
  const child = thresherAsync(['run', pipeline, '--workers', '1']);
  child.stdout?.resume();
  child.stderr?.resume();
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  let done = false;
  void exited.then(() => (done = true));
  while (!done) {
    if (markers(out) >= atMarkers) {
      child.kill('SIGKILL');
      await exited;
      return true;
    }
    await new Promise((r) => setTimeout(r, 5));
  }
  return false;
}

test('download killed with SIGKILL mid-run resumes to byte-identical shards and data', async (t) => {
  if (skipWithoutShared(t)) return;
  // Every image answers after 40 ms: four tasks of ten downloads, two at a time, take long enough to be cut.
  const host = await startImageHost({ delayMs: 40 });
  t.after(() => host.close());
  const names = [...host.images.keys()];
  const rows: PoolRow[] = Array.from({ length: 40 }, (_, i) => ({
    id: `p${i}`,
    url: `${host.base}/img/${encodeURIComponent(names[i % names.length])}`,
    caption: `picture ${i} of ${names[i % names.length]}`,
  }));
  rows[7] = { id: 'p7', url: `${host.base}/status/404`, caption: 'gone' };
  const stages = '  - download: { resize: shortest_side, size: 96, concurrency: 2, per_host: 2 }';
  const root = tempDir();
  const [refDir, cutDir] = ['ref', 'cut'].map((d) => path.join(root, d));
  for (const d of [refDir, cutDir]) mkdirSync(d);
  const ref = await runCli(['run', writeUrlPipeline(refDir, rows, stages, 4), '--workers', '2']);
  assert.equal(ref.status, 0, ref.stderr);

  const pipeline = writeUrlPipeline(cutDir, rows, stages, 4);
  const out = path.join(cutDir, 'out');
  const kills = [];
  for (const at of [1, 2]) kills.push(await killAfter(pipeline, out, at));
  assert.ok(kills.some(Boolean), 'killed mid-run at least once');
  const resumed = await runCli(['run', pipeline, '--workers', '2']);
  assert.equal(resumed.status, 0, resumed.stderr);

  const a = releasedShards(path.join(refDir, 'out', 'v1'));
  const b = releasedShards(path.join(out, 'v1'));
  assert.equal(a.size, 4, 'one shard per task batch');
  assert.deepEqual([...b.keys()], [...a.keys()]);
  for (const [name, bytes] of a) assert.ok(bytes.equals(b.get(name)!), `${name} byte-identical`);
  assert.deepEqual(dataFingerprint(readManifest(path.join(out, 'v1'))), dataFingerprint(readManifest(path.join(refDir, 'out', 'v1'))));
});
