import { conjunction } from './expression.js';
import { TIERS, type Evidence } from './detect.js';

/**
 * From per-file evidence to one licence per folder, and from folders to files.
 *
 * A folder's licence comes from its strongest kind of evidence (TIERS: SPDX identifiers in
 * licence files and manifests, then manifests, then licence texts, then READMEs); several files
 * of that kind all apply (`MIT AND Apache-2.0` for LICENSE-MIT beside LICENSE-APACHE: the files
 * alone do not say it is a choice). One exception: GPL-3.0 beside LGPL-3.0 is how the LGPL
 * ships (its text adds permissions to the GPL's), so the pair reads as the LGPL.
 *
 * A file takes the licence of its closest folder (itself or an ancestor) that has one; a
 * nested package with its own licence therefore overrides the root's for everything below it.
 */

export interface FolderLicense {
  expression: string;
  /** The files that decided it. */
  evidence: Pick<Evidence, 'file' | 'method' | 'score'>[];
}

/** The LGPL-3.0 text presupposes the GPL-3.0 text beside it. */
function withoutShippedGpl(expressions: string[]): string[] {
  const lgpl3 = expressions.some((e) => /^LGPL-3\.0-(only|or-later)$/.test(e));
  return lgpl3 ? expressions.filter((e) => !/^GPL-3\.0-(only|or-later)$/.test(e)) : expressions;
}

/** One folder's licence from all the evidence its files gave. */
export function resolveFolder(evidence: Evidence[]): FolderLicense | null {
  if (evidence.length === 0) return null;
  const strongest = Math.min(...evidence.map((e) => TIERS[e.tier]));
  const used = evidence.filter((e) => TIERS[e.tier] === strongest).sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  const expression = conjunction(withoutShippedGpl(used.map((e) => e.expression)));
  if (!expression) return null;
  return { expression, evidence: used.map(({ file, method, score }) => ({ file, method, score })) };
}

/** A folder's key: its path, prefixed by its scope (the repository) when paths are per repository. */
export function folderKey(scope: string, dir: string): string {
  return scope === '' ? dir : `${scope}\u0000${dir}`;
}

/** Folder key → licence; `lookup` finds the closest folder of a file that has one. */
export class FolderTable {
  constructor(private readonly folders: Map<string, FolderLicense>) {}

  get size(): number {
    return this.folders.size;
  }

  /** The licence of the closest folder at or above `dir` ('' is the root) in `scope`, with that folder. */
  lookup(dir: string, scope = ''): { folder: string; license: FolderLicense } | undefined {
    for (let d = dir; ;) {
      const license = this.folders.get(folderKey(scope, d));
      if (license) return { folder: d, license };
      if (d === '') return undefined;
      const slash = d.lastIndexOf('/');
      d = slash < 0 ? '' : d.slice(0, slash);
    }
  }
}

/** Groups evidence by folder and resolves each. */
export function resolveFolders(entries: Iterable<[string, Evidence]>): Map<string, FolderLicense> {
  const byFolder = new Map<string, Evidence[]>();
  for (const [folder, e] of entries) {
    const list = byFolder.get(folder);
    if (list) list.push(e);
    else byFolder.set(folder, [e]);
  }
  const out = new Map<string, FolderLicense>();
  for (const [folder, list] of [...byFolder].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))) {
    const resolved = resolveFolder(list);
    if (resolved) out.set(folder, resolved);
  }
  return out;
}
