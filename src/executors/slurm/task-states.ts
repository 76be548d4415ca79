import { existsSync, readFileSync } from 'node:fs';
import type { RunLayout } from '../../engine/layout.js';
import { isLive, taskKey, type QueueEntry } from './queue.js';
import type { Submission } from './record.js';

export type TaskState = 'done' | 'running' | 'pending' | 'failed' | 'not run';

export interface TaskView {
  step: string;
  rank: number;
  state: TaskState;
  /** Slurm's word for it (FAILED NonZeroExitCode, PENDING Dependency, ...) when it has one */
  detail?: string;
  log?: string;
}

export interface StepView {
  step: string;
  tasks: TaskView[];
}

/** Whether an attempt of this job ever started: each attempt writes its banner line first (see script.ts). */
export function logShowsStart(log: string, jobKey: string): boolean {
  if (!existsSync(log)) return false;
  return readFileSync(log, 'utf8').includes(`thresher-slurm: job ${jobKey} started`);
}

/**
 * Each task's state from what is on disk and what Slurm says. A valid marker is the only proof
 * of done. Otherwise Slurm's state of the task's latest job decides; a job Slurm no longer
 * knows failed if its log shows it started (it left no marker), and never ran otherwise.
 * A task that is COMPLETED for Slurm but has no marker failed too: the marker is the contract.
 */
export function classifyTask(valid: boolean, job: string | undefined, entry: QueueEntry | undefined, startedAttempt: boolean): Omit<TaskView, 'step' | 'rank' | 'log'> {
  if (valid) return { state: 'done' };
  if (job === undefined) return { state: 'not run' };
  if (entry) {
    const detail = entry.reason && entry.reason !== 'None' ? `${entry.state} ${entry.reason}` : entry.state;
    if (entry.state === 'PENDING' || entry.state === 'REQUEUED' || entry.state === 'REQUEUE_HOLD' || entry.state === 'SUSPENDED') return { state: 'pending', detail };
    if (isLive(entry)) return { state: 'running', detail };
    // Cancelled because an upstream task failed: it never ran, it did not fail.
    if (entry.state === 'CANCELLED' && !startedAttempt) return { state: 'not run', detail };
    return { state: 'failed', detail };
  }
  return startedAttempt ? { state: 'failed', detail: 'ended without a completion marker' } : { state: 'not run' };
}

/** The job of each (step, rank) in a submission: `<array job>_<rank>`. */
function jobOf(submission: Submission | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const s of submission?.steps ?? []) for (const r of s.ranks) out.set(`${s.step}/${r}`, taskKey(s.job_id, r));
  return out;
}

/** Every task of every step, classified; `valid` is per step, per rank (from the markers). */
export function viewTasks(layout: RunLayout, runId: string, steps: { name: string; valid: readonly boolean[] }[], submission: Submission | undefined, queue: Map<string, QueueEntry>): StepView[] {
  const jobs = jobOf(submission);
  return steps.map((s) => ({
    step: s.name,
    tasks: s.valid.map((valid, rank) => {
      const job = jobs.get(`${s.name}/${rank}`);
      const log = layout.taskLog(runId, s.name, rank);
      const entry = job === undefined ? undefined : queue.get(job);
      // Reading the log only matters for a task neither done nor live.
      const started = !valid && job !== undefined && (!entry || !isLive(entry)) && logShowsStart(log, job);
      return { step: s.name, rank, log, ...classifyTask(valid, job, entry, started) };
    }),
  }));
}

export function countStates(tasks: TaskView[]): Record<TaskState, number> {
  const counts: Record<TaskState, number> = { done: 0, running: 0, pending: 0, failed: 0, 'not run': 0 };
  for (const t of tasks) counts[t.state] += 1;
  return counts;
}
