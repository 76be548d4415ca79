import path from 'node:path';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { bucketOf } from '../core/bucket.js';
import { ExchangeWriter, readExchange } from '../core/exchange.js';
import { listFilesSorted, writeFileAtomic } from '../core/fs.js';
import type { RecordBatch } from '../core/batch.js';
import type { Value } from '../core/record.js';
import { defineStage, type ExcludeRow, type GlobalApplier, type GlobalObserver, type GlobalStage, type GlobalTaskInfo } from '../core/stage.js';
import { classifyExpression, LICENSE_CLASSES, type LicenseClass } from '../licenses/classify.js';
import { evidenceReader, spdxIdentifiers, type Evidence } from '../licenses/detect.js';
import { FolderTable, folderKey, resolveFolders, type FolderLicense } from '../licenses/directories.js';
import { dirName, governedDir, skipFiles } from '../licenses/files.js';
import { loadCorpus } from '../licenses/corpus.js';
import { DEFAULT_THRESHOLD } from '../licenses/match.js';

/**
 * `license`: the licence of every file, as The Stack v2 finds it. Adds `license` (an SPDX
 * expression, null when nothing is found), `license_class` (`permissive`, `no_license`,
 * `non_permissive`; see licenses/classify.ts) and `license_evidence` (a JSON string: a list of
 * `{file, method, score}`, the files that decided; method is `spdx-header` for a file's own
 * header, else `spdx-id`, `manifest`, `exact`, `dice` or `notice`).
 *
 * Global, because a licence file speaks for every file at or below its folder:
 * observe: licence-like files, manifests and READMEs give evidence for their folder, sent to
 * reduce rank hash(folder) (licenses/detect.ts); reduce: each rank resolves its folders and
 * writes one table (licenses/directories.ts); apply: every rank loads all tables (one entry
 * per folder with evidence) and gives each file its own `SPDX-License-Identifier` header if it
 * has one, else the licence of its closest folder. With `keep`, files of other classes are
 * excluded with reason `license` (detail: the expression and class). Default: keep all,
 * annotate only; The Stack v2 keeps `[permissive, no_license]`.
 */
const params = z.strictObject({
  /** Column with the file's path (relative to the input root, or to the repository with repo_column). */
  path_column: z.string().min(1).default('path'),
  /** When paths are relative to a repository (The Stack's layout), the column naming it; folders are then per repository. */
  repo_column: z.string().min(1).nullable().default(null),
  /** Classes to keep (e.g. [permissive, no_license] as The Stack v2); null keeps every file. */
  keep: z
    .array(z.enum(LICENSE_CLASSES as [LicenseClass, ...LicenseClass[]]))
    .nullable()
    .default(null),
  /** A file's own `SPDX-License-Identifier` header overrides its folder's licence. */
  headers: z.boolean().default(true),
  /** READMEs are evidence (the weakest) for folders with nothing better. */
  readme: z.boolean().default(true),
  /**
   * File-name globs (case-insensitive, matched against the base name) of licence-like files that are
   * not evidence, e.g. `['*THIRD*PARTY*', 'NOTICE*']`: a bundled-dependencies list such as Cargo's
   * LICENSE-THIRD-PARTY otherwise joins its folder's licence with AND and makes every file there
   * non_permissive. None by default, as The Stack v2 reads every licence-like file.
   */
  skip_files: z.array(z.string().min(1)).default([]),
  /** Dice score (word bigrams) a licence text needs to match a reference text. */
  threshold: z.number().min(0.5).max(1).default(DEFAULT_THRESHOLD),
  /** Licence-like files larger than this (characters) are not read as licence text. */
  max_license_chars: z
    .number()
    .int()
    .positive()
    .default(512 * 1024),
});
type Params = z.infer<typeof params>;

const EVIDENCE_DIR = 'evidence';
const TABLE_DIR = 'folders';

class LicenseStage implements GlobalStage {
  readonly kind = 'global' as const;
  readonly columns = [
    { name: 'license', type: 'string' as const },
    { name: 'license_class', type: 'string' as const },
    { name: 'license_evidence', type: 'string' as const },
  ];

  constructor(
    private readonly p: Params,
    private readonly contentColumn: string,
  ) {}

  private scopeOf(batch: RecordBatch, i: number): string {
    return this.p.repo_column === null ? '' : String(batch.column(this.p.repo_column)?.[i] ?? '');
  }

  async observer(task: GlobalTaskInfo): Promise<GlobalObserver> {
    const out = new ExchangeWriter(path.join(task.stageDir, EVIDENCE_DIR), task.rank, task.worldSize);
    const detect = evidenceReader({ threshold: this.p.threshold, readme: this.p.readme });
    const skipped = skipFiles(this.p.skip_files);
    return {
      observeBatch: (batch, rows) => {
        const paths = batch.column(this.p.path_column);
        const contents = batch.column(this.contentColumn);
        for (let k = 0; k < rows.length; k++) {
          const i = rows[k];
          const file = paths?.[i];
          const content = contents?.[i];
          if (typeof file !== 'string' || typeof content !== 'string' || content.length > this.p.max_license_chars || skipped(file)) continue;
          const evidence = detect(file, content); // null at once for ordinary files (by name)
          if (!evidence) continue;
          const key = folderKey(this.scopeOf(batch, i), governedDir(file));
          out.push(bucketOf(key, task.worldSize), JSON.stringify([key, evidence]));
        }
      },
      finish: async () => out.publish(),
    };
  }

  async reduce(task: GlobalTaskInfo): Promise<Record<string, number>> {
    const entries: [string, Evidence][] = [];
    for (const line of readExchange(path.join(task.stageDir, EVIDENCE_DIR), task.rank)) entries.push(JSON.parse(line) as [string, Evidence]);
    const folders = resolveFolders(entries);
    writeFileAtomic(path.join(task.stageDir, TABLE_DIR, `rank-${task.rank}.json`), JSON.stringify([...folders]));
    const counters: Record<string, number> = { 'license:evidence_files': entries.length, 'license:folders': folders.size };
    for (const [, e] of entries) counters[`license_evidence:${e.method}`] = (counters[`license_evidence:${e.method}`] ?? 0) + 1;
    return counters;
  }

  async applier(task: GlobalTaskInfo): Promise<GlobalApplier> {
    const folders = new Map<string, FolderLicense>();
    for (const file of listFilesSorted(path.join(task.stageDir, TABLE_DIR), (n) => n.endsWith('.json'))) {
      for (const [key, license] of JSON.parse(readFileSync(file, 'utf8')) as [string, FolderLicense][]) folders.set(key, license);
    }
    return new LicenseApplier(this.p, this.contentColumn, new FolderTable(folders), (b, i) => this.scopeOf(b, i));
  }
}

class LicenseApplier implements GlobalApplier {
  private readonly perClass = new Map<string, number>();
  private readonly perSource = new Map<string, number>();
  /** expression → class: a pool has few distinct expressions */
  private readonly classes = new Map<string | null, LicenseClass>();

  constructor(
    private readonly p: Params,
    private readonly contentColumn: string,
    private readonly table: FolderTable,
    private readonly scopeOf: (batch: RecordBatch, i: number) => string,
  ) {}

  /** The file's licence: its own header, else its closest folder's; with the evidence as JSON. */
  private decide(file: Value | undefined, content: Value | undefined, scope: string): { expression: string | null; evidence: string | null } {
    const header = this.p.headers && typeof content === 'string' ? spdxIdentifiers(content) : null;
    if (header !== null && typeof file === 'string') {
      this.bump(this.perSource, 'header');
      return { expression: header, evidence: JSON.stringify([{ file, method: 'spdx-header', score: 1 }]) };
    }
    const found = typeof file === 'string' ? this.table.lookup(dirName(file), scope) : undefined;
    this.bump(this.perSource, found ? 'folder' : 'none');
    return found ? { expression: found.license.expression, evidence: JSON.stringify(found.license.evidence) } : { expression: null, evidence: null };
  }

  private bump(m: Map<string, number>, k: string): void {
    m.set(k, (m.get(k) ?? 0) + 1);
  }

  processBatch(batch: RecordBatch, rows: Int32Array, exclude: ExcludeRow): void {
    const paths = batch.column(this.p.path_column);
    const contents = batch.column(this.contentColumn);
    const licenses = batch.columnForWrite('license');
    const classes = batch.columnForWrite('license_class');
    const evidence = batch.columnForWrite('license_evidence');
    const keep = this.p.keep ? new Set<string>(this.p.keep) : undefined;
    for (let k = 0; k < rows.length; k++) {
      const i = rows[k];
      const d = this.decide(paths?.[i], contents?.[i], this.scopeOf(batch, i));
      let cls = this.classes.get(d.expression);
      if (cls === undefined) this.classes.set(d.expression, (cls = classifyExpression(d.expression)));
      licenses[i] = d.expression;
      classes[i] = cls;
      evidence[i] = d.evidence;
      this.bump(this.perClass, cls);
      if (keep && !keep.has(cls)) exclude(i, { reason: 'license', detail: `${d.expression ?? 'no licence'} (${cls})` });
    }
  }

  counters(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [k, v] of this.perClass) out[`license_class:${k}`] = v;
    for (const [k, v] of this.perSource) out[`license_from:${k}`] = v;
    return out;
  }
}

export const licenseStage = defineStage<Params>({
  name: 'license',
  description:
    'Licence of every file (SPDX expression and class) from SPDX headers, manifests and licence files, propagated down the folder tree; optionally keeps only some classes (The Stack v2: permissive, no_license).',
  kind: 'global',
  params,
  requires: (p, env) => [p.path_column, env.contentColumn, ...(p.repo_column ? [p.repo_column] : [])],
  // the SPDX corpus index: ~0.9 s per thread
  warm: () => void loadCorpus(),
  create: (p, env) => new LicenseStage(p, env.contentColumn),
});
