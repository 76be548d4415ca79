import { mkdirSync, readdirSync, renameSync, rmSync, writeFileSync, existsSync, openSync, fsyncSync, closeSync } from 'node:fs';
import path from 'node:path';
import { threadId } from 'node:worker_threads';

/**
 * `.<name>.tmp-<pid>[-<threadId>]` beside the final path: unique per process and thread, so
 * concurrent attempts never clash, and hidden, so listings of finished files skip it.
 */
export function tempNameFor(finalPath: string): string {
  const suffix = threadId ? `${process.pid}-${threadId}` : `${process.pid}`;
  return path.join(path.dirname(finalPath), `.${path.basename(finalPath)}.tmp-${suffix}`);
}

/** Write, flush and rename: a reader sees the old file, or the whole new one, never half. */
export function writeFileAtomic(finalPath: string, data: string | Uint8Array): void {
  mkdirSync(path.dirname(finalPath), { recursive: true });
  const tmp = tempNameFor(finalPath);
  writeFileSync(tmp, data);
  const fd = openSync(tmp, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, finalPath);
}

export function ensureDir(dir: string): string {
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** Files in `dir` (not recursive), sorted byte-wise; [] when it does not exist. */
export function listFilesSorted(dir: string, filter?: (name: string) => boolean): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((n) => !n.startsWith('.') && (!filter || filter(n)))
    .sort()
    .map((n) => path.join(dir, n));
}

export function removeIfExists(p: string): void {
  rmSync(p, { recursive: true, force: true });
}
