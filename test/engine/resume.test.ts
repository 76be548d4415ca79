import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Manifest } from '../../src/release/manifest.js';
import { makeCodeTree, tempDir, writePipeline } from '../helpers/fixtures.js';
import { thresher, thresherAsync } from '../helpers/cli.js';
import { dataFingerprint, jsonlPipeline, readManifest, writeJsonlPool } from '../helpers/pools.js';

function markers(out: string): number {
  const steps = path.join(out, '.thresher', 'work', 'steps');
  if (!existsSync(steps)) return 0;
  return readdirSync(steps).reduce((n, s) => n + (existsSync(path.join(steps, s, 'done')) ? readdirSync(path.join(steps, s, 'done')).filter((f) => f.endsWith('.json')).length : 0), 0);
}

/** Start a run and SIGKILL it once `atMarkers` tasks are complete; true if it was killed mid-run. */
async function killAfter(pipeline: string, out: string, atMarkers: number): Promise<boolean> {
  const child = thresherAsync(['run', pipeline, '--workers', '1']);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  let done = false;
  exited.then(() => (done = true));
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

// stats.json holds times, and report.html shows them: the only files that may differ between runs
const fingerprint = (m: Manifest) => m.files.filter((f) => f.path !== 'stats.json' && f.path !== 'report.html').map((f) => `${f.path} ${f.sha256} ${f.rows}`);

test('a run killed with SIGKILL at several points resumes to byte-identical data and checksums', async () => {
  const root = tempDir();
  const input = makeCodeTree(root, ['commander', 'yaml', 'zod', 'cli-progress']);
  const refDir = path.join(root, 'ref');
  const cutDir = path.join(root, 'cut');
  for (const d of [refDir, cutDir]) {
    mkdirSync(d);
    writePipeline(d, input, { tasks: 6 });
  }
  const ref = thresher(['run', path.join(refDir, 'pipeline.yaml'), '--workers', '2']);
  assert.equal(ref.status, 0, ref.stderr);

  const pipeline = path.join(cutDir, 'pipeline.yaml');
  const out = path.join(cutDir, 'out');
  // segment-0 has 6 tasks, the dedup reduce 6, segment-1 6: kill inside each step.
  const kills = [];
  for (const at of [2, 7, 14]) kills.push(await killAfter(pipeline, out, at));
  assert.ok(kills.filter(Boolean).length >= 2, `killed mid-run ${kills.filter(Boolean).length} times`);
  assert.ok(!existsSync(path.join(out, 'v1')) || kills.some((k) => !k));
  const resumed = thresher(['run', pipeline, '--workers', '2']);
  assert.equal(resumed.status, 0, resumed.stderr);
  assert.match(resumed.stderr, /resuming run/);

  const a = JSON.parse(readFileSync(path.join(refDir, 'out', 'v1', 'manifest.json'), 'utf8')) as Manifest;
  const b = JSON.parse(readFileSync(path.join(out, 'v1', 'manifest.json'), 'utf8')) as Manifest;
  assert.deepEqual(fingerprint(b), fingerprint(a));
  assert.deepEqual(b.counts.excluded, a.counts.excluded);
  assert.equal(readdirSync(out).filter((n) => /^v\d+$/.test(n)).length, 1, 'the interrupted run made exactly one release');
  assert.equal(thresher(['verify', path.join(out, 'v1')]).status, 0);
});

test('plan + one task per (step, rank) + finalize gives the same release as run', async () => {
  const root = tempDir();
  const input = makeCodeTree(root, ['commander', 'fzstd']);
  const a = path.join(root, 'a');
  const b = path.join(root, 'b');
  mkdirSync(a);
  mkdirSync(b);
  writePipeline(a, input, { tasks: 3 });
  writePipeline(b, input, { tasks: 3 });
  assert.equal(thresher(['run', path.join(a, 'pipeline.yaml')]).status, 0);
  const plan = thresher(['plan', path.join(b, 'pipeline.yaml')]);
  assert.equal(plan.status, 0, plan.stderr);
  const steps = (JSON.parse(plan.stdout) as { steps: { name: string; ranks: number }[] }).steps;
  assert.deepEqual(
    steps.map((s) => s.name),
    ['segment-0', 'reduce-2-dedup_exact', 'segment-1'],
  );
  for (const s of steps) {
    for (let r = s.ranks - 1; r >= 0; r--) {
      const t = thresher(['task', path.join(b, 'pipeline.yaml'), '--step', s.name, '--rank', String(r)]);
      assert.equal(t.status, 0, t.stderr);
    }
  }
  const early = thresher(['task', path.join(b, 'pipeline.yaml'), '--step', 'segment-0', '--rank', '0']);
  assert.match(early.stderr, /already complete/);
  const fin = thresher(['finalize', path.join(b, 'pipeline.yaml')]);
  assert.equal(fin.status, 0, fin.stderr);
  const ma = JSON.parse(readFileSync(path.join(a, 'out', 'v1', 'manifest.json'), 'utf8')) as Manifest;
  const mb = JSON.parse(readFileSync(path.join(b, 'out', 'v1', 'manifest.json'), 'utf8')) as Manifest;
  assert.deepEqual(fingerprint(mb), fingerprint(ma));
});

test('a second run on the same output while one is running is refused; a killed run leaves no lock behind', async () => {
  const root = tempDir();
  const input = makeCodeTree(root, ['commander', 'yaml', 'zod']);
  writePipeline(root, input, { tasks: 6 });
  const pipeline = path.join(root, 'pipeline.yaml');
  const out = path.join(root, 'out');
  const first = thresherAsync(['run', pipeline, '--workers', '1']);
  const exited = new Promise<number | null>((resolve) => first.on('exit', (code) => resolve(code)));
  while (!existsSync(path.join(out, '.thresher', 'run.lock'))) await new Promise((r) => setTimeout(r, 5));
  const second = thresher(['run', pipeline]);
  assert.equal(second.status, 1);
  assert.match(second.stderr, /another thresher run \(pid \d+\) is using this output folder/);
  first.kill('SIGKILL');
  await exited;
  assert.ok(existsSync(path.join(out, '.thresher', 'run.lock')), 'SIGKILL leaves the lock file');
  const resumed = thresher(['run', pipeline]);
  assert.equal(resumed.status, 0, resumed.stderr);
  assert.ok(!existsSync(path.join(out, '.thresher', 'run.lock')), 'a finished run removes its lock');
});

test('killed at eight pseudo-random instants in a row (a JSONL pool with dedup), every resume goes on and the release is byte-identical', async () => {
  const root = tempDir();
  const pool = writeJsonlPool(path.join(root, 'pool.jsonl'), 150_000);
  const ref = path.join(root, 'ref');
  const cut = path.join(root, 'cut');
  for (const d of [ref, cut]) mkdirSync(d);
  const refRun = thresher(['run', jsonlPipeline(ref, pool, { tasks: 5 }), '-q']);
  assert.equal(refRun.status, 0, refRun.stderr);
  const pipeline = jsonlPipeline(cut, pool, { tasks: 5 });
  let seed = 7;
  for (let k = 0; k < 8; k++) {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    const child = thresherAsync(['run', pipeline, '-w', '2', '-q']);
    let stderr = '';
    child.stderr?.on('data', (d) => (stderr += String(d)));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const timer = setTimeout(() => child.kill('SIGKILL'), 150 + (seed % 1200));
    const code = await exited;
    clearTimeout(timer);
    assert.ok(code === null || code === 0, `attempt ${k} failed on its own: ${stderr}`);
    if (code === 0) break;
  }
  const last = thresher(['run', pipeline, '-q']);
  assert.equal(last.status, 0, last.stderr);
  const a = readManifest(path.join(ref, 'out', 'v1'));
  const b = readManifest(path.join(cut, 'out', 'v1'));
  assert.deepEqual(dataFingerprint(b), dataFingerprint(a));
  assert.deepEqual(b.counts.excluded, a.counts.excluded);
});
