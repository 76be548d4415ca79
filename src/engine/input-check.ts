import { lstatSync, statSync, type Stats } from 'node:fs';
import { InputError, ThresherError } from '../core/errors.js';
import type { InputFile } from '../io/types.js';
import type { LoadedPipeline } from '../pipeline/load.js';
import { createReader } from './io.js';
import { fingerprintInputs } from './run-state.js';

/**
 * A run reads the input its plan listed, or it stops. Without this a file rewritten between
 * two tasks gives a release that mixes old and new records under the old fingerprint, a
 * deleted file becomes one `unreadable` exclusion standing for all its records, and lines
 * appended after planning slip in unannounced.
 */
const FRESH = 'rerun with --fresh to plan the run again';

function describeChange(planned: InputFile, now: Stats): string | undefined {
  if (now.size !== planned.bytes) return `${planned.bytes} bytes when the run was planned, ${now.size} now`;
  if (Math.round(now.mtimeMs) !== Math.round(planned.mtimeMs)) return `modified at ${new Date(now.mtimeMs).toISOString()}, after the run was planned`;
  return undefined;
}

/**
 * Re-stat the files a task reads. Directory inputs do not follow symlinks (lstat); record
 * inputs read through them (stat). Entries the reader already reports as unreadable at plan
 * time (no size, no mtime) or as special files are left to the reader.
 */
export function checkFilesUnchanged(files: Iterable<InputFile>, followLinks: boolean): void {
  for (const f of files) {
    if ((f.bytes === 0 && f.mtimeMs === 0) || 'problem' in f) continue;
    if (/^s3:\/\//i.test(f.absPath)) continue; // objects: checked by the listing at release (checkListingUnchanged)
    let now: Stats;
    try {
      now = followLinks ? statSync(f.absPath) : lstatSync(f.absPath);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      throw new InputError(f.absPath, `${code === 'ENOENT' ? 'deleted' : `unreadable (${code})`} since the run was planned; ${FRESH}`);
    }
    const change = describeChange(f, now);
    if (change) throw new InputError(f.absPath, `changed since the run was planned (${change}); ${FRESH}`);
  }
}

/** The whole input listed again at release time: a file added, removed or changed stops the release. */
export async function checkListingUnchanged(pipeline: LoadedPipeline, planned: InputFile[], fingerprint: string): Promise<void> {
  const files = await createReader(pipeline).listFiles();
  if (fingerprintInputs(files) === fingerprint) return;
  const before = new Map(planned.map((f) => [f.path, f]));
  const now = new Map(files.map((f) => [f.path, f]));
  const added = files.filter((f) => !before.has(f.path)).map((f) => f.absPath);
  const removed = planned.filter((f) => !now.has(f.path)).map((f) => f.absPath);
  const changed = files.filter((f) => before.has(f.path) && fingerprintInputs([f]) !== fingerprintInputs([before.get(f.path)!])).map((f) => f.absPath);
  const parts = [
    added.length ? `${added.length} added (${added.slice(0, 3).join(', ')}${added.length > 3 ? ', …' : ''})` : '',
    removed.length ? `${removed.length} removed (${removed.slice(0, 3).join(', ')}${removed.length > 3 ? ', …' : ''})` : '',
    changed.length ? `${changed.length} changed (${changed.slice(0, 3).join(', ')}${changed.length > 3 ? ', …' : ''})` : '',
  ].filter(Boolean);
  throw new ThresherError(`${pipeline.file}: the input changed since the run was planned: ${parts.join('; ')}; ${FRESH}`);
}

export function followsLinks(pipeline: LoadedPipeline): boolean {
  return pipeline.spec.input.type !== 'directory';
}
