import { createHash } from 'node:crypto';
import { buildStoreDir, storedBuild } from '../core/build-store.js';
import { MetaclipMatcher, type PaddingRule } from './automaton.js';

/**
 * Built matchers kept between runs (core/build-store.ts), keyed by the metadata file's bytes
 * and the padding rule: MetaCLIP's 500k entries take seconds to build and 20 ms to load.
 */
const KIND = 'metaclip-matchers';

export function matcherStoreDir(): string | undefined {
  return buildStoreDir(KIND);
}

/** The matcher of `entries` (read from the file whose bytes are `metadataBytes`), from the store or built and stored. */
export function storedMatcher(metadataBytes: Uint8Array, padding: PaddingRule, entries: () => readonly string[]): MetaclipMatcher {
  // the format name is in the key: a new table layout never reads an old file
  const key = createHash('sha256').update('thresher-metaclip-matcher/1\0').update(padding).update('\0').update(metadataBytes).digest('hex');
  return storedBuild({
    kind: KIND,
    key,
    build: () => MetaclipMatcher.build(entries(), { padding }),
    toBytes: (matcher) => matcher.toBytes(),
    fromBytes: (bytes) => MetaclipMatcher.fromBytes(bytes),
  });
}
