import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * Built tables kept between runs (a MetaCLIP matcher, the SPDX licence index): what takes
 * seconds to build from its inputs takes milliseconds to load. One folder per kind under
 * $THRESHER_CACHE_DIR, else $XDG_CACHE_HOME/thresher, else ~/.cache/thresher;
 * THRESHER_CACHE_DIR=none turns the store off. The caller's key must cover every input of the
 * build, its format included, so a stale file is never read. A store that cannot be read or
 * written is passed over silently: the table is then built as if there were none.
 */
export function buildStoreDir(kind: string): string | undefined {
  const explicit = process.env.THRESHER_CACHE_DIR;
  if (explicit === 'none') return undefined;
  const root = explicit || path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'thresher');
  return path.join(root, kind);
}

export interface StoredBuild<T> {
  /** Folder under the store root, one per kind of table. */
  kind: string;
  /** Hex digest of everything the build depends on. */
  key: string;
  build: () => T;
  toBytes: (value: T) => Uint8Array;
  /** Throws on a damaged file (the table is then rebuilt and the file replaced). */
  fromBytes: (bytes: Buffer) => T;
}

/** The table for `key`, read from the store, or built and written there (atomically, by rename). */
export function storedBuild<T>(spec: StoredBuild<T>): T {
  const dir = buildStoreDir(spec.kind);
  const file = dir && path.join(dir, `${spec.key}.bin`);
  if (file) {
    try {
      return spec.fromBytes(readFileSync(file));
    } catch {
      // absent or damaged: build below
    }
  }
  const value = spec.build();
  if (file) {
    try {
      mkdirSync(dir, { recursive: true });
      const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
      writeFileSync(tmp, spec.toBytes(value));
      renameSync(tmp, file);
    } catch {
      // a read-only home: no store, nothing lost
    }
  }
  return value;
}
