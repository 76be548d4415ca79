import path from 'node:path';
import { parseS3Url } from './url.js';

/**
 * Where an `s3://` output keeps its work folder: object stores have no rename and no cheap
 * append, and a task writes, renames and locks many small files, so run state, markers,
 * intermediate shards, locks and Slurm logs stay on a filesystem (shared across the nodes for
 * Slurm). `workDir` (execution.s3.work_dir) is relative to the pipeline file's folder; by
 * default `.thresher-s3/<bucket>/<prefix>` there.
 */
export function s3WorkRoot(outputUrl: string, baseDir: string, workDir?: string): string {
  if (workDir !== undefined) return path.resolve(baseDir, workDir);
  const { bucket, key } = parseS3Url(outputUrl);
  const parts = key.split('/').filter((p) => p !== '' && p !== '.' && p !== '..');
  return path.resolve(baseDir, '.thresher-s3', bucket, ...parts);
}
