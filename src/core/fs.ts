import { mkdirSync, readdirSync, renameSync, rmSync, writeFileSync, existsSync, openSync, fsyncSync, closeSync } from 'node:fs';
import { open } from 'node:fs/promises';
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

/** Write and flush to disk: what a later rename or link publishes survives a crash. */
export function writeFileDurable(file: string, data: string | Uint8Array): void {
  writeFileSync(file, data);
  const fd = openSync(file, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * A task's commit point is its marker: what the task renamed into place must be on disk before
 * the marker is, not before the task's next write. Inside a task (`deferFsyncs` … `endDeferred`,
 * one task at a time per thread) files are renamed into place without waiting for the disk and
 * remembered; `fsyncDeferred`, just before the marker, flushes them all at once (concurrent
 * fsyncs share journal commits: one wait per task instead of one per file). A kill before the
 * marker leaves a task that runs again; outside a task every write waits for the disk.
 */
let deferred: string[] | undefined;

export function deferFsyncs(): void {
  deferred = [];
}

export function endDeferred(): void {
  deferred = undefined;
}

/** true (and the file remembered) inside a task: the caller skips its own fsync. */
export function deferFsync(file: string): boolean {
  deferred?.push(file);
  return deferred !== undefined;
}

export async function fsyncFile(file: string): Promise<void> {
  const fh = await open(file, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** Flushes every file the current task renamed into place (see `deferFsyncs`). */
export async function fsyncDeferred(): Promise<void> {
  const files = deferred ?? [];
  if (deferred) deferred = [];
  await Promise.all(files.map(fsyncFile));
}

/** Write, flush and rename: a reader sees the old file, or the whole new one, never half. */
export function writeFileAtomic(finalPath: string, data: string | Uint8Array): void {
  ensureDir(path.dirname(finalPath));
  const tmp = tempNameFor(finalPath);
  if (deferred) writeFileSync(tmp, data);
  else writeFileDurable(tmp, data);
  renameSync(tmp, finalPath);
  deferFsync(finalPath);
}

/**
 * `writeFileAtomic` for output made piece by piece: `produce` writes through `write`, which waits
 * for the disk, so memory holds one piece; the file appears under its name, whole, only after
 * `produce` settles, and a failure leaves no file and no temporary behind.
 */
export async function writeStreamAtomic<T>(finalPath: string, produce: (write: (text: string) => Promise<void>) => Promise<T>): Promise<T> {
  ensureDir(path.dirname(finalPath));
  const tmp = tempNameFor(finalPath);
  const fh = await open(tmp, 'w');
  try {
    const result = await produce(async (text) => {
      await fh.write(text);
    });
    await fh.sync();
    await fh.close();
    renameSync(tmp, finalPath);
    return result;
  } catch (err) {
    await fh.close().catch(() => undefined);
    rmSync(tmp, { force: true });
    throw err;
  }
}

/**
 * mkdir -p. Node's recursive mkdir reports ENOENT where the real cause is a read-only or
 * unwritable parent; then the folders are made one by one so the error says what is wrong.
 */
export function ensureDir(dir: string): string {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    const missing: string[] = [];
    for (let d = path.resolve(dir); !existsSync(d) && path.dirname(d) !== d; d = path.dirname(d)) missing.unshift(d);
    for (const d of missing) mkdirSync(d);
    throw err;
  }
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
