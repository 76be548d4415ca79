import { readdirSync, type Dirent } from 'node:fs';
import path from 'node:path';

/** One entry of a folder tree as the folder lists it: symlinks are reported, never followed. */
export interface WalkEntry {
  /** `/`-separated, relative to the root */
  rel: string;
  abs: string;
  kind: 'file' | 'dir' | 'symlink' | 'other';
}

export interface WalkOptions {
  /** Leave out an entry (and, for a folder, everything below it). */
  skip?: (name: string, rel: string) => boolean;
  /** A folder below the root that cannot be listed; the root itself throws. */
  unreadable?: (rel: string, abs: string, err: Error) => void;
}

function kindOf(e: Dirent): WalkEntry['kind'] {
  if (e.isSymbolicLink()) return 'symlink';
  if (e.isDirectory()) return 'dir';
  if (e.isFile()) return 'file';
  return 'other';
}

/**
 * Every entry below `root`, depth first, names in code-unit order, folders before their
 * contents. The one tree walk of thresher: input listing, the directory reader and `verify`
 * differ in what they do with an entry, not in how they find it.
 */
export function* walkTree(root: string, options: WalkOptions = {}, rel = ''): Generator<WalkEntry> {
  const dir = rel === '' ? root : path.join(root, rel);
  let entries: Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (err) {
    if (rel === '' || !options.unreadable) throw err;
    options.unreadable(rel, dir, err as Error);
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    const r = rel === '' ? e.name : `${rel}/${e.name}`;
    if (options.skip?.(e.name, r)) continue;
    const entry: WalkEntry = { rel: r, abs: path.join(dir, e.name), kind: kindOf(e) };
    yield entry;
    if (entry.kind === 'dir') yield* walkTree(root, options, r);
  }
}
