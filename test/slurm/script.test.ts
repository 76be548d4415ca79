/** The Slurm executor's pure parts: scripts, dependency chains, queue parsing, task states, options. No Slurm needed. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RunLayout } from '../../src/engine/layout.js';
import { dependencyArgs, pendingJobs } from '../../src/executors/slurm/plan.js';
import { parseSacct, parseSqueue } from '../../src/executors/slurm/queue.js';
import { arrayRanges, jobName, renderFinalizeScript, renderStepScript, shellQuote, type JobText } from '../../src/executors/slurm/script.js';
import { classifyTask } from '../../src/executors/slurm/task-states.js';
import { parsePipeline } from '../../src/pipeline/load.js';
import { slurmSchema } from '../../src/pipeline/schema.js';
import { thresher } from '../helpers/cli.js';

const options = slurmSchema.parse({
  partition: 'cpu',
  time: '1-02:00:00',
  mem: '8G',
  cpus_per_task: 2,
  array_parallelism: 16,
  sbatch_options: ['--account=data', '--qos=low'],
  setup: ['module load nodejs/20'],
});
const job: JobText = {
  name: 'thresher-pool-segment-0',
  output: '/shared/out/.thresher/slurm/r1/logs/segment-0/%5a.log',
  command: '/usr/bin/node /opt/thresher/dist/src/cli/main.js',
  pipelineFile: '/shared/pipes/my pool.yaml',
  options,
};

test('arrayRanges writes the shortest --array list', () => {
  assert.equal(arrayRanges([0, 1, 2, 3]), '0-3');
  assert.equal(arrayRanges([7, 0, 1, 2, 5, 8, 2]), '0-2,5,7-8');
  assert.equal(arrayRanges([4]), '4');
});

test('a step script is one job array over its ranks, with every option, logging per task, running thresher task', () => {
  const text = renderStepScript(job, 'segment-0', [0, 1, 2, 5]);
  const lines = text.split('\n');
  assert.equal(lines[0], '#!/bin/bash');
  assert.deepEqual(
    lines.filter((l) => l.startsWith('#SBATCH')),
    [
      '#SBATCH --job-name=thresher-pool-segment-0',
      '#SBATCH --array=0-2,5%16',
      '#SBATCH --output=/shared/out/.thresher/slurm/r1/logs/segment-0/%5a.log',
      '#SBATCH --open-mode=append',
      '#SBATCH --kill-on-invalid-dep=yes',
      '#SBATCH --cpus-per-task=2',
      '#SBATCH --partition=cpu',
      '#SBATCH --time=1-02:00:00',
      '#SBATCH --mem=8G',
      '#SBATCH --account=data',
      '#SBATCH --qos=low',
    ],
  );
  assert.ok(lines.indexOf('module load nodejs/20') < lines.findIndex((l) => l.startsWith('exec ')), 'setup runs before the task');
  assert.match(text, /^echo "thresher-slurm: job \$\{SLURM_ARRAY_JOB_ID\}_\$\{SLURM_ARRAY_TASK_ID\} started on /m);
  assert.match(text, /^exec \/usr\/bin\/node \/opt\/thresher\/dist\/src\/cli\/main\.js task '\/shared\/pipes\/my pool\.yaml' --step segment-0 --rank "\$SLURM_ARRAY_TASK_ID"$/m);
});

test('the finalize script is one plain job running thresher finalize; without options only what thresher needs is set', () => {
  const bare = { ...job, options: slurmSchema.parse({}), name: 'thresher-pool-finalize', output: '/o/finalize.log' };
  const text = renderFinalizeScript(bare);
  assert.deepEqual(
    text.split('\n').filter((l) => l.startsWith('#SBATCH')),
    ['#SBATCH --job-name=thresher-pool-finalize', '#SBATCH --output=/o/finalize.log', '#SBATCH --open-mode=append', '#SBATCH --kill-on-invalid-dep=yes', '#SBATCH --cpus-per-task=1'],
  );
  assert.match(text, /^exec .* finalize '\/shared\/pipes\/my pool\.yaml'$/m);
  assert.doesNotMatch(text, /--array|SLURM_ARRAY/);
});

test('paths with blanks are double-quoted in #SBATCH lines; log patterns escape a literal %; names and arguments are made safe', () => {
  assert.match(renderFinalizeScript({ ...job, output: '/my data/finalize.log' }), /^#SBATCH --output="\/my data\/finalize\.log"$/m);
  assert.throws(() => renderFinalizeScript({ ...job, output: '/a"b/finalize.log' }), /double quote/);
  assert.equal(new RunLayout('/out/100%').taskLogPattern('r1', 'segment-0'), '/out/100%%/.thresher/slurm/r1/logs/segment-0/%5a.log');
  assert.equal(new RunLayout('/out').taskLog('r1', 'segment-0', 5), '/out/.thresher/slurm/r1/logs/segment-0/00005.log');
  assert.equal(jobName('my pool!', 'reduce-0-dedup_exact'), 'thresher-my_pool_-reduce-0-dedup_exact');
  assert.equal(shellQuote("it's"), `'it'\\''s'`);
  assert.equal(shellQuote('/plain/path.yaml'), '/plain/path.yaml');
});

test('a fresh run chains every step after the one before, all ranks', () => {
  const none = [false, false, false];
  const jobs = pendingJobs([
    { name: 'segment-0', valid: none },
    { name: 'reduce-0-dedup_exact', valid: none },
    { name: 'segment-1', valid: none },
  ]);
  assert.deepEqual(jobs, [
    { step: 'segment-0', ranks: [0, 1, 2], after: undefined },
    { step: 'reduce-0-dedup_exact', ranks: [0, 1, 2], after: 0 },
    { step: 'segment-1', ranks: [0, 1, 2], after: 1 },
  ]);
  assert.deepEqual(dependencyArgs(undefined), []);
  assert.deepEqual(dependencyArgs('4711'), ['--dependency=afterok:4711']);
});

test('a rerun submits only incomplete tasks: complete steps are skipped, the first incomplete step runs its missing ranks', () => {
  const jobs = pendingJobs([
    { name: 'segment-0', valid: [true, true, true, true] },
    { name: 'reduce-0-dedup_exact', valid: [true, false, true, false] },
    { name: 'segment-1', valid: [false, false, false, false] },
  ]);
  assert.deepEqual(jobs, [
    { step: 'reduce-0-dedup_exact', ranks: [1, 3], after: undefined },
    { step: 'segment-1', ranks: [0, 1, 2, 3], after: 0 },
  ]);
  assert.deepEqual(pendingJobs([{ name: 'segment-0', valid: [true, true] }]), [], 'a complete run submits finalize only');
});

test('squeue and sacct lines parse to one entry per array task', () => {
  const q = parseSqueue('12|0|RUNNING|None\n12|1|PENDING|Priority\n13|N/A|PENDING|Dependency\n\n');
  assert.deepEqual([...q.keys()], ['12_0', '12_1', '13']);
  assert.deepEqual(q.get('12_1'), { key: '12_1', state: 'PENDING', reason: 'Priority' });
  const a = parseSacct('12_0|COMPLETED\n12_1|CANCELLED by 0\n14_[2-5]|PENDING\n');
  assert.deepEqual([...a.keys()], ['12_0', '12_1']);
  assert.equal(a.get('12_1')?.state, 'CANCELLED');
});

test('task states: the marker proves done; Slurm decides the rest; a task Slurm forgot failed if its log shows it started', () => {
  const e = (state: string, reason = 'None') => ({ key: 'k', state, reason });
  assert.equal(classifyTask(true, '12_0', e('FAILED'), true).state, 'done');
  assert.deepEqual(classifyTask(false, '12_0', e('PENDING', 'Dependency'), false), { state: 'pending', detail: 'PENDING Dependency' });
  assert.equal(classifyTask(false, '12_0', e('RUNNING'), true).state, 'running');
  assert.deepEqual(classifyTask(false, '12_0', e('FAILED', 'NonZeroExitCode'), true), { state: 'failed', detail: 'FAILED NonZeroExitCode' });
  assert.equal(classifyTask(false, '12_0', e('TIMEOUT'), true).state, 'failed');
  assert.equal(classifyTask(false, '12_0', e('COMPLETED'), true).state, 'failed', 'exit 0 without a marker is no success');
  assert.equal(classifyTask(false, '12_0', e('CANCELLED', 'DependencyNeverSatisfied'), false).state, 'not run');
  assert.equal(classifyTask(false, '12_0', e('CANCELLED'), true).state, 'failed');
  assert.equal(classifyTask(false, '12_0', undefined, true).state, 'failed');
  assert.equal(classifyTask(false, '12_0', undefined, false).state, 'not run');
  assert.equal(classifyTask(false, undefined, undefined, false).state, 'not run');
});

test('execution.slurm is validated: time and memory formats, no option thresher sets itself, executor names', async () => {
  const pipe = (execution: string) => parsePipeline(`input:\n  type: jsonl\n  path: in.jsonl\noutput:\n  path: out\nexecution:\n${execution}`, '/p/x.yaml', '/p', 'x.yaml');
  const ok = await pipe('  executor: slurm\n  slurm:\n    partition: cpu\n    time: "2:00:00"\n    mem: 4G\n');
  assert.equal(ok.spec.execution.executor, 'slurm');
  assert.deepEqual(ok.spec.execution.slurm, { partition: 'cpu', time: '2:00:00', mem: '4G', cpus_per_task: 1, sbatch_options: [], setup: [] });
  assert.equal((await pipe('  tasks: 2\n')).spec.execution.executor, 'local');
  await assert.rejects(pipe('  slurm:\n    time: two hours\n'), /x\.yaml:\d+:\d+: .*a Slurm time/);
  await assert.rejects(pipe('  slurm:\n    mem: 4GB\n'), /a Slurm memory size/);
  await assert.rejects(pipe('  slurm:\n    sbatch_options: ["--array=0-3"]\n'), /thresher sets --array/);
  await assert.rejects(pipe('  executor: ray\n'), /executor/);
});

test('thresher run --help lists the executors; an unknown --executor is one clear error', () => {
  const help = thresher(['run', '--help']);
  const flat = help.stdout.replace(/\s+/g, ' ');
  assert.match(flat, /--executor <name> where tasks run: local = worker threads on this machine; slurm = one job array per step on a Slurm cluster .*\(choices: "local", "slurm"\)/);
  assert.match(flat, /--wait slurm: follow the jobs/);
  const bad = thresher(['run', 'p.yaml', '--executor', 'ray']);
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /argument 'ray' is invalid\. Allowed choices are local, slurm/);
});
