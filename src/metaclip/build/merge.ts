/**
 * align_lid_to_wiki's last step: metadata built per Wikipedia edition (`zh.json`,
 * `zh_yue.json`, `ace.json`, ...) merged into one metadata per routed language (`zh.json`
 * holding zh, zh_classical, zh_min_nan and zh_yue; `other.json` holding every edition no label
 * routes to). Grouping: `metadataLanguageOfEdition` in ../routing.ts.
 */
import path from 'node:path';
import { metadataLanguageOfEdition, routingTargets, type RoutingTable } from '../routing.js';

export interface EditionFile {
  edition: string;
  entries: readonly string[];
}

export interface MergedMetadata {
  /** metadata language → entries (first occurrence kept, editions in code point order) */
  languages: Map<string, string[]>;
  /** metadata language → the editions merged into it */
  editions: Map<string, string[]>;
  /** variants the reference leaves out (their prefix names no metadata language) */
  leftOut: string[];
}

/** The edition a metadata file is for, from its name: `zh_yue.json(.gz)` → zh_yue. */
export function editionOfFile(file: string): string {
  return path.basename(file).replace(/\.json(\.gz)?$/i, '');
}

export function mergeEditions(files: readonly EditionFile[], table: RoutingTable): MergedMetadata {
  const targets = routingTargets(table);
  const languages = new Map<string, string[]>();
  const editions = new Map<string, string[]>();
  const seen = new Map<string, Set<string>>();
  const leftOut: string[] = [];
  for (const f of [...files].sort((a, b) => (a.edition < b.edition ? -1 : a.edition > b.edition ? 1 : 0))) {
    const language = metadataLanguageOfEdition(f.edition, targets);
    if (language === null) {
      leftOut.push(f.edition);
      continue;
    }
    if (!languages.has(language)) {
      languages.set(language, []);
      editions.set(language, []);
      seen.set(language, new Set());
    }
    editions.get(language)!.push(f.edition);
    const out = languages.get(language)!;
    const s = seen.get(language)!;
    for (const e of f.entries) {
      if (s.has(e)) continue;
      s.add(e);
      out.push(e);
    }
  }
  return { languages, editions, leftOut };
}
