import path from 'node:path';
import type { LoadedPipeline } from '../pipeline/load.js';

/** `output.path` resolves against the pipeline file's folder, so a run does not depend on cwd. */
export function outputRootOf(pipeline: LoadedPipeline): string {
  return path.resolve(pipeline.baseDir, pipeline.spec.output.path);
}
