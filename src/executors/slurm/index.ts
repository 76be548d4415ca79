import { ThresherError } from '../../core/errors.js';
import { RunLayout } from '../../engine/layout.js';
import { lockOutput } from '../../engine/lock.js';
import { chainState } from '../../engine/markers.js';
import { outputRootOf } from '../../engine/output-root.js';
import { planRun } from '../../engine/run-state.js';
import { loadTaskContext, type TaskContext } from '../../engine/task.js';
import type { LoadedPipeline } from '../../pipeline/load.js';
import type { ReleaseResult } from '../../release/finalize.js';
import { releaseHold, scancel } from './commands.js';
import { pendingJobs } from './plan.js';
import { silentSlurmProgress, type SlurmProgress } from './progress.js';
import { isLive, pollJobs } from './queue.js';
import { latestSubmission, readRecord, submissionJobs, writeRecord, type Submission } from './record.js';
import { submitJobs } from './submit.js';
import { waitForSubmission } from './wait.js';

export interface SlurmRunOptions {
  fresh?: boolean;
  /** follow the jobs until the release exists (or a task fails) instead of returning once submitted */
  wait?: boolean;
  progress?: SlurmProgress;
  log?: (line: string) => void;
  /** squeue polling interval while waiting */
  pollMs?: number;
}

export interface SlurmRunResult {
  runId: string;
  version: number;
  resumed: boolean;
  submission: Submission;
  /** set when waited for */
  release?: ReleaseResult;
}

/** A rerun while jobs of the last submission can still run would start their tasks twice. */
function refuseWhileLive(ctx: TaskContext): void {
  const last = latestSubmission(readRecord(ctx.layout, ctx.run.run_id));
  if (!last) return;
  const live = [...pollJobs(submissionJobs(last)).values()].filter(isLive);
  if (live.length === 0) return;
  const keys = live.map((e) => `${e.key} ${e.state}`);
  throw new ThresherError(
    `${ctx.layout.outputRoot}: jobs of this run's last submission are still queued or running (${keys.slice(0, 6).join(', ')}${keys.length > 6 ? ', …' : ''}); wait for them (thresher status) or scancel ${submissionJobs(last).join(' ')}`,
  );
}

/** Plan (or resume) under the output lock and submit every incomplete task; the hold is released after the lock is. */
function planAndSubmit(pipeline: LoadedPipeline, layout: RunLayout, options: SlurmRunOptions): Promise<{ ctx: TaskContext; result: SlurmRunResult; held: string }> {
  const unlock = lockOutput(layout.outputRoot);
  const run = async () => {
    const { state, resumed } = await planRun(pipeline, layout, options.fresh ?? false);
    const ctx = loadTaskContext(pipeline, layout.outputRoot);
    refuseWhileLive(ctx);
    const jobs = pendingJobs(chainState(layout, ctx.steps, state).map((s) => ({ name: s.step.name, valid: s.valid })));
    const record = readRecord(layout, state.run_id) ?? {
      run_id: state.run_id,
      version: state.version,
      pipeline_file: pipeline.file,
      world_size: state.world_size,
      steps: ctx.steps.map((s) => s.name),
      submissions: [],
    };
    const { submission, held } = submitJobs(ctx, jobs, pipeline.spec.execution.slurm, record.submissions.length + 1);
    record.submissions.push(submission);
    writeRecord(layout, record);
    return { ctx, held, result: { runId: state.run_id, version: state.version, resumed, submission } };
  };
  return run().finally(unlock);
}

/** `thresher run --executor slurm`: submit the run's incomplete tasks as job arrays; with `wait`, follow them to the release. */
export async function runOnSlurm(pipeline: LoadedPipeline, options: SlurmRunOptions = {}): Promise<SlurmRunResult> {
  const layout = new RunLayout(outputRootOf(pipeline));
  const { ctx, result, held } = await planAndSubmit(pipeline, layout, options);
  try {
    releaseHold(held);
  } catch (err) {
    scancel(submissionJobs(result.submission));
    throw err;
  }
  const { submission } = result;
  const tasks = submission.steps.reduce((n, s) => n + s.ranks.length, 0);
  options.log?.(
    `${result.resumed ? 'resumed' : 'planned'} run ${result.runId} → v${result.version}: submitted ${tasks} tasks in ${submission.steps.length} job arrays` +
      ` (${submission.steps.map((s) => `${s.step} ${s.job_id}`).join(', ') || 'none left'}) and finalize ${submission.finalize_job_id}; logs in ${layout.slurmDir(result.runId)}/logs`,
  );
  if (!options.wait) return result;
  const release = await waitForSubmission(ctx, submission, { progress: options.progress ?? silentSlurmProgress, pollMs: options.pollMs ?? 2000 });
  return { ...result, release };
}
