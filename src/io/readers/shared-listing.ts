/**
 * Listing one folder tree on several threads. A listing is an lstat per file and a readdir
 * per folder, syscalls that on a large tree keep the coordinator busy for seconds while the
 * run's worker threads wait for the plan. The coordinator lists the top two levels itself;
 * the folders it finds there are subtrees that every thread (coordinator and helpers) claims
 * one at a time from a shared counter, so a large package does not leave the others idle.
 */
import type { InputFile } from '../types.js';

/**
 * What a helper thread is asked to list: subtrees by index, claimed through `shared`: Int32 0
 * is the next unclaimed index; Int32 1 + slot is helper `slot`'s state (0 not started, 1
 * listing, -1 shut out). A thread still busy elsewhere (loading, warming) when the coordinator
 * runs out of subtrees is shut out, so the coordinator waits only for helpers that took some.
 */
export interface SubtreeJob {
  subtrees: string[];
  shared: SharedArrayBuffer;
  /** this helper's slot; undefined for the coordinator */
  slot?: number;
}

export function subtreeJob(subtrees: string[], helpers: number): SubtreeJob {
  return { subtrees, shared: new SharedArrayBuffer(4 * (1 + helpers)) };
}

/** A helper's start: false when the coordinator has shut it out (it then lists nothing). */
export function enterJob(job: SubtreeJob): boolean {
  return job.slot === undefined || Atomics.compareExchange(new Int32Array(job.shared), 1 + job.slot, 0, 1) === 0;
}

/** The coordinator, out of subtrees: shuts out helper `slot` unless it has started; true when it has. */
export function helperStarted(job: SubtreeJob, slot: number): boolean {
  return Atomics.compareExchange(new Int32Array(job.shared), 1 + slot, 0, -1) !== 0;
}

/**
 * The files a helper listed, in a form that crosses threads cheaply: one string of paths
 * joined by NUL (no file name holds one) and typed arrays of their sizes and mtimes.
 */
export interface ListedFiles {
  root: string;
  paths: string;
  bytes: Float64Array;
  mtimeMs: Float64Array;
}

/** A thread that lists claimed subtrees of the same input and returns what it found. */
export type SubtreeHelper = (job: SubtreeJob) => Promise<ListedFiles>;

/** Takes the next unclaimed subtree's index, or -1 when none is left. */
export function claimSubtree(job: SubtreeJob): number {
  const i = Atomics.add(new Int32Array(job.shared), 0, 1);
  return i < job.subtrees.length ? i : -1;
}

export function packFiles(root: string, files: InputFile[]): ListedFiles {
  const bytes = new Float64Array(files.length);
  const mtimeMs = new Float64Array(files.length);
  for (let i = 0; i < files.length; i++) {
    bytes[i] = files[i].bytes;
    mtimeMs[i] = files[i].mtimeMs;
  }
  return { root, paths: files.map((f) => f.path).join('\0'), bytes, mtimeMs };
}

export function unpackFiles(listed: ListedFiles, into: InputFile[]): void {
  if (listed.bytes.length === 0) return;
  const paths = listed.paths.split('\0');
  const root = listed.root.endsWith('/') ? listed.root : `${listed.root}/`;
  for (let i = 0; i < paths.length; i++) into.push({ path: paths[i], absPath: root + paths[i], bytes: listed.bytes[i], mtimeMs: listed.mtimeMs[i] });
}
