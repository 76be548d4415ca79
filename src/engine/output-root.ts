import path from 'node:path';
import { s3WorkRoot } from '../io/storage/work-root.js';
import { isS3Url } from '../io/storage/url.js';
import type { LoadedPipeline } from '../pipeline/load.js';

/**
 * `output.path` resolves against the pipeline file's folder, so a run does not depend on cwd.
 * An s3:// output keeps its work folder (or, when the work folder is an s3:// prefix too, the
 * local copy of it) on a filesystem (see s3WorkRoot).
 */
export function outputRootOf(pipeline: LoadedPipeline): string {
  const out = pipeline.spec.output.path;
  const workDir = pipeline.spec.execution.s3.work_dir;
  return isS3Url(out) ? s3WorkRoot(out, pipeline.baseDir, workDir !== undefined && !isS3Url(workDir) ? workDir : undefined) : path.resolve(pipeline.baseDir, out);
}
