import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MetaclipMatcher, type PaddingRule } from './automaton.js';

/**
 * Built matchers kept between runs, keyed by the metadata file's bytes and the padding rule:
 * MetaCLIP's 500k entries take seconds to build and 20 ms to load. The folder is
 * $THRESHER_CACHE_DIR, else $XDG_CACHE_HOME/thresher, else ~/.cache/thresher;
 * THRESHER_CACHE_DIR=none turns the store off. A store that cannot be read or written is
 * passed over silently: the matcher is then built as if there were none.
 */
export function matcherStoreDir(): string | undefined {
  const explicit = process.env.THRESHER_CACHE_DIR;
  if (explicit === 'none') return undefined;
  const root = explicit || path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'thresher');
  return path.join(root, 'metaclip-matchers');
}

/** The matcher of `entries` (read from the file whose bytes are `metadataBytes`), from the store or built and stored. */
export function storedMatcher(metadataBytes: Uint8Array, padding: PaddingRule, entries: () => readonly string[]): MetaclipMatcher {
  const dir = matcherStoreDir();
  // the format name is in the key: a new table layout never reads an old file
  const key = createHash('sha256').update('thresher-metaclip-matcher/1\0').update(padding).update('\0').update(metadataBytes).digest('hex');
  const file = dir && path.join(dir, `${key}.bin`);
  if (file) {
    try {
      return MetaclipMatcher.fromBytes(readFileSync(file));
    } catch {
      // absent or damaged: build below
    }
  }
  const matcher = MetaclipMatcher.build(entries(), { padding });
  if (file) {
    try {
      mkdirSync(dir, { recursive: true });
      const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
      writeFileSync(tmp, matcher.toBytes());
      renameSync(tmp, file);
    } catch {
      // a read-only home: no store, nothing lost
    }
  }
  return matcher;
}
