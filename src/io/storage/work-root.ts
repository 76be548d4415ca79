import path from 'node:path';
import { parseS3Url } from './url.js';

/**
 * Where an `s3://` output keeps its work folder on a filesystem (or, when `work_dir` is an
 * s3:// prefix, its local copy of the run state and markers, its receipts and Slurm files).
 * `workDir` (a local execution.s3.work_dir) is relative to the pipeline file's folder; by
 * default `.thresher-s3/<bucket>/<prefix>` there.
 */
export function s3WorkRoot(outputUrl: string, baseDir: string, workDir?: string): string {
  if (workDir !== undefined) return path.resolve(baseDir, workDir);
  const { bucket, key } = parseS3Url(outputUrl);
  const parts = key.split('/').filter((p) => p !== '' && p !== '.' && p !== '..');
  return path.resolve(baseDir, '.thresher-s3', bucket, ...parts);
}
