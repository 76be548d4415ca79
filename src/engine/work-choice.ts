import { ThresherError } from '../core/errors.js';
import { asPrefix, isS3Url, parseS3Url } from '../io/storage/index.js';
import type { LoadedPipeline } from '../pipeline/load.js';
import { RemoteWork } from './remote-work.js';
import { LocalWork, type WorkStore } from './work-store.js';

/**
 * A remote work prefix must be a prefix of its own: removing it after the release removes
 * every object under it, so it may not be a whole bucket nor hold or sit inside the releases
 * (except under the output's hidden `.thresher/`, which no release reader lists).
 */
function checkWorkPrefix(pipeline: LoadedPipeline, workDir: string): void {
  const where = `${pipeline.shown}: execution.s3.work_dir ${workDir}`;
  const work = parseS3Url(workDir);
  if (asPrefix(work.key) === '') throw new ThresherError(`${where} is a whole bucket; give it a prefix of its own (s3://bucket/prefix), since the release removes everything under it`);
  const out = pipeline.spec.output.path;
  if (!isS3Url(out)) return;
  const output = parseS3Url(out);
  if (output.bucket !== work.bucket) return;
  const [w, o] = [asPrefix(work.key), asPrefix(output.key)];
  if (w.startsWith(`${o}.thresher/`)) return;
  if (w.startsWith(o) || o.startsWith(w)) throw new ThresherError(`${where} overlaps output.path ${out}; use a prefix apart from the releases, or one under ${out.replace(/\/?$/, '/')}.thresher/`);
}

/** The pipeline's work folder: on an object store when `execution.s3.work_dir` is an s3:// URL, else a folder. */
export function workStoreFor(pipeline: LoadedPipeline): WorkStore {
  const dir = pipeline.spec.execution.s3.work_dir;
  if (dir === undefined || !isS3Url(dir)) return new LocalWork();
  checkWorkPrefix(pipeline, dir);
  return new RemoteWork(dir, isS3Url(pipeline.spec.output.path) ? pipeline.spec.output.path : undefined);
}
