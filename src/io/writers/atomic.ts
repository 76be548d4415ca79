import { rename, rm, mkdir } from 'node:fs/promises';
import { deferFsync, fsyncFile } from '../../core/fs.js';
import path from 'node:path';

export { tempNameFor as tempPathFor } from '../../core/fs.js';

export async function ensureParent(file: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
}

/**
 * Rename the temporary file into place (a reader never sees half a file), on disk first; inside
 * a task the flush waits for the task's marker instead (core/fs.ts `deferFsyncs`).
 */
export async function commitFile(tmp: string, finalPath: string): Promise<void> {
  if (deferFsync(finalPath)) {
    await rename(tmp, finalPath);
    return;
  }
  await fsyncFile(tmp);
  await rename(tmp, finalPath);
}

export async function removeQuietly(p: string): Promise<void> {
  await rm(p, { force: true });
}
