import type { Stats } from 'node:fs';
import { InputError } from '../core/errors.js';
import type { InputFile } from './types.js';

/**
 * A run reads the input its plan listed, or it stops. Without this a file rewritten between
 * two tasks gives a release that mixes old and new records under the old fingerprint, a
 * deleted file becomes one `unreadable` exclusion standing for all its records, and lines
 * appended after planning slip in unannounced.
 */
export const FRESH = 'rerun with --fresh to plan the run again';

/** Whether the listing measured the entry: unreadable entries (no size, no mtime) and special files are left to the reader. */
export function wasMeasured(planned: InputFile): boolean {
  return !((planned.bytes === 0 && planned.mtimeMs === 0) || 'problem' in planned);
}

/** How the file differs from its planned size and mtime, if it does. */
export function describeChange(planned: InputFile, now: Pick<Stats, 'size' | 'mtimeMs'>): string | undefined {
  if (now.size !== planned.bytes) return `${planned.bytes} bytes when the run was planned, ${now.size} now`;
  if (Math.round(now.mtimeMs) !== Math.round(planned.mtimeMs)) return `modified at ${new Date(now.mtimeMs).toISOString()}, after the run was planned`;
  return undefined;
}

export function changedError(planned: InputFile, change: string): InputError {
  return new InputError(planned.absPath, `changed since the run was planned (${change}); ${FRESH}`);
}

export function goneError(planned: InputFile, code: string | undefined): InputError {
  return new InputError(planned.absPath, `${code === 'ENOENT' ? 'deleted' : `unreadable (${code})`} since the run was planned; ${FRESH}`);
}
