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

/** What Slurm knows of these jobs (pollJobs; a test gives its own). */
export type QueuePoll = (jobIds: string[]) => Map<string, QueueEntry> | Promise<Map<string, QueueEntry>>;

export interface LookOptions {
  poll?: QueuePoll;
  /** `thresher status`: a controller that does not answer is a warning, not an error */
  tolerateQueueErrors?: boolean;
}

/**
 * One look at a run: Slurm's queue first, then the markers (fetched first from the store when
 * the work folder is remote; a local one has nothing to fetch), so a task Slurm calls COMPLETED
 * has its marker already read. Reading the markers before the queue is polled would miss the
 * marker of a task that finished in between: a false failure, "COMPLETED without a marker".
 * Once the release exists the work folder is gone: every task is done.
 */
export async function observeRun(ctx: TaskContext, submission: Submission | undefined, options: LookOptions = {}): Promise<Observation> {
  const { queue, queueError } = await pollQueue(submission, options);
  await ctx.work.refresh(ctx.layout);
  return observeMarkers(ctx, submission, queue, queueError);
}

async function pollQueue(submission: Submission | undefined, { poll = pollJobs, tolerateQueueErrors = false }: LookOptions): Promise<{ queue: Map<string, QueueEntry>; queueError?: string }> {
  try {
    return { queue: submission ? await poll(submissionJobs(submission)) : new Map<string, QueueEntry>() };
  } catch (err) {
    if (!tolerateQueueErrors) throw err;
    return { queue: new Map<string, QueueEntry>(), queueError: err instanceof Error ? err.message.split('\n')[0] : String(err) };
  }
}

function observeMarkers(ctx: TaskContext, submission: Submission | undefined, queue: Map<string, QueueEntry>, queueError: string | undefined): Observation {
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
