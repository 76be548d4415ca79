import { ThresherError } from '../core/errors.js';
import { readInputs } from './inputs-file.js';
import { checkListingUnchanged } from './input-check.js';
import { chainState } from './markers.js';
import { statsOrder } from './plan.js';
import { mergeStats, type RunStats, type TaskStats } from './stats.js';
import type { TaskContext } from './task.js';

/**
 * What must hold before a run becomes a release. Each rule stands for a way records were
 * once lost while the run exited 0: a marker over deleted outputs, a task run before its
 * inputs existed, an input rewritten between tasks.
 */
function chainProblems(ctx: TaskContext): { problems: string[]; tasks: TaskStats[] } {
  const problems: string[] = [];
  const tasks: TaskStats[] = [];
  for (const state of chainState(ctx.layout, ctx.steps, ctx.run)) {
    state.markers.forEach((m, r) => {
      if (!m) problems.push(`${state.step.name}/${r} not complete`);
      else if (!state.valid[r]) problems.push(`${state.step.name}/${r} is stale (it ran before its inputs were last redone)`);
      else tasks.push(m);
    });
  }
  return { problems, tasks };
}

/** Every record that enters a stage leaves it or is excluded with a reason; each stage takes what the one before gave. */
export function countProblems(stats: RunStats, order: string[]): string[] {
  const problems: string[] = [];
  let prev: string | undefined;
  for (const key of order) {
    const s = stats.stages[key];
    if (!s) continue;
    const excluded = Object.values(s.excluded).reduce((a, b) => a + b, 0);
    if (s.records_in !== s.records_out + excluded) problems.push(`${key}: ${s.records_in} records in, ${s.records_out} out and ${excluded} excluded`);
    const before = prev !== undefined ? stats.stages[prev] : undefined;
    if (before && s.records_in !== before.records_out) problems.push(`${key} took ${s.records_in} records but ${prev} gave ${before.records_out}`);
    prev = key;
  }
  return problems;
}

/** The completed tasks of a run that passes every check; otherwise one error listing what is wrong. */
export async function checkRunComplete(ctx: TaskContext): Promise<TaskStats[]> {
  await ctx.work.refresh(ctx.layout);
  const { problems, tasks } = chainProblems(ctx);
  if (problems.length === 0) {
    problems.push(...(await ctx.work.gatherOutputs(ctx, tasks)));
    problems.push(...countProblems(mergeStats(tasks, statsOrder(ctx.pipeline)), statsOrder(ctx.pipeline)));
  }
  if (problems.length > 0) {
    const shown = problems.slice(0, 8).join('; ') + (problems.length > 8 ? `; and ${problems.length - 8} more` : '');
    throw new ThresherError(`${ctx.layout.workDir}: not releasing an incomplete run: ${shown} (\`thresher run\` redoes what is missing or stale)`);
  }
  await (ctx.inputCheck ?? inputUnchanged(ctx, false));
  return tasks;
}

function inputUnchanged(ctx: TaskContext, background: boolean): Promise<void> {
  const planned = readInputs(ctx.layout.inputsFile);
  return checkListingUnchanged(ctx.pipeline, planned, ctx.run.input.fingerprint, { background });
}

/**
 * Starts the release's check of the input listing once no task reads the input any more (the
 * first segment is complete): it then runs on the coordinator, idle meanwhile, while the later
 * steps run, instead of after them (the listing is seconds on large folders). What it checks is
 * unchanged: every file the release was made from still has its planned size and mtime, and no
 * file came or went. checkRunComplete awaits it.
 */
export function startInputCheck(ctx: TaskContext): void {
  if (ctx.inputCheck) return;
  const check = inputUnchanged(ctx, true);
  check.catch(() => undefined); // awaited at release; a run that fails first reports its own error
  ctx.inputCheck = check;
}
