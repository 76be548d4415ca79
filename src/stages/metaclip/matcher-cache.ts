import { readFileSync } from 'node:fs';
import path from 'node:path';
import { storedMatcher } from '../../metaclip/matcher-store.js';
import { loadMetadataSync, type MetaclipMatcher, type PaddingRule } from '../../metaclip/index.js';
import { ThresherError } from '../../core/errors.js';

/**
 * One matcher per (metadata file, padding rule) per thread: a task reuses what an earlier
 * task in the same worker loaded; threads and later runs load it from the matcher store
 * (metaclip/matcher-store.ts) instead of building it again.
 */
const matchers = new Map<string, MetaclipMatcher>();
const entryLists = new Map<string, string[]>();

export function metadataEntries(file: string): string[] {
  let entries = entryLists.get(file);
  if (!entries) {
    try {
      entries = loadMetadataSync(file);
    } catch (err) {
      throw new ThresherError((err as Error).message.startsWith(file) ? (err as Error).message : `${file}: ${(err as Error).message}`);
    }
    entryLists.set(file, entries);
  }
  return entries;
}

export function cachedMatcher(file: string, padding: PaddingRule): MetaclipMatcher {
  const key = `${padding}\0${file}`;
  let m = matchers.get(key);
  if (!m) {
    let bytes: Buffer;
    try {
      bytes = readFileSync(file);
    } catch (err) {
      throw new ThresherError(`${file}: ${(err as Error).message}`);
    }
    m = storedMatcher(bytes, padding, () => metadataEntries(file));
    matchers.set(key, m);
  }
  return m;
}

/**
 * A pipeline's metadata: one file (MetaCLIP 1) or one per language (MetaCLIP 2). Entry ids
 * of several languages share one id space: language k's ids start at the sum of the sizes of
 * the languages sorted before it, so counts and balancing work on a single array.
 */
export interface MetadataLayout {
  languages: string[] | null;
  files: string[];
  offsets: number[];
  total: number;
}

export function metadataLayout(metadata: string | Record<string, string>, baseDir: string): MetadataLayout {
  if (typeof metadata === 'string') {
    const file = path.resolve(baseDir, metadata);
    return { languages: null, files: [file], offsets: [0], total: metadataEntries(file).length };
  }
  const languages = Object.keys(metadata).sort();
  const files = languages.map((l) => path.resolve(baseDir, metadata[l]));
  const offsets: number[] = [];
  let total = 0;
  for (const f of files) {
    offsets.push(total);
    total += metadataEntries(f).length;
  }
  return { languages, files, offsets, total };
}

/** Entry strings in global id order (for MetaCLIP's `entry_counts` format). */
export function layoutEntries(layout: MetadataLayout): string[] {
  if (!layout.languages) return metadataEntries(layout.files[0]);
  const out: string[] = [];
  layout.files.forEach((f, k) => {
    for (const e of metadataEntries(f)) out.push(`${layout.languages![k]}:${e}`);
  });
  return out;
}

/** The metadata language of a global entry id (per-language layouts only). */
export function languageOfId(layout: MetadataLayout): (id: number) => string {
  const { languages, offsets } = layout;
  if (!languages) throw new Error('languageOfId needs per-language metadata');
  return (id) => {
    let lo = 0;
    let hi = offsets.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (offsets[mid] <= id) lo = mid;
      else hi = mid - 1;
    }
    return languages[lo];
  };
}
