import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { ThresherError } from '../core/errors.js';
import { deferFsyncs, endDeferred } from '../core/fs.js';
import type { TaskInfo } from '../core/stage.js';
import type { LoadedPipeline } from '../pipeline/load.js';
import { RunLayout } from './layout.js';
import { chainState, missingTasks, planDigest, readMarker } from './markers.js';
import { planSteps, stageKey, type ResolvedGlobal, type Step } from './plan.js';
import { ProgressSlots } from './progress-slots.js';
import { readRunState, type RunState } from './run-state.js';
import { runSegment } from './segment.js';
import { emptyStageStats, type StageStats, type TaskStats } from './stats.js';
import { workStoreFor } from './work-choice.js';
import type { WorkStore } from './work-store.js';

export interface TaskContext {
  pipeline: LoadedPipeline;
  layout: RunLayout;
  run: RunState;
  steps: Step[];
  /** where the work folder lives: this filesystem, or an object store the layout's folder copies */
  work: WorkStore;
  /** The release-time check of the input listing, when it was started early (see startInputCheck). */
  inputCheck?: Promise<void>;
}

/** The planned run in the local work folder (or the local copy of a remote one: see openTaskContext). */
export function loadTaskContext(pipeline: LoadedPipeline, outputRoot: string, work: WorkStore = workStoreFor(pipeline)): TaskContext {
  const layout = new RunLayout(outputRoot);
  const run = readRunState(layout);
  if (run.pipeline_sha256 !== pipeline.sha256) {
    throw new ThresherError(`${pipeline.file}: the pipeline changed since this run was planned in ${layout.workDir} (run it with --fresh to start over)`);
  }
  return { pipeline, layout, run, steps: planSteps(pipeline), work };
}

/** loadTaskContext after bringing the local copy of the run up to date (a process that did not plan the run: a cluster task, finalize, status). */
export async function openTaskContext(pipeline: LoadedPipeline, outputRoot: string): Promise<TaskContext> {
  const work = workStoreFor(pipeline);
  await work.refresh(new RunLayout(outputRoot));
  return loadTaskContext(pipeline, outputRoot, work);
}

export function readTaskStats(ctx: TaskContext, step: string, rank: number): TaskStats {
  const stats = readMarker(ctx.layout, step, rank);
  if (!stats) throw new ThresherError(`${ctx.layout.marker(step, rank)}: task ${step}/${rank} is not complete`);
  return stats;
}

function findStep(ctx: TaskContext, stepName: string): Step {
  const step = ctx.steps.find((s) => s.name === stepName);
  if (!step) throw new ThresherError(`unknown step ${JSON.stringify(stepName)} (steps: ${ctx.steps.map((s) => s.name).join(', ')})`);
  return step;
}

/**
 * Where a single task stands, for callers that run one task alone (`thresher task`): whether it
 * is validly done, and the digest it must name when it runs. A task whose upstream steps are not
 * all complete cannot run: it would read missing or partial inputs and commit 0 records.
 */
export function taskReadiness(ctx: TaskContext, stepName: string, rank: number): { done: boolean; after: string } {
  const index = ctx.steps.indexOf(findStep(ctx, stepName));
  const chain = chainState(ctx.layout, ctx.steps.slice(0, index + 1), ctx.run);
  const blocking = chain.slice(0, index).find((s) => !s.complete);
  if (blocking) {
    const missing = missingTasks(blocking);
    throw new ThresherError(
      `${stepName}/${rank}: cannot run before step ${blocking.step.name} is complete (${missing.length} tasks not done: ${missing.slice(0, 8).join(', ')}${missing.length > 8 ? ', …' : ''})`,
    );
  }
  return { done: chain[index].valid[rank] ?? false, after: index === 0 ? planDigest(ctx.run) : chain[index - 1].digest! };
}

export interface RunTaskOptions {
  /** digest of the step before, as validated by the caller: the marker names it */
  after: string;
  progress?: ProgressSlots;
}

/**
 * Runs one task. Claims it (one attempt at a time: a lock file, or a lease object), forgets its
 * completion before touching any output, clears what an earlier attempt left, writes every
 * output under a temporary name and renames it, and commits its marker last (after uploading
 * the outputs when the work folder is remote), only if it still holds the claim.
 */
export async function runTask(ctx: TaskContext, stepName: string, rank: number, options: RunTaskOptions): Promise<TaskStats> {
  const step = findStep(ctx, stepName);
  const worldSize = ctx.run.world_size;
  if (!Number.isInteger(rank) || rank < 0 || rank >= worldSize) throw new ThresherError(`rank ${rank} is outside 0..${worldSize - 1}`);
  const attempt = randomUUID();
  const claim = await ctx.work.claimTask(ctx, stepName, rank, attempt);
  deferFsyncs(); // the outputs reach the disk together, before the marker (claim.commit)
  try {
    const here: TaskContext = claim.layout === ctx.layout ? ctx : { ...ctx, layout: claim.layout };
    const started = performance.now();
    const info: TaskInfo = { step: stepName, rank, worldSize, seed: ctx.run.seed };
    const { stages, written, outputs } =
      step.kind === 'segment' ? await runSegment(here, step.segment, step.last, info, options.progress) : { stages: await runReduce(here, step.stage, step.round, info), written: 0, outputs: [] };
    const relative = outputs.map((f) => ({ path: path.relative(here.layout.workDir, f.path).split(path.sep).join('/'), rows: f.rows }));
    const stats: TaskStats = { step: stepName, rank, attempt, after: options.after, ms: Math.round(performance.now() - started), records_written: written, outputs: relative, stages };
    if (!(await claim.owns())) throw new ThresherError(`${stepName}/${rank}: another attempt took this task over while it ran; this attempt's result is discarded`);
    await claim.commit(stats);
    return stats;
  } finally {
    endDeferred();
    await claim.release();
  }
}

/** One reduce task: the stage's single `reduce`, or its declared round `round`. Its counters add to the stage's. */
async function runReduce(ctx: TaskContext, resolved: ResolvedGlobal, round: string | undefined, info: TaskInfo): Promise<Record<string, StageStats>> {
  const stage = resolved.definition.create(resolved.params, ctx.pipeline.env);
  const declared = round === undefined ? undefined : stage.reduceSteps?.find((r) => r.name === round);
  const task = { ...info, stageDir: ctx.layout.stageDir(resolved.index, resolved.name) };
  const t0 = performance.now();
  let counters: Record<string, number>;
  if (declared) counters = await declared.run(task);
  else if (round === undefined && stage.reduce) counters = await stage.reduce(task);
  else throw new ThresherError(`${info.step}: stage ${resolved.name} has no reduce step ${JSON.stringify(round ?? 'reduce')}`);
  const stats = emptyStageStats(stageKey(resolved));
  stats.counters = counters;
  stats.ms = performance.now() - t0;
  return { [stats.stage]: stats };
}
