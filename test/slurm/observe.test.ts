/**
 * Looking at a run whose work folder is on S3 (s3rver in this process) while its tasks finish
 * on another machine's copy of the run. No Slurm: the queue poll is a function here, so a task
 * can end exactly between the queue poll (or the lease listing) and the marker fetch. Slurm,
 * like the real one, says COMPLETED only once the task's marker is in the store.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { tempDir } from '../helpers/fixtures.js';
import { jsonlPipeline, writeJsonlPool } from '../helpers/pools.js';
import { cli, startS3, type TestS3 } from '../s3/server.js';
import { RunLayout } from '../../src/engine/layout.js';
import { planDigest } from '../../src/engine/markers.js';
import { outputRootOf } from '../../src/engine/output-root.js';
import { RemoteWork } from '../../src/engine/remote-work.js';
import { planRun } from '../../src/engine/run-state.js';
import { loadTaskContext, openTaskContext, runTask, type TaskContext } from '../../src/engine/task.js';
import { observeRun } from '../../src/executors/slurm/observe.js';
import type { QueueEntry } from '../../src/executors/slurm/queue.js';
import type { Submission } from '../../src/executors/slurm/record.js';
import { observeStatus } from '../../src/cli/status.js';
import { remoteRunView } from '../../src/cli/status-store.js';
import type { LoadedPipeline } from '../../src/pipeline/load.js';
import { loadPipelineFile } from '../../src/pipeline/load.js';

let s3: TestS3;
let root = '';
let pool = '';

before(async () => {
  s3 = await startS3();
  await s3.createBucket('work');
  root = tempDir('thresher-observe-');
  pool = writeJsonlPool(path.join(root, 'pool.jsonl'), 2_000);
});

after(async () => {
  await s3?.stop();
});

interface Planned {
  pipeline: LoadedPipeline;
  workUrl: string;
  /** the submitting machine's copy of the run: the one that looks */
  watcher: TaskContext;
  /** another machine's copy, where the tasks run */
  node: TaskContext;
  step: string;
  submission: Submission;
}

async function plannedRun(name: string): Promise<Planned> {
  const dir = path.join(root, name);
  mkdirSync(dir);
  const workUrl = `s3://work/${name}`;
  const file = jsonlPipeline(dir, pool, { tasks: 2 });
  appendFileSync(file, `  s3:\n    work_dir: ${JSON.stringify(workUrl)}\n`);
  const pipeline = await loadPipelineFile(file);
  const layout = new RunLayout(outputRootOf(pipeline));
  await planRun(pipeline, layout, false);
  const watcher = loadTaskContext(pipeline, layout.outputRoot);
  const node = await openTaskContext(pipeline, path.join(dir, 'node'));
  const step = watcher.steps[0].name;
  const submission = { submitted_at: new Date().toISOString(), steps: [{ step, job_id: '101', ranks: [0, 1] }], finalize_job_id: '102' };
  return { pipeline, workUrl, watcher, node, step, submission };
}

const entry = (key: string, state: string, reason = 'None'): [string, QueueEntry] => [key, { key, state, reason }];

/** Rank `rank` of the first step runs to its marker on the node, once, when `finish` is first called. */
function finisher(p: Planned, rank: number): () => Promise<void> {
  let done: Promise<unknown> | undefined;
  return async () => void (await (done ??= runTask(p.node, p.step, rank, { after: planDigest(p.node.run) })));
}

/** Slurm's queue: rank 0 ends as it is polled (its marker stored first), rank 1 runs, finalize waits. */
function racingQueue(finish: () => Promise<void>): (ids: string[]) => Promise<Map<string, QueueEntry>> {
  return async (ids) => {
    assert.deepEqual(ids, ['101', '102']);
    await finish();
    return new Map([entry('101_0', 'COMPLETED'), entry('101_1', 'RUNNING'), entry('102', 'PENDING', 'Dependency')]);
  };
}

test('a task that ends between the queue poll and the marker fetch is done, not failed (Slurm wait)', async () => {
  const p = await plannedRun('wait');
  const before = await observeRun(p.watcher, p.submission, { poll: () => new Map([entry('101_0', 'RUNNING'), entry('101_1', 'RUNNING'), entry('102', 'PENDING', 'Dependency')]) });
  assert.deepEqual(
    before.steps[0].tasks.map((t) => t.state),
    ['running', 'running'],
  );
  const seen = await observeRun(p.watcher, p.submission, { poll: racingQueue(finisher(p, 0)) });
  const [t0, t1] = seen.steps[0].tasks;
  assert.equal(t0.state, 'done', `${p.step}/0 is ${t0.state} (${t0.detail ?? ''}): its marker was in the store before Slurm called it COMPLETED`);
  assert.equal(t1.state, 'running');
  assert.equal(seen.finalize.state, 'pending');
  assert.ok(seen.live);
});

test('thresher status of a Slurm run with a remote work folder: the same race, and the markers come from the store', async () => {
  const p = await plannedRun('status');
  await runTask(p.node, p.step, 1, { after: planDigest(p.node.run) }); // done on the node: only the store has its marker
  // The CLI, on the watcher's output folder, with no Slurm submission recorded: the local executor's view.
  const status = await cli(['status', p.watcher.layout.outputRoot]);
  assert.equal(status.status, 0, status.stderr);
  assert.match(status.stdout, new RegExp(`^${p.step}\\s+1/2\\s+0\\s+0\\s+0\\s+1$`, 'm'), status.stdout);

  const seen = await observeStatus(p.watcher, p.submission, racingQueue(finisher(p, 0)));
  assert.deepEqual(
    seen.steps[0].tasks.map((t) => `${t.state} ${t.detail ?? ''}`.trim()),
    ['done', 'done'],
  );
  assert.equal(seen.queueError, undefined);
});

/** The node's work store, whose lease listing first lets `finish` end a task: as if it ended just before the listing. */
class RacingWork extends RemoteWork {
  constructor(
    url: string,
    private readonly finish: () => Promise<void>,
  ) {
    super(url, undefined);
  }

  override async liveTasks(layout: RunLayout): Promise<string[]> {
    await this.finish();
    return super.liveTasks(layout);
  }
}

test('status without a submission and status s3://: a task that ends between the lease listing and the marker fetch is done, not pending', async () => {
  const p = await plannedRun('leases');
  const local = loadTaskContext(p.pipeline, p.watcher.layout.outputRoot, new RacingWork(p.workUrl, finisher(p, 0)));
  const seen = await observeStatus(local, undefined);
  assert.deepEqual(
    seen.steps[0].tasks.map((t) => t.state),
    ['done', 'not run'],
  );
  const claim = await p.node.work.claimTask(p.node, p.step, 1, 'held-by-the-node'); // its lease, live while the task runs
  try {
    const held = (await observeStatus(local, undefined)).steps[0].tasks[1];
    assert.equal(held.state, 'running');
    assert.match(held.detail ?? '', new RegExp(`^pid ${process.pid} on `));
  } finally {
    await claim.release();
  }

  const view = await remoteRunView(new RacingWork(p.workUrl, finisher(p, 1)), new RunLayout(tempDir('thresher-observe-view-')));
  assert.deepEqual(view.steps[0], { name: p.step, done: 2, running: 0, pending: 0 });
});
