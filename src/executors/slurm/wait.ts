import { ThresherError } from '../../core/errors.js';
import type { TaskContext } from '../../engine/task.js';
import type { ReleaseResult } from '../../release/finalize.js';
import { scancel } from './commands.js';
import { observeRun, type Observation } from './observe.js';
import type { SlurmProgress } from './progress.js';
import { submissionJobs, type Submission } from './record.js';
import { countStates, type TaskView } from './task-states.js';

export interface WaitOptions {
  progress: SlurmProgress;
  pollMs: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A look at the run that survives a few slow answers from slurmctld (busy clusters time out now and then). */
async function observeWithRetries(ctx: TaskContext, submission: Submission, pollMs: number): Promise<Observation> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await observeRun(ctx, submission);
    } catch (err) {
      if (attempt >= 10) throw err;
      await sleep(pollMs);
    }
  }
}

function failureMessage(failed: TaskView[], outputRoot: string): string {
  const first = failed[0];
  const more = failed.length > 1 ? `; ${failed.length - 1} more failed (thresher status ${outputRoot})` : '';
  return `task ${first.step}${first.step === 'finalize' ? '' : `/${first.rank}`} failed (${first.detail ?? 'no detail'}): see ${first.log}${more}`;
}

/**
 * Follows a submission until its release exists or a task fails. After a failure no new task
 * starts (pending ones are cancelled) and running ones finish, as with the local executor, so
 * that a rerun can start at once; then the run fails naming the failed task's log.
 */
export async function waitForSubmission(ctx: TaskContext, submission: Submission, options: WaitOptions): Promise<ReleaseResult> {
  try {
    for (;;) {
      const seen = await observeWithRetries(ctx, submission, options.pollMs);
      const tasks = [...seen.steps.flatMap((s) => s.tasks), seen.finalize];
      const counts = countStates(tasks);
      const current = seen.steps.find((s) => s.tasks.some((t) => t.state !== 'done'))?.step ?? 'finalize';
      options.progress.update(current, counts, tasks.length);
      if (seen.release) return seen.release;
      const failed = tasks.filter((t) => t.state === 'failed');
      if (failed.length > 0) {
        scancel(submissionJobs(submission), true);
        await drain(ctx, submission, options);
        throw new ThresherError(failureMessage(failed, ctx.layout.outputRoot));
      }
      if (!seen.live) {
        const missing = tasks.filter((t) => t.state !== 'done').map((t) => (t.step === 'finalize' ? t.step : `${t.step}/${t.rank}`));
        throw new ThresherError(`the run's jobs ended without a release (${missing.slice(0, 8).join(', ')} not done): were they cancelled? \`thresher status ${ctx.layout.outputRoot}\``);
      }
      await sleep(options.pollMs);
    }
  } finally {
    options.progress.stop();
  }
}

/** Waits until no job of the submission is running. */
async function drain(ctx: TaskContext, submission: Submission, options: WaitOptions): Promise<void> {
  while ((await observeWithRetries(ctx, submission, options.pollMs)).live) await sleep(options.pollMs);
}
