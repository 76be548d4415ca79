import { ThresherError } from '../core/errors.js';
import type { LoadedPipeline } from '../pipeline/load.js';

/** The executors `thresher run` knows: worker threads here, or job arrays on a Slurm cluster. */
export const EXECUTORS = ['local', 'slurm'] as const;
export type ExecutorName = (typeof EXECUTORS)[number];

/** The command line's choice wins over the pipeline file's `execution.executor`. */
export function chooseExecutor(pipeline: LoadedPipeline, requested: string | undefined): ExecutorName {
  if (requested === undefined) return pipeline.spec.execution.executor;
  if (!(EXECUTORS as readonly string[]).includes(requested)) throw new ThresherError(`--executor ${requested}: unknown executor (one of ${EXECUTORS.join(', ')})`);
  return requested as ExecutorName;
}
