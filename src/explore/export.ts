/**
 * `thresher export <release> --where "…" -o DIR`: the records of a release that pass a filter,
 * as a release of their own that `thresher verify` accepts. Each parent data file gives the
 * file of the same name (same format, records in the same order); the manifest's
 * `sections.export` names the parent (name, version, run id, sha256 of its manifest.json) and
 * the filter, and the card says so. The parent's pipeline.yaml comes along: it is how the
 * records were made. Stage artifacts (indexes, cluster tables) describe the parent's records
 * and stay with it.
 */
import { randomUUID } from 'node:crypto';
import { copyFileSync, existsSync, readdirSync, renameSync, statSync } from 'node:fs';
import path from 'node:path';
import { ThresherError } from '../core/errors.js';
import { ensureDir, removeIfExists, writeFileAtomic } from '../core/fs.js';
import type { StageStats } from '../engine/stats.js';
import { sqlIdent, sqlString } from '../io/duck.js';
import { renderCard } from '../release/card.js';
import { describeFile, sealManifest, type Manifest, type ManifestFile, type ManifestSection } from '../release/manifest.js';
import { checkFilter, filterStatement } from './filter.js';
import { openRelease, releaseFilePath, type OpenRelease } from './release.js';

export interface ExportOptions {
  where: string;
  /** the new release's folder; must not exist yet, or be empty */
  out: string;
  /** the export's name (default: the parent's) */
  name?: string;
}

export interface ExportResult {
  dir: string;
  manifest: Manifest;
}

/** The COPY format clause that writes a file like the parent's. */
function copyFormat(file: string): string {
  if (file.endsWith('.parquet')) return '(FORMAT parquet, COMPRESSION zstd)';
  return file.endsWith('.gz') ? "(FORMAT json, COMPRESSION 'gzip')" : '(FORMAT json)';
}

function checkOut(out: string): void {
  if (!existsSync(out)) return;
  if (!statSync(out).isDirectory() || readdirSync(out).length > 0) throw new ThresherError(`${out}: already exists; an export writes a new release folder`);
}

interface Written {
  files: { abs: string; rel: string; rows: number }[];
  kept: number;
  bytes: number;
}

/** Each parent data file filtered into the staging folder, through the sealed instance. */
async function writeFiltered(parent: OpenRelease, where: string, staging: string): Promise<Written> {
  const c = parent.connection;
  const content = parent.schema.some((s) => s.name === parent.contentColumn) ? `coalesce(strlen(${sqlIdent(parent.contentColumn)}::VARCHAR), 0)` : '0';
  const written: Written = { files: [], kept: 0, bytes: 0 };
  for (const [i, rel] of parent.dataFiles.entries()) {
    const from = releaseFilePath(parent.dir, rel);
    const view = `shard_${i}`;
    await c.run(`CREATE TEMP VIEW ${view} AS SELECT * FROM ${from.endsWith('.parquet') ? `read_parquet(${sqlString(from)})` : `read_json(${sqlString(from)}, format = 'newline_delimited')`}`);
    const to = path.join(staging, ...rel.split('/'));
    await c.run(`COPY (${filterStatement(where, view)}) TO ${sqlString(to)} ${copyFormat(rel)}`);
    // counted from the file just written: smaller than the parent's, and what the manifest describes
    const written_ = to.endsWith('.parquet') ? `read_parquet(${sqlString(to)})` : `read_json(${sqlString(to)}, format = 'newline_delimited')`;
    const [rows, bytes] = (await c.runAndReadAll(`SELECT count(*)::DOUBLE, sum(${content})::DOUBLE FROM ${written_}`)).getRows()[0];
    written.files.push({ abs: to, rel, rows: Number(rows) });
    written.kept += Number(rows);
    written.bytes += Number(bytes ?? 0);
  }
  return written;
}

function stageStats(parent: Manifest, kept: number, bytes: number, ms: number): StageStats[] {
  const n = parent.counts.output_records;
  const stat = (stage: string, out: number, excluded: Record<string, number>, bytesOut: number): StageStats => ({
    stage,
    records_in: stage === 'write' ? kept : n,
    records_out: out,
    bytes_in: parent.counts.output_bytes,
    bytes_out: bytesOut,
    excluded,
    ms: stage === 'export' ? ms : 0,
    counters: {},
  });
  return [stat('read', n, {}, parent.counts.output_bytes), stat('export', kept, n > kept ? { export_filter: n - kept } : {}, bytes), stat('write', kept, {}, bytes)];
}

function exportSection(parent: OpenRelease, where: string, kept: number): ManifestSection {
  const m = parent.manifest;
  const data = {
    parent: { name: m.name, version: m.version, run_id: m.run_id, manifest_sha256: parent.manifestSha256, output_records: m.counts.output_records },
    filter: { where },
    records: { parent: m.counts.output_records, kept },
  };
  const card = [
    `A subset of \`${m.name}\` ${m.version} (run \`${m.run_id}\`, manifest.json sha256 \`${parent.manifestSha256}\`): the ${kept} of its ${m.counts.output_records} records for which`,
    '',
    '```sql',
    where,
    '```',
    '',
    'holds, unchanged and in their order. Made with `thresher export`; stage artifacts of the parent are not included.',
  ];
  return { stage: 'export', artifacts: null, title: 'Export', card, data };
}

function buildManifest(parent: OpenRelease, options: ExportOptions, files: ManifestFile[], written: Written, ms: number): Manifest {
  const m = parent.manifest;
  const dataBytes = m.files.filter((f) => parent.dataFiles.includes(f.path)).reduce((a, f) => a + f.bytes, 0);
  const stages = stageStats(m, written.kept, written.bytes, ms);
  return {
    format: 'thresher-release/1',
    name: options.name ?? m.name,
    description: `${m.name} ${m.version} filtered by: ${options.where.replace(/\s+/g, ' ').trim()}`,
    version: 'v1',
    run_id: randomUUID(),
    created_at: new Date().toISOString(),
    thresher_version: m.thresher_version,
    pipeline: m.pipeline,
    input: { type: 'release', path: `${m.name}/${m.version}`, files: parent.dataFiles.length, bytes: dataBytes, fingerprint: parent.manifestSha256 },
    execution: { tasks: 1, seed: m.execution?.seed ?? 0 },
    schema: m.schema,
    counts: { input_records: m.counts.output_records, output_records: written.kept, output_bytes: written.bytes, excluded: stages[1].excluded, stages },
    previous: null,
    changes: null,
    sections: { export: exportSection(parent, options.where, written.kept) },
    files,
  };
}

export async function exportRelease(release: string, options: ExportOptions): Promise<ExportResult> {
  const started = performance.now();
  const out = path.resolve(options.out);
  checkOut(out);
  const staging = `${out}.tmp-${process.pid}`;
  removeIfExists(staging);
  const parentDir = path.resolve(release);
  // the sealed instance may write exactly the new data files
  const probe = await openRelease(parentDir);
  const targets = probe.dataFiles.map((rel) => path.join(staging, ...rel.split('/')));
  probe.close();
  const parent = await openRelease(parentDir, { writable: targets });
  try {
    await checkFilter(parent.connection, options.where);
    ensureDir(path.join(staging, 'data'));
    const written = await writeFiltered(parent, options.where, staging);
    const files: ManifestFile[] = [];
    for (const f of written.files) files.push(await describeFile(f.abs, f.rel, f.rows));
    if (parent.manifest.files.some((f) => f.path === 'pipeline.yaml')) {
      copyFileSync(releaseFilePath(parent.dir, 'pipeline.yaml'), path.join(staging, 'pipeline.yaml'));
      files.push(await describeFile(path.join(staging, 'pipeline.yaml'), 'pipeline.yaml', null));
    }
    const manifest = buildManifest(parent, options, files, written, performance.now() - started);
    const card = Buffer.from(renderCard(manifest), 'utf8');
    writeFileAtomic(path.join(staging, 'README.md'), card);
    const sealed = sealManifest(manifest, card, 'README.md');
    writeFileAtomic(path.join(staging, 'manifest.json'), JSON.stringify(sealed, null, 1) + '\n');
    if (existsSync(out)) removeIfExists(out); // checked empty above
    renameSync(staging, out);
    return { dir: out, manifest: sealed };
  } catch (err) {
    removeIfExists(staging);
    throw err;
  } finally {
    parent.close();
  }
}
