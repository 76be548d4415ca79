import { appendFileSync, existsSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { RecordBatch } from '../core/batch.js';
import { ThresherError } from '../core/errors.js';
import { ensureDir, tempNameFor, writeFileAtomic } from '../core/fs.js';
import type { DataRecord, Value } from '../core/record.js';
import { defineStage, type ExcludeRow, type MapStage, type MapTaskInfo, type ReleaseSection, type StageResult, type SummaryTaskInfo } from '../core/stage.js';
import { OptoutMatcher } from '../optout/match.js';
import { entryLabel, loadRegistry, type OptoutRegistry } from '../optout/registry.js';

/**
 * `optout`: drops every record whose repository an entry of the opt-out registry covers
 * (owners, owner/repo, npm packages; see optout/match.ts), with reason `opted_out` and the
 * entry in the detail. The registry is read in every run, so adding a name and running the
 * same pipeline again makes a release without it. Each task lists what it removed; the
 * release gets the list (`artifacts/<i>-optout/removed.jsonl`), an `optout` section in
 * manifest.json (registry sha256, counts per entry) and a paragraph in the card.
 * Put it first in the pipeline: records an earlier stage excludes carry no repository in
 * excluded/, so only `opted_out` rows there can be traced back to a name.
 */
const params = z.strictObject({
  /** The registry file (YAML or JSON), relative to the pipeline file. */
  registry: z.string().min(1),
  /** Column naming the record's repository or package (`owner/repo`, `name@version`). */
  column: z.string().min(1).default('repo'),
});
type Params = z.infer<typeof params>;

/** One removed record, as the release lists it. */
interface Removal {
  id: string;
  source: string;
  path?: string;
  repo: string;
  entry: string;
}

/** What every task of the run must agree on: the registry it applied. */
interface RegistryStamp {
  file: string;
  sha256: string;
  entries: number;
}

const FLUSH_LINES = 1000;
const pad = (n: number) => String(n).padStart(5, '0');

class OptoutStage implements MapStage {
  readonly kind = 'map' as const;
  readonly columns = [];
  private registry!: OptoutRegistry;
  private matcher!: OptoutMatcher;
  private labels: string[] = [];
  private readonly perEntry = new Map<string, number>();
  private checked = 0;
  private noValue = 0;
  private rank = 0;
  /** removals go to a temporary file as they happen (an owner may have millions of files) */
  private listFile = '';
  private pending: string[] = [];

  constructor(
    private readonly p: Params,
    private readonly baseDir: string,
  ) {}

  async open(task: MapTaskInfo): Promise<void> {
    this.registry = loadRegistry(path.resolve(this.baseDir, this.p.registry));
    this.matcher = new OptoutMatcher(this.registry.entries);
    this.labels = this.registry.entries.map(entryLabel);
    this.rank = task.rank;
    if (!task.stageDir) return; // a stage run outside the engine (tests): nothing to release
    this.checkSameRegistry(task.stageDir);
    const final = path.join(ensureDir(path.join(task.stageDir, 'removed')), `${pad(task.rank)}.jsonl`);
    this.listFile = final;
    writeFileSync(tempNameFor(final), JSON.stringify({ registry_sha256: this.registry.sha256 }) + '\n');
  }

  /** Tasks of one run (a resume included) must apply one registry: the first task stamps it. */
  private checkSameRegistry(stageDir: string): void {
    const stampFile = path.join(stageDir, 'registry.json');
    const stamp: RegistryStamp = { file: path.relative(this.baseDir, this.registry.file) || this.registry.file, sha256: this.registry.sha256, entries: this.registry.entries.length };
    if (existsSync(stampFile)) {
      const earlier = JSON.parse(readFileSync(stampFile, 'utf8')) as RegistryStamp;
      if (earlier.sha256 !== stamp.sha256) {
        throw new ThresherError(
          `${this.registry.file}: the opt-out registry changed since this run began (sha256 ${earlier.sha256.slice(0, 12)}… → ${stamp.sha256.slice(0, 12)}…); rerun with --fresh`,
        );
      }
      return;
    }
    writeFileAtomic(stampFile, JSON.stringify(stamp) + '\n');
  }

  /** The exclusion for a repository value, recording the removal. */
  private decide(value: Value | undefined, id: Value | undefined, source: Value | undefined, filePath: Value | undefined): StageResult {
    this.checked++;
    if (typeof value !== 'string' || value === '') {
      this.noValue++;
      return undefined;
    }
    const hit = this.matcher.match(value);
    if (hit < 0) return undefined;
    const entry = this.labels[hit];
    this.perEntry.set(entry, (this.perEntry.get(entry) ?? 0) + 1);
    if (this.listFile) {
      const removal: Removal = { id: String(id ?? ''), source: String(source ?? ''), ...(typeof filePath === 'string' ? { path: filePath } : {}), repo: value, entry };
      this.pending.push(JSON.stringify(removal));
      if (this.pending.length >= FLUSH_LINES) this.flush();
    }
    return { reason: 'opted_out', detail: `${entry} matched ${value}` };
  }

  private flush(): void {
    if (this.pending.length === 0) return;
    appendFileSync(tempNameFor(this.listFile), this.pending.join('\n') + '\n');
    this.pending = [];
  }

  process(record: DataRecord): StageResult {
    return this.decide(record[this.p.column], record.id, record.source, record.path);
  }

  processBatch(batch: RecordBatch, rows: Int32Array, exclude: ExcludeRow): void {
    const values = batch.column(this.p.column);
    const [ids, sources, paths] = [batch.column('id'), batch.column('source'), batch.column('path')];
    for (let k = 0; k < rows.length; k++) {
      const i = rows[k];
      const why = this.decide(values?.[i], ids?.[i], sources?.[i], paths?.[i]);
      if (why) exclude(i, why);
    }
  }

  async close(): Promise<void> {
    if (!this.listFile) return;
    this.flush();
    renameSync(tempNameFor(this.listFile), this.listFile);
  }

  counters(): Record<string, number> {
    const out: Record<string, number> = { 'optout:checked': this.checked, 'optout:removed': [...this.perEntry.values()].reduce((a, b) => a + b, 0) };
    if (this.noValue > 0) out['optout:no_repository'] = this.noValue;
    if (this.rank === 0) out['optout:registry_entries'] = this.registry?.entries.length ?? 0; // counters are summed over tasks
    for (const [entry, n] of this.perEntry) out[`optout:${entry}`] = n;
    return out;
  }

  async summarize(task: SummaryTaskInfo): Promise<ReleaseSection | void> {
    const stampFile = path.join(task.stageDir, 'registry.json');
    if (!existsSync(stampFile)) return;
    const stamp = JSON.parse(readFileSync(stampFile, 'utf8')) as RegistryStamp;
    const removals = readRemovals(path.join(task.stageDir, 'removed'), stamp.sha256);
    removals.sort((a, b) => (a.entry < b.entry ? -1 : a.entry > b.entry ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    writeFileAtomic(path.join(task.stageDir, 'artifacts', 'removed.jsonl'), removals.map((r) => JSON.stringify(r) + '\n').join(''));
    const byEntry: Record<string, number> = {};
    for (const r of removals) byEntry[r.entry] = (byEntry[r.entry] ?? 0) + 1;
    return optoutSection(stamp, this.p.column, byEntry, removals.length, `${task.artifactsPath}removed.jsonl`);
  }
}

/** Every task's list of removals, checked to come from the same registry. */
function readRemovals(dir: string, sha256: string): Removal[] {
  const out: Removal[] = [];
  const names = existsSync(dir) ? readdirSync(dir).filter((n) => /^\d+\.jsonl$/.test(n)) : [];
  for (const name of names.sort()) {
    const [head, ...lines] = readFileSync(path.join(dir, name), 'utf8').split('\n');
    const header = JSON.parse(head) as { registry_sha256: string };
    if (header.registry_sha256 !== sha256) throw new ThresherError(`${path.join(dir, name)}: made with another opt-out registry than the run's; rerun with --fresh`);
    for (const line of lines) if (line !== '') out.push(JSON.parse(line) as Removal);
  }
  return out;
}

/** The manifest section and card paragraph of the opt-out stage. */
function optoutSection(stamp: RegistryStamp, column: string, byEntry: Record<string, number>, removed: number, idsFile: string): ReleaseSection {
  const card = [
    `Records whose \`${column}\` an entry of the opt-out registry \`${stamp.file}\` covers are not in this release (registry sha256 \`${stamp.sha256}\`, ${stamp.entries} entr${stamp.entries === 1 ? 'y' : 'ies'}): ${removed} removed.`,
  ];
  const entries = Object.entries(byEntry);
  if (entries.length > 0) {
    card.push('', '| entry | records removed |', '|---|---:|', ...entries.map(([e, n]) => `| \`${e}\` | ${n} |`));
  }
  card.push('', `Their ids: \`${idsFile}\`, one JSON line each (id, source, path, repo: the \`${column}\` value, entry). Check a name with \`thresher optout check <name> <this folder>\`.`);
  return { key: 'optout', title: 'Opt-out', card, data: { registry: stamp, column, removed, by_entry: byEntry, ids_file: idsFile } };
}

export const optoutStage = defineStage<Params>({
  name: 'optout',
  description: 'Drop records of owners, repositories and packages listed in an opt-out registry; the release lists the removals and the registry hash.',
  kind: 'map',
  params,
  requires: (p) => [p.column],
  create: (p, env) => new OptoutStage(p, env.baseDir),
});
