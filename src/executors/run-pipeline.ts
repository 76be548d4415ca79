import { loadPipelineFile, type LoadedPipeline } from '../pipeline/load.js';
import { lockOutput } from '../engine/lock.js';
import { RunLayout } from '../engine/layout.js';
import { outputRootOf } from '../engine/output-root.js';
import { planRun } from '../engine/run-state.js';
import { loadTaskContext } from '../engine/task.js';
import type { TaskStats } from '../engine/stats.js';
import type { ReleaseResult } from '../release/finalize.js';
import type { Piscina } from 'piscina';
import { runLocal } from './local.js';
import { createWorkerPool, destroyPool, warmWorkers } from './pool.js';
import { preloadPlotting } from '../report/svg.js';
import { silentProgress, type ProgressSink } from './progress.js';

export { EXECUTORS, chooseExecutor, type ExecutorName } from './executor-choice.js';

export interface RunOptions {
  workers?: number;
  fresh?: boolean;
  progress?: ProgressSink;
  onTaskDone?: (stats: TaskStats) => void;
  log?: (line: string) => void;
  /** Worker threads the caller started early (createWorkerPool); the run destroys them when it ends. */
  pool?: Piscina;
}

/** Plan (or resume), run every task on the local executor, and release. */
export async function runPipeline(pipelineFile: string, options: RunOptions = {}): Promise<ReleaseResult & { resumed: boolean }> {
  let pipeline: LoadedPipeline;
  let layout: RunLayout;
  let unlock: () => void;
  try {
    pipeline = await loadPipelineFile(pipelineFile);
    layout = new RunLayout(outputRootOf(pipeline));
    unlock = lockOutput(layout.outputRoot);
  } catch (err) {
    if (options.pool) await destroyPool(options.pool); // threads started early must not keep the process alive
    throw err;
  }
  try {
    return await runLocked(pipeline, layout, options);
  } finally {
    unlock();
  }
}

async function runLocked(pipeline: LoadedPipeline, layout: RunLayout, options: RunOptions): Promise<ReleaseResult & { resumed: boolean }> {
  const pool = options.pool ?? createWorkerPool(options.workers, pipeline.spec.execution.tasks); // its threads start while the input is listed
  warmWorkers(pool, pipeline.file);
  try {
    return await planAndRun(pipeline, layout, options, pool);
  } finally {
    await destroyPool(pool);
  }
}

async function planAndRun(pipeline: LoadedPipeline, layout: RunLayout, options: RunOptions, pool: Piscina): Promise<ReleaseResult & { resumed: boolean }> {
  const { state, resumed, notes } = await planRun(pipeline, layout, options.fresh ?? false);
  for (const note of notes) options.log?.(note);
  options.log?.(
    resumed
      ? `resuming run ${state.run_id} → v${state.version} (${layout.workDir})`
      : `planned run ${state.run_id} → v${state.version}: ${state.input.files} input files, ${(state.input.bytes / 1e6).toFixed(1)} MB, ${state.world_size} tasks per step`,
  );
  const ctx = loadTaskContext(pipeline, layout.outputRoot);
  // The release (DuckDB, the report's plotting) is loaded while the tasks run: this thread only waits then.
  const finalizing = import('../release/finalize.js');
  preloadPlotting();
  await runLocal(ctx, pipeline.file, { workers: options.workers, progress: options.progress ?? silentProgress, onTaskDone: options.onTaskDone }, pool);
  const release = await (await finalizing).finalizeRelease(ctx);
  return { ...release, resumed };
}
