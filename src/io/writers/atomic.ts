import { open, rename, rm, mkdir } from 'node:fs/promises';
import path from 'node:path';

export { tempNameFor as tempPathFor } from '../../core/fs.js';

export async function ensureParent(file: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
}

async function fsyncPath(p: string): Promise<void> {
  const fh = await open(p, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** fsync the temporary file and rename it into place; a reader never sees half a file. */
export async function commitFile(tmp: string, finalPath: string): Promise<void> {
  await fsyncPath(tmp);
  await rename(tmp, finalPath);
}

export async function removeQuietly(p: string): Promise<void> {
  await rm(p, { force: true });
}
