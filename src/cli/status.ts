import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { RunLayout } from '../engine/layout.js';
import { readRunState } from '../engine/run-state.js';
import { loadTaskContext, type TaskContext } from '../engine/task.js';
import { findRelease, observeRun, type Observation, type QueuePoll } from '../executors/slurm/observe.js';
import { latestSubmission, readRecord, recordFile, type SlurmRunRecord, type Submission } from '../executors/slurm/record.js';
import { countStates, type TaskView } from '../executors/slurm/task-states.js';
import { loadPipelineFile } from '../pipeline/load.js';

const STATES = ['done', 'running', 'pending', 'failed', 'not run'] as const;

function taskName(t: TaskView): string {
  return t.step === 'finalize' ? 'finalize' : `${t.step}/${t.rank}`;
}

function table(seen: Observation): string[] {
  const rows = [...seen.steps.map((s) => ({ step: s.step, tasks: s.tasks })), { step: 'finalize', tasks: [seen.finalize] }];
  const width = Math.max(...rows.map((r) => r.step.length), 4) + 2;
  const lines = [`${'step'.padEnd(width)}${STATES.map((s) => s.padStart(9)).join('')}`];
  for (const r of rows) {
    const c = countStates(r.tasks);
    lines.push(`${r.step.padEnd(width)}${STATES.map((s) => (s === 'done' ? `${c.done}/${r.tasks.length}` : String(c[s])).padStart(9)).join('')}`);
  }
  return lines;
}

/** Failed and running tasks one per line with their logs; pending ones grouped by Slurm's reason. */
function details(seen: Observation): string[] {
  const all = [...seen.steps.flatMap((s) => s.tasks), seen.finalize];
  const lines: string[] = [];
  for (const state of ['failed', 'running'] as const) {
    const tasks = all.filter((t) => t.state === state);
    if (tasks.length === 0) continue;
    lines.push(`${state}:`);
    for (const t of tasks.slice(0, 50)) lines.push(`  ${taskName(t).padEnd(32)} ${(t.detail ?? '').padEnd(28)} ${t.log ?? ''}`);
    if (tasks.length > 50) lines.push(`  … and ${tasks.length - 50} more`);
  }
  const reasons = new Map<string, number>();
  for (const t of all.filter((x) => x.state === 'pending')) reasons.set(t.detail ?? 'PENDING', (reasons.get(t.detail ?? 'PENDING') ?? 0) + 1);
  if (reasons.size > 0) lines.push(`pending: ${[...reasons].map(([r, n]) => `${n} ${r}`).join(', ')}`);
  return lines;
}

/** The newest Slurm run record under the output folder (a finished run's work folder is gone, its record is not). */
function newestRecord(layout: RunLayout): SlurmRunRecord | undefined {
  if (!existsSync(layout.slurmRunsDir)) return undefined;
  const records = readdirSync(layout.slurmRunsDir)
    .map((id) => ({ id, file: recordFile(layout, id) }))
    .filter((r) => existsSync(r.file))
    .sort((a, b) => statSync(b.file).mtimeMs - statSync(a.file).mtimeMs);
  return records.length ? readRecord(layout, records[0].id) : undefined;
}

/**
 * A run without a Slurm submission: a task some process holds (a live lock, or a lease on a
 * remote work folder) is running; any other incomplete one has not run. `live` is polled
 * before the markers are read, so a task that ends in between shows done, not "not run".
 */
function withLiveTasks(live: string[], seen: Observation): Observation {
  const holders = new Map(live.map((t) => [t.split(' ')[0], t.slice(t.indexOf(' ') + 1).replace(/^\((.*)\)$/, '$1')]));
  for (const s of seen.steps)
    for (const t of s.tasks) if (t.state === 'not run' && holders.has(`${t.step}/${t.rank}`)) Object.assign(t, { state: 'running', detail: holders.get(`${t.step}/${t.rank}`), log: undefined });
  return seen;
}

/** Where the run stands: Slurm's queue (or the tasks held now) first, then the markers, fetched from a remote work folder. */
export async function observeStatus(ctx: TaskContext, submission: Submission | undefined, poll?: QueuePoll): Promise<Observation> {
  if (submission) return observeRun(ctx, submission, { poll, tolerateQueueErrors: true });
  const live = await ctx.work.liveTasks(ctx.layout);
  return withLiveTasks(live, await observeRun(ctx, undefined));
}

/** `thresher status <output>`: where the current run stands, per step, with the logs to read. */
export async function printStatus(outputRoot: string): Promise<void> {
  const layout = new RunLayout(outputRoot);
  if (!existsSync(layout.runFile)) {
    const record = newestRecord(layout);
    const release = record && findRelease(outputRoot, record.run_id);
    if (record && release) {
      console.log(`run ${record.run_id}: released as ${release.manifest.version} (${release.dir}); every task done`);
      console.log(`logs: ${path.join(layout.slurmDir(record.run_id), 'logs')}`);
    } else {
      console.log(`${outputRoot}: no run in progress (no ${path.relative(outputRoot, layout.runFile)})`);
    }
    return;
  }
  const run = readRunState(layout);
  const ctx = loadTaskContext(await loadPipelineFile(run.pipeline_file), outputRoot);
  const record = readRecord(layout, run.run_id);
  const submission = latestSubmission(record);
  const seen = await observeStatus(ctx, submission);
  const how = submission
    ? `Slurm submission ${record!.submissions.length} at ${submission.submitted_at} (jobs ${submission.steps.map((s) => s.job_id).join(', ') || 'none'}; finalize ${submission.finalize_job_id})`
    : 'local executor';
  console.log(`run ${run.run_id} → v${run.version}: ${run.world_size} tasks per step, planned ${run.planned_at}; ${how}`);
  if (seen.queueError) console.log(`warning: no answer from Slurm (${seen.queueError}): from the markers and logs alone, a task that started and has no marker shows as failed even if it still runs`);
  for (const line of [...table(seen), ...details(seen)]) console.log(line);
  if (seen.release) console.log(`released as ${seen.release.manifest.version}: ${seen.release.dir}`);
}
