import { lstatSync, statSync, type Stats } from 'node:fs';
import { ThresherError } from '../core/errors.js';
import { changedError, describeChange, FRESH, goneError, wasMeasured } from '../io/planned.js';
import type { InputFile, ListOptions } from '../io/types.js';
import type { LoadedPipeline } from '../pipeline/load.js';
import { createReader } from './io.js';
import { fingerprintInputs } from './run-state.js';

/**
 * Re-stat the files a task reads. Directory inputs do not follow symlinks (lstat); record
 * inputs read through them (stat). Entries the reader already reports as unreadable at plan
 * time (no size, no mtime) or as special files are left to the reader.
 */
export function checkFilesUnchanged(files: Iterable<InputFile>, followLinks: boolean): void {
  for (const f of files) {
    if (!wasMeasured(f)) continue;
    if (/^s3:\/\//i.test(f.absPath)) continue; // objects: checked by the listing at release (checkListingUnchanged)
    let now: Stats;
    try {
      now = followLinks ? statSync(f.absPath) : lstatSync(f.absPath);
    } catch (err) {
      throw goneError(f, (err as NodeJS.ErrnoException).code);
    }
    const change = describeChange(f, now);
    if (change) throw changedError(f, change);
  }
}

/** The whole input listed again at release time: a file added, removed or changed stops the release. */
export async function checkListingUnchanged(pipeline: LoadedPipeline, planned: InputFile[], fingerprint: string, options: ListOptions = {}): Promise<void> {
  const files = await createReader(pipeline).listFiles(options);
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
