import { lockOutput } from '../engine/lock.js';
import { RunLayout } from '../engine/layout.js';
import { planDigest, stepState } from '../engine/markers.js';
import { outputRootOf } from '../engine/output-root.js';
import { planRun } from '../engine/run-state.js';
import { loadTaskContext, runTask } from '../engine/task.js';
import { finalizeRelease, type ReleaseResult } from '../release/finalize.js';
import { loadPipelineFile } from '../pipeline/load.js';

/**
 * Every task of a run, one after another in this thread, then the release: the same plan,
 * markers and release as the local executor, without worker threads. For tests of stages and
 * global steps across any number of ranks, and for debugging a stage with breakpoints.
 */
export async function runInline(pipelineFile: string, options: { fresh?: boolean } = {}): Promise<ReleaseResult> {
  const pipeline = await loadPipelineFile(pipelineFile);
  const layout = new RunLayout(outputRootOf(pipeline));
  const unlock = lockOutput(layout.outputRoot);
  try {
    await planRun(pipeline, layout, options.fresh ?? false);
    const ctx = loadTaskContext(pipeline, layout.outputRoot);
    let after = planDigest(ctx.run);
    for (const step of ctx.steps) {
      const state = stepState(layout, step, ctx.run.world_size, after);
      for (let rank = 0; rank < ctx.run.world_size; rank++) if (!state.valid[rank]) await runTask(ctx, step.name, rank, { after });
      after = stepState(layout, step, ctx.run.world_size, after).digest!;
    }
    return await finalizeRelease(ctx);
  } finally {
    unlock();
  }
}
