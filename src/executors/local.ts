import { readInputs } from '../engine/inputs-file.js';
import type { Piscina } from 'piscina';
import { createWorkerPool, destroyPool } from './pool.js';
import { ThresherError } from '../core/errors.js';
import { readTaskStats, type TaskContext } from '../engine/task.js';
import { startInputCheck } from '../engine/completeness.js';
import { planDigest, stepState } from '../engine/markers.js';
import { ProgressSlots } from '../engine/progress-slots.js';
import type { TaskStats } from '../engine/stats.js';
import type { Step } from '../engine/plan.js';
import type { ProgressSink } from './progress.js';
import type { WorkerReply, WorkerTask } from './worker.js';

export interface LocalOptions {
  /** worker threads; default: all cores */
  workers?: number;
  progress: ProgressSink;
  /** called after each task completes (tests use it to kill a run midway) */
  onTaskDone?: (stats: TaskStats) => void;
}

/** Progress total for a step: input bytes for the first segment, records kept before otherwise. */
function progressTotal(ctx: TaskContext, step: Step): { total: number; unit: 'bytes' | 'records' } {
  if (step.kind === 'reduce') return { total: ctx.run.world_size, unit: 'records' };
  if (step.segment.index === 0) {
    if (ctx.pipeline.spec.input.type === 'directory') return { total: ctx.run.input.bytes, unit: 'bytes' };
    // Compressed JSONL sizes say little about content bytes: count records, against the
    // Parquet footers' row counts when there are any (0 = unknown total: rate only, no ETA).
    const files = readInputs(ctx.layout.inputsFile);
    const known = files.every((f) => typeof f.rows === 'number');
    return { total: known ? files.reduce((n, f) => n + (f.rows ?? 0), 0) : 0, unit: 'records' };
  }
  const before = ctx.steps.find((s) => s.kind === 'segment' && s.segment.index === step.segment.index - 1)!;
  let total = 0;
  for (let r = 0; r < ctx.run.world_size; r++) total += readTaskStats(ctx, before.name, r).records_written;
  return { total, unit: 'records' };
}

/** The first segment is the only step that reads the input; later ones read intermediate files. */
const readsInput = (step: Step) => step.kind === 'segment' && step.segment.index === 0;

/**
 * Runs every step's pending tasks on a pool of worker threads, one step after another.
 * Completed tasks (those with a marker) are skipped, so a rerun resumes where a run stopped.
 */
export async function runLocal(ctx: TaskContext, pipelineFile: string, options: LocalOptions, started?: Piscina): Promise<void> {
  const worldSize = ctx.run.world_size;
  const pool = started ?? createWorkerPool(options.workers, worldSize);
  const workers = pool.options.maxThreads;
  const slots = new ProgressSlots(worldSize);
  try {
    // Each step's markers must name the step before as it is now; a stale one (its inputs
    // were redone since) runs again like a missing one.
    let after = planDigest(ctx.run);
    for (const step of ctx.steps) {
      const state = stepState(ctx.layout, step, worldSize, after);
      const pending = state.valid.flatMap((ok, r) => (ok ? [] : [r]));
      if (pending.length === 0) {
        after = state.digest!;
        if (readsInput(step)) startInputCheck(ctx);
        continue;
      }
      slots.reset();
      const { total, unit } = progressTotal(ctx, step);
      let tasksDone = worldSize - pending.length;
      let doneUnits = 0; // progress units of tasks finished in this invocation or before
      for (let r = 0; r < worldSize; r++) {
        const s = state.markers[r];
        if (state.valid[r] && s && step.kind === 'segment') {
          doneUnits += unit === 'bytes' ? (s.stages.read?.bytes_in ?? 0) : (Object.values(s.stages)[0]?.records_in ?? 0);
        }
      }
      options.progress.start(step.name, total, unit, worldSize);
      const timer = setInterval(() => {
        const live = slots.total();
        options.progress.update(step.kind === 'reduce' ? tasksDone : doneUnits + (unit === 'bytes' ? live.bytes : live.records), tasksDone);
      }, 200);
      let failure: ThresherError | Error | undefined;
      // Ranks are handed out by `workers` runners; after a failure no new task starts and the
      // running ones finish on their own. Terminating a thread inside DuckDB aborts the process.
      const queue = [...pending];
      const runner = async () => {
        for (let rank = queue.shift(); rank !== undefined && !failure; rank = queue.shift()) {
          const task: WorkerTask = { pipelineFile, outputRoot: ctx.layout.outputRoot, step: step.name, rank, after, progress: slots.buffer, worldSize };
          const reply = (await pool.run(task)) as WorkerReply;
          if (!reply.ok) {
            failure ??= reply.known ? new ThresherError(reply.message) : new Error(`task ${step.name}/${rank} failed: ${reply.message}`);
            return;
          }
          tasksDone += 1;
          options.onTaskDone?.(reply.stats);
        }
      };
      try {
        await Promise.all(Array.from({ length: Math.min(workers, pending.length) }, runner));
      } finally {
        clearInterval(timer);
        const live = slots.total();
        options.progress.update(step.kind === 'reduce' ? tasksDone : doneUnits + (unit === 'bytes' ? live.bytes : live.records), tasksDone);
        options.progress.stop();
      }
      if (failure) throw failure;
      const finished = stepState(ctx.layout, step, worldSize, after);
      if (!finished.complete) throw new ThresherError(`${step.name}: tasks ${finished.valid.flatMap((ok, r) => (ok ? [] : [r])).join(', ')} did not complete`);
      after = finished.digest!;
      if (readsInput(step)) startInputCheck(ctx);
    }
  } finally {
    if (!started) await destroyPool(pool); // a pool handed in belongs to the caller
  }
}
