import { readFileSync } from 'node:fs';
import path from 'node:path';
import { chainState } from '../../engine/markers.js';
import { releaseVersions } from '../../engine/run-state.js';
import type { RunStats } from '../../engine/stats.js';
import type { TaskContext } from '../../engine/task.js';
import type { ReleaseResult } from '../../release/finalize.js';
import type { Manifest } from '../../release/manifest.js';
import { isLive, pollJobs, taskKey, type QueueEntry } from './queue.js';
import { submissionJobs, type Submission } from './record.js';
import { classifyTask, logShowsStart, viewTasks, type StepView, type TaskView } from './task-states.js';

/** The release a run became, if finalize published it (found by run id: the version may have moved on). */
export function findRelease(outputRoot: string, runId: string): ReleaseResult | undefined {
  for (const v of releaseVersions(outputRoot).reverse()) {
    const dir = path.join(outputRoot, `v${v}`);
    try {
      const manifest = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as Manifest;
      if (manifest.run_id !== runId) continue;
      return { dir, manifest, stats: JSON.parse(readFileSync(path.join(dir, 'stats.json'), 'utf8')) as RunStats };
    } catch {
      continue; // a release being written or damaged: not this run's proof
    }
  }
  return undefined;
}

export interface Observation {
  steps: StepView[];
  finalize: TaskView;
  release?: ReleaseResult;
  /** some job of the submission can still run */
  live: boolean;
  /** why Slurm's view is missing (its controller did not answer), when tolerated */
  queueError?: string;
}

/**
 * One look at a run: Slurm's queue first, then the markers, so a task Slurm calls COMPLETED has
 * its marker already on disk when it is read. Once the release exists the work folder is gone:
 * every task is done.
 */
export function observeRun(ctx: TaskContext, submission: Submission | undefined, tolerateQueueErrors = false): Observation {
  let queue = new Map<string, QueueEntry>();
  let queueError: string | undefined;
  try {
    if (submission) queue = pollJobs(submissionJobs(submission));
  } catch (err) {
    if (!tolerateQueueErrors) throw err;
    queueError = err instanceof Error ? err.message.split('\n')[0] : String(err);
  }
  const live = [...queue.values()].some(isLive);
  const runId = ctx.run.run_id;
  const release = findRelease(ctx.layout.outputRoot, runId);
  const chain = release
    ? ctx.steps.map((s) => ({ name: s.name, valid: new Array<boolean>(ctx.run.world_size).fill(true) }))
    : chainState(ctx.layout, ctx.steps, ctx.run).map((s) => ({ name: s.step.name, valid: s.valid }));
  const steps = viewTasks(ctx.layout, runId, chain, submission, queue);
  const fin = submission?.finalize_job_id;
  const finalizeLog = ctx.layout.finalizeLog(runId);
  const entry = fin === undefined ? undefined : queue.get(taskKey(fin));
  const started = fin !== undefined && !release && (!entry || !isLive(entry)) && logShowsStart(finalizeLog, fin);
  const finalize: TaskView = { step: 'finalize', rank: 0, log: finalizeLog, ...classifyTask(release !== undefined, fin, entry, started) };
  return { steps, finalize, release, live, queueError };
}
