import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TaskLock } from '../../src/engine/task-lock.js';
import { tempDir } from '../helpers/fixtures.js';
import { thresher, thresherAsync } from '../helpers/cli.js';
import { jsonlPipeline, readManifest, writeJsonlPool } from '../helpers/pools.js';

async function waitFor(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 20_000 && !check(); i++) await new Promise((r) => setTimeout(r, 1));
  assert.ok(check(), `timed out waiting for ${what}`);
}

function exitOf(child: ReturnType<typeof thresherAsync>): Promise<{ code: number | null; stderr: string }> {
  let stderr = '';
  child.stderr?.on('data', (d) => (stderr += String(d)));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, stderr })));
}

test('the same task started twice at once: the second is refused with one line, the first completes', async () => {
  const dir = tempDir();
  const pool = writeJsonlPool(path.join(dir, 'pool.jsonl'), 400_000);
  const pipeline = jsonlPipeline(dir, pool, { tasks: 1, stages: '  - file_filter: {}' });
  assert.equal(thresher(['plan', pipeline]).status, 0);
  const lock = path.join(dir, 'out', '.thresher', 'work', 'steps', 'segment-0', 'locks', '00000.lock');
  const first = thresherAsync(['task', pipeline, '--step', 'segment-0', '--rank', '0']);
  const firstExit = exitOf(first);
  await waitFor(() => existsSync(lock), 'the first attempt to take its lock');
  const second = thresher(['task', pipeline, '--step', 'segment-0', '--rank', '0', '--force']);
  const done = await firstExit;
  assert.equal(done.code, 0, done.stderr);
  assert.equal(second.status, 1, second.stderr);
  assert.match(second.stderr, new RegExp(`^thresher: segment-0/0: already running \\(pid ${first.pid} on ${os.hostname()}, since .*\\); lock .*00000\\.lock\\n$`));
  const fin = thresher(['finalize', pipeline]);
  assert.equal(fin.status, 0, fin.stderr);
  assert.equal(readManifest(path.join(dir, 'out', 'v1')).counts.input_records, 400_000);
});

test('plan --fresh while a run is going is refused instead of wiping its work', async () => {
  const dir = tempDir();
  const pool = writeJsonlPool(path.join(dir, 'pool.jsonl'), 400_000);
  const pipeline = jsonlPipeline(dir, pool, { tasks: 2 });
  const run = thresherAsync(['run', pipeline, '-w', '1']);
  const runExit = exitOf(run);
  await waitFor(() => existsSync(path.join(dir, 'out', '.thresher', 'work', 'run.json')), 'the run to be planned');
  const fresh = thresher(['plan', pipeline, '--fresh']);
  const done = await runExit;
  assert.equal(fresh.status, 1, fresh.stderr);
  assert.match(fresh.stderr, /another thresher run \(pid \d+\) is using this output folder/);
  assert.equal(done.code, 0, done.stderr);
});

test('task locks: a live holder blocks, a dead one on this host or a silent one on another host is taken over', () => {
  const dir = tempDir();
  const file = path.join(dir, 'locks', '00000.lock');
  const held = TaskLock.acquire(file, 'seg/0', 'a1');
  assert.throws(() => TaskLock.acquire(file, 'seg/0', 'a2'), /seg\/0: already running \(pid \d+ on /);
  held.release();
  assert.ok(!existsSync(file));

  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify({ host: os.hostname(), pid: 2 ** 22 + 12345, attempt: 'dead', started: 'then' }));
  TaskLock.acquire(file, 'seg/0', 'a3').release();
  writeFileSync(file, ''); // debris of an older thresher killed between create and write
  TaskLock.acquire(file, 'seg/0', 'a3b').release();

  writeFileSync(file, JSON.stringify({ host: 'another-node', pid: 1, attempt: 'far', started: 'now' }));
  assert.throws(() => TaskLock.acquire(file, 'seg/0', 'a4'), /already running \(pid 1 on another-node/);
  const old = new Date(Date.now() - 120_000);
  utimesSync(file, old, old);
  const taken = TaskLock.acquire(file, 'seg/0', 'a5');
  assert.ok(taken.owns());
  writeFileSync(file, JSON.stringify({ host: 'another-node', pid: 1, attempt: 'thief', started: 'now' }));
  assert.ok(!taken.owns(), 'an attempt whose lock was taken over knows it');
  taken.release();
  assert.ok(existsSync(file), "release leaves another attempt's lock alone");
});
