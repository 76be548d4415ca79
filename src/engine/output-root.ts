import path from 'node:path';
import { s3WorkRoot } from '../io/storage/work-root.js';
import type { LoadedPipeline } from '../pipeline/load.js';

/**
 * `output.path` resolves against the pipeline file's folder, so a run does not depend on cwd.
 * An s3:// output keeps its work folder on a filesystem (see s3WorkRoot).
 */
export function outputRootOf(pipeline: LoadedPipeline): string {
  const out = pipeline.spec.output.path;
  return /^s3:\/\//i.test(out) ? s3WorkRoot(out, pipeline.baseDir, pipeline.spec.execution.s3.work_dir) : path.resolve(pipeline.baseDir, out);
}
