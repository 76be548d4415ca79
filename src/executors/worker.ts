import { loadPipelineFile, type LoadedPipeline } from '../pipeline/load.js';
import { loadTaskContext, runTask, type TaskContext } from '../engine/task.js';
import { ProgressSlots } from '../engine/progress-slots.js';
import { asUserError } from '../core/errors.js';
import type { TaskStats } from '../engine/stats.js';

export interface WorkerTask {
  pipelineFile: string;
  outputRoot: string;
  step: string;
  rank: number;
  /** digest of the step before, validated by the coordinator */
  after: string;
  progress: SharedArrayBuffer;
  worldSize: number;
}

export type WorkerReply = { ok: true; stats: TaskStats } | { ok: false; message: string; known: boolean };

// One context per pipeline per worker thread: loading and validating the file once is enough.
const contexts = new Map<string, TaskContext>();
// Pipelines loaded by warmWorker, before the run was planned (a task context needs the plan).
const pipelines = new Map<string, Promise<LoadedPipeline>>();

function pipelineOf(file: string): Promise<LoadedPipeline> {
  let p = pipelines.get(file);
  if (!p) pipelines.set(file, (p = loadPipelineFile(file)));
  return p;
}

/** Piscina entry point `ready`: a no-op a thread can run only once its module has loaded (pool.ts `destroyPool`). */
export function ready(): true {
  return true;
}

export interface WarmTask {
  pipelineFile: string;
}

/**
 * Piscina entry point `warmWorker`: sent to every thread when the pool starts, while the
 * coordinator plans. Loads the pipeline and lets each stage warm this thread's caches.
 * Never fails: whatever went wrong is reported by the first task that meets it.
 */
export async function warmWorker(task: WarmTask): Promise<void> {
  try {
    const pipeline = await pipelineOf(task.pipelineFile);
    for (const s of pipeline.stages) await s.definition.warm?.(s.params as never, pipeline.env);
  } catch {
    pipelines.delete(task.pipelineFile); // the task loads it again and reports the error
  }
}

/** Piscina entry point: runs one (step, rank) task in this worker thread. */
export default async function runWorkerTask(task: WorkerTask): Promise<WorkerReply> {
  try {
    const key = `${task.pipelineFile}\0${task.outputRoot}`;
    let ctx = contexts.get(key);
    if (!ctx) {
      ctx = loadTaskContext(await pipelineOf(task.pipelineFile), task.outputRoot);
      contexts.set(key, ctx);
    }
    const stats = await runTask(ctx, task.step, task.rank, { after: task.after, progress: new ProgressSlots(task.worldSize, task.progress) });
    return { ok: true, stats };
  } catch (err) {
    // Errors cross the thread boundary as plain data so the one-line message survives.
    const known = asUserError(err);
    if (known) return { ok: false, known: true, message: known.message };
    return { ok: false, known: false, message: err instanceof Error ? (err.stack ?? err.message) : String(err) };
  }
}
