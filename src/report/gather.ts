import type { DuckDBConnection } from '@duckdb/node-api';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { ColumnSpec } from '../core/record.js';
import type { RunStats, StageStats } from '../engine/stats.js';
import os from 'node:os';
import { openDuck, sqlIdent } from '../io/duck.js';
import { countBy, dedupClusters, entryCounts, excludedExamples, filesRelation, sizeBins, type ClusterSize, type Count, type ExcludedExample, type SizeBin } from './queries.js';

/** What the report is made from: the release folder's files and what the run knows about them. */
export interface ReportSource {
  name: string;
  version: string;
  description?: string;
  thresher_version: string;
  stats: RunStats;
  /** release-relative paths of the files in the release folder (data, excluded, artifacts) */
  files: string[];
  schema: ColumnSpec[];
  /** the column that holds each record's content (its UTF-8 size is the record's size) */
  contentColumn: string;
}

export interface MetaclipCurve {
  stage: string;
  t: number;
  before: number[];
  after: number[];
  /** the stage's own plot of these counts (the same spec, so the same bytes), when it released one */
  svg?: string;
}

export interface ExclusionRow {
  stage: string;
  reason: string;
  count: number;
}

export interface ReportData {
  source: ReportSource;
  /** the stages in run order, `read` to `write` */
  funnel: StageStats[];
  exclusions: ExclusionRow[];
  languages: Count[] | null;
  licenseClasses: Count[] | null;
  licenses: Count[] | null;
  sizes: SizeBin[];
  clusters: ClusterSize[];
  metaclip: MetaclipCurve[];
  examples: ExcludedExample[];
}

export const TOP_VALUES = 15;
export const EXAMPLES_PER_REASON = 3;

function hasColumn(schema: ColumnSpec[], name: string, type: ColumnSpec['type']): boolean {
  return schema.some((c) => c.name === name && c.type === type);
}

/** Exclusions per (stage, reason), most first: stats.json's counts, the same numbers as the manifest. */
function exclusionRows(stats: RunStats): ExclusionRow[] {
  const out: ExclusionRow[] = [];
  for (const s of Object.values(stats.stages)) for (const [reason, count] of Object.entries(s.excluded)) out.push({ stage: s.stage, reason, count });
  return out.sort((a, b) => b.count - a.count || (a.reason < b.reason ? -1 : a.reason > b.reason ? 1 : 0));
}

/** MetaCLIP balancing curves: one per metaclip_balance stage, from its released entry counts and summary. */
async function metaclipCurves(dir: string, files: string[], run: (f: string) => Promise<{ before: number[]; after: number[] }>): Promise<MetaclipCurve[]> {
  const curves: MetaclipCurve[] = [];
  for (const rel of files.filter((f) => /^artifacts\/\d+-metaclip_balance\/entry_counts\.parquet$/.test(f))) {
    const folder = path.posix.dirname(rel);
    const summary = path.join(dir, folder, 'summary.json');
    if (!existsSync(summary)) continue;
    const { t } = JSON.parse(readFileSync(summary, 'utf8')) as { t: number };
    const plot = `${folder}/entry-counts.svg`;
    const svg = files.includes(plot) ? readFileSync(path.join(dir, plot), 'utf8') : undefined;
    curves.push({ stage: folder.slice('artifacts/'.length), t, ...(await run(path.join(dir, rel))), ...(svg ? { svg } : {}) });
  }
  return curves;
}

/**
 * Everything the report shows, gathered from the release folder `dir`: counts from stats.json,
 * distributions by DuckDB over the data and excluded shards (a DuckDB of its own with a thread per
 * core: the workers are done by now, and every query orders its rows completely), and
 * the artifacts of stages that released some. A distribution whose column the release lacks is null.
 */
export async function gatherReport(dir: string, source: ReportSource): Promise<ReportData> {
  const abs = (prefix: string) => source.files.filter((f) => f.startsWith(prefix) && /\.(parquet|jsonl|jsonl\.gz)$/.test(f)).map((f) => path.join(dir, f));
  const data = abs('data/');
  const excluded = abs('excluded/');
  const duck = await openDuck({ threads: String(Math.min(4, os.availableParallelism())) });
  try {
    const c = duck.connection;
    const from = data.length > 0 ? filesRelation(data) : undefined;
    const ex = excluded.length > 0 ? filesRelation(excluded) : undefined;
    const by = async (column: string) => (from && hasColumn(source.schema, column, 'string') ? countBy(c, from, column, TOP_VALUES) : null);
    const sizes: SizeBin[] = [];
    if (from && hasColumn(source.schema, source.contentColumn, 'string')) sizes.push(...(await keptSizes(c, from, source)));
    if (ex) sizes.push(...(await sizeBins(c, ex, 'bytes', 'excluded')));
    return {
      source,
      funnel: Object.values(source.stats.stages),
      exclusions: exclusionRows(source.stats),
      languages: await by('language'),
      licenseClasses: await by('license_class'),
      licenses: await by('license'),
      sizes,
      clusters: ex ? await dedupClusters(c, ex) : [],
      metaclip: await metaclipCurves(dir, source.files, (f) => entryCounts(c, f)),
      examples: ex ? await excludedExamples(c, ex, EXAMPLES_PER_REASON) : [],
    };
  } finally {
    duck.close();
  }
}

/**
 * Released records by content size: counted by the writers as they wrote (stats.json), or, for a
 * release made before they did, measured from the data files (which reads every record's content).
 */
async function keptSizes(c: DuckDBConnection, from: string, source: ReportSource): Promise<SizeBin[]> {
  const counted = source.stats.stages.write?.size_log2;
  if (counted) return Object.entries(counted).map(([log2, count]) => ({ log2: Number(log2), group: 'kept', count }));
  return sizeBins(c, from, `strlen(${sqlIdent(source.contentColumn)})`, 'kept');
}
