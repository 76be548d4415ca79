/**
 * Real runs on a single-node Slurm cluster (see cluster.ts): skipped with the reason when Slurm
 * is missing, failing instead in CI. One cluster for the whole file; the tests run in order.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { thresher } from '../helpers/cli.js';
import { tempDir } from '../helpers/fixtures.js';
import { dataFingerprint, readManifest, writeJsonlPool } from '../helpers/pools.js';
import type { SlurmRunRecord } from '../../src/executors/slurm/record.js';
import { needsSlurm, startCluster, type SlurmCluster } from './cluster.js';
import { barrierPipeline } from './pools.js';

const options = needsSlurm();
let cluster: SlurmCluster | undefined;
let root = '';
let pool = '';
let reference: string[] = [];

before(async () => {
  if (options.skip) return;
  cluster = await startCluster();
  root = tempDir('thresher-slurm-runs-');
  pool = writeJsonlPool(path.join(root, 'pool.jsonl'), 60_000);
  const dir = path.join(root, 'local');
  mkdirSync(dir);
  const local = thresher(['run', barrierPipeline(dir, pool), '-q']);
  assert.equal(local.status, 0, local.stderr);
  reference = dataFingerprint(readManifest(path.join(dir, 'out', 'v1')));
});

after(async () => {
  await cluster?.stop();
});

function record(out: string): SlurmRunRecord {
  const dir = path.join(out, '.thresher', 'slurm');
  const [runId] = readdirSync(dir);
  return JSON.parse(readFileSync(path.join(dir, runId, 'jobs.json'), 'utf8')) as SlurmRunRecord;
}

/** Slurm's states of every array task and job of a submission (squeue keeps ended ones: MinJobAge). */
function jobStates(ids: string[]): string[] {
  const r = spawnSync('squeue', ['-h', '-r', '-t', 'all', '-j', ids.join(','), '-o', '%T'], { encoding: 'utf8' });
  return r.stdout.trim().split('\n').filter(Boolean);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(what: string, check: () => boolean, ms = 120_000): Promise<void> {
  for (let waited = 0; !check(); waited += 25) {
    if (waited > ms) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}

test('a pipeline with barriers run through Slurm (executor in the pipeline file, --wait) releases the same data files as a local run', options, () => {
  const dir = path.join(root, 'slurm');
  mkdirSync(dir);
  const pipeline = barrierPipeline(dir, pool, { execution: '  executor: slurm\n  slurm:\n    array_parallelism: 2\n    time: "10:00"\n' });
  const run = thresher(['run', pipeline, '--wait']);
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stderr, /submitted 20 tasks in 5 job arrays \(segment-0 \d+, reduce-0-dedup_exact \d+, segment-1 \d+, reduce-2-metaclip_balance \d+, segment-2 \d+\) and finalize \d+/);
  assert.match(run.stderr, /slurm: 21\/21 tasks done/);
  assert.match(run.stdout, /^release v1: /);
  const out = path.join(dir, 'out');
  assert.deepEqual(dataFingerprint(readManifest(path.join(out, 'v1'))), reference, 'data files equal the local run');
  assert.equal(thresher(['verify', path.join(out, 'v1')]).status, 0);
  // One log per task, each opened by its attempt's banner; the task's own output follows.
  const rec = record(out);
  const log = readFileSync(path.join(out, '.thresher', 'slurm', rec.run_id, 'logs', 'segment-1', '00002.log'), 'utf8');
  assert.match(log, new RegExp(`^thresher-slurm: job ${rec.submissions[0].steps[2].job_id}_2 started on `));
  assert.match(log, /segment-1\/2: done in /);
  const status = thresher(['status', out]);
  assert.match(status.stdout, new RegExp(`run ${rec.run_id}: released as v1`));
});

test('scancel of one array task mid-run fails it; status names its log; a rerun submits only what is incomplete and completes the release', options, async () => {
  const dir = path.join(root, 'cancel');
  mkdirSync(dir);
  const pipeline = barrierPipeline(dir, pool);
  const out = path.join(dir, 'out');
  const submit = thresher(['run', pipeline, '--executor', 'slurm']);
  assert.equal(submit.status, 0, submit.stderr);
  assert.match(submit.stdout, /submitted: follow it with `thresher status /);
  const first = record(out).submissions[0];
  const seg0 = first.steps[0].job_id;
  // Catch rank 1's `thresher task` process as soon as it runs and hold it there (SIGSTOP), so
  // the cancel cannot arrive after it has finished, however fast or busy the machine (Slurm
  // sends SIGCONT with SIGTERM, and thresher task has no SIGTERM handler).
  // Only this test's task: other test runs on the machine have processes with the same step and rank.
  const own = `${pipeline.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} --step segment-0 --rank 1$`;
  const taskPids = () => spawnSync('pgrep', ['-f', '--', own], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean);
  await until('segment-0/1 to start', () => taskPids().length > 0);
  for (const pid of taskPids()) process.kill(Number(pid), 'SIGSTOP');
  assert.equal(spawnSync('scancel', [`${seg0}_1`]).status, 0);
  const ids = [...first.steps.map((s) => s.job_id), first.finalize_job_id];
  await until('the submission to end', () => jobStates(ids).every((s) => !/PENDING|RUNNING|COMPLETING|CONFIGURING/.test(s)));
  assert.ok(!existsSync(path.join(out, '.thresher', 'work', 'steps', 'segment-0', 'done', '00001.json')), 'the cancelled task left no marker');

  const status = thresher(['status', out]);
  assert.equal(status.status, 0, status.stderr);
  assert.match(status.stdout, /^segment-0\s+3\/4\s+0\s+0\s+1\s+0$/m);
  assert.match(status.stdout, /^reduce-0-dedup_exact\s+0\/4\s+0\s+0\s+0\s+4$/m, 'downstream tasks were cancelled before they ran');
  assert.match(status.stdout, /^failed:\n {2}segment-0\/1\s+CANCELLED\s+\S+\/logs\/segment-0\/00001\.log$/m);

  const rerun = thresher(['run', pipeline, '--executor', 'slurm', '--wait']);
  assert.equal(rerun.status, 0, rerun.stderr);
  const second = record(out).submissions[1];
  assert.deepEqual(
    second.steps.map((s) => `${s.step}:${s.ranks.join(',')}`),
    ['segment-0:1', 'reduce-0-dedup_exact:0,1,2,3', 'segment-1:0,1,2,3', 'reduce-2-metaclip_balance:0,1,2,3', 'segment-2:0,1,2,3'],
  );
  assert.deepEqual(dataFingerprint(readManifest(path.join(out, 'v1'))), reference);
});

test('a failing task fails the run, naming its log; status lists it as failed with that log', options, () => {
  const dir = path.join(root, 'failing');
  mkdirSync(dir);
  const bad = writeJsonlPool(path.join(dir, 'bad.jsonl'), 8_000);
  writeFileSync(bad, readFileSync(bad, 'utf8') + '{"id": "broken", "text": \n');
  const pipeline = barrierPipeline(dir, bad, { tasks: 2 });
  writeFileSync(pipeline, readFileSync(pipeline, 'utf8').replace('on_bad_input: quarantine', 'on_bad_input: fail'));
  const run = thresher(['run', pipeline, '--executor', 'slurm', '--wait']);
  assert.equal(run.status, 1);
  const line = run.stderr.trim().split('\n').pop()!;
  const m = /^thresher: task segment-0\/1 failed \(FAILED NonZeroExitCode\): see (\S+\/logs\/segment-0\/00001\.log)$/.exec(line);
  assert.ok(m, line);
  assert.match(readFileSync(m[1], 'utf8'), /^thresher: \S+bad\.jsonl:row 8000: invalid JSON/m, "the log holds the task's error");
  const status = thresher(['status', path.join(dir, 'out')]);
  assert.match(status.stdout, new RegExp(`^ {2}segment-0/1\\s+FAILED NonZeroExitCode\\s+${m[1].replaceAll('.', '\\.')}$`, 'm'));
  assert.match(status.stdout, /^segment-0\s+1\/2\s+0\s+0\s+1\s+0$/m);
});
