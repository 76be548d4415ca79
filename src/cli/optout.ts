import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { ThresherError } from '../core/errors.js';
import { sqlIdent, sqlString, withDuck } from '../io/duck.js';
import { OptoutMatcher, queryEntries } from '../optout/match.js';
import type { Manifest } from '../release/manifest.js';

/**
 * `thresher optout check <name> <release>`: is anything of an owner, repository or package in
 * a release? Reads the data shards (DuckDB, only the repository column, then the matching
 * rows) and the excluded/ files (rows removed as `opted_out`, whose detail names the
 * repository; without excluded/ files, the release's removed.jsonl). Present means: records in
 * data/. Rows in excluded/ carry no content; they are listed as removed.
 */

export interface Found {
  id: string;
  /** the file's path where the data has one, else its source */
  path: string;
  repo: string;
  /** release file holding the row */
  file: string;
}

export interface CheckResult {
  release: string;
  query: string;
  column: string;
  /** records of theirs in data/, up to the limit, and how many in all */
  present: Found[];
  presentTotal: number;
  /** repository value → records in data/ */
  repositories: Record<string, number>;
  /** rows of theirs excluded as opted_out (detail: `<entry> matched <repo>`) */
  removed: { id: string; entry: string; repo: string }[];
  /** where the release lists removals (ids and repositories, no content) */
  removedListedIn: string[];
  /** the release's opt-out section, if it has one: which registry applied */
  registrySha256?: string;
  idsFile?: string;
}

function readManifest(dir: string): Manifest {
  try {
    return JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as Manifest;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new ThresherError(`${dir}: not a thresher release (${code === 'ENOENT' ? 'no manifest.json' : (err as Error).message})`);
  }
}

const FILE_COLUMN = '_thresher_release_file';

/** A DuckDB table function over release files, by their format. */
function scanOf(files: string[]): string {
  const list = `[${files.map(sqlString).join(', ')}]`;
  // the file column gets a name no data column has
  if (files.every((f) => f.endsWith('.parquet'))) return `read_parquet(${list}, filename = '${FILE_COLUMN}')`;
  return `read_json(${list}, format = 'newline_delimited', union_by_name = true, filename = '${FILE_COLUMN}')`;
}

async function dataMatches(c: DuckDBConnection, dir: string, files: string[], column: string, matcher: OptoutMatcher, limit: number) {
  const scan = scanOf(files);
  const col = sqlIdent(column);
  const groups = (await c.runAndReadAll(`SELECT ${col}, count(*)::DOUBLE FROM ${scan} WHERE ${col} IS NOT NULL GROUP BY 1`)).getRows();
  const repositories: Record<string, number> = {};
  for (const [value, n] of groups) if (matcher.match(String(value)) >= 0) repositories[String(value)] = Number(n);
  const values = Object.keys(repositories);
  const presentTotal = Object.values(repositories).reduce((a, b) => a + b, 0);
  if (values.length === 0) return { present: [], presentTotal, repositories };
  const names = (await c.runAndReadAll(`SELECT * FROM ${scan} LIMIT 0`)).columnNames();
  const pathCol = names.includes('path') ? 'path' : 'source';
  const rows = (
    await c.runAndReadAll(
      `SELECT id::VARCHAR, ${sqlIdent(pathCol)}::VARCHAR, ${col}::VARCHAR, ${FILE_COLUMN} FROM ${scan} WHERE ${col} IN (${values.map(sqlString).join(', ')}) ORDER BY ${FILE_COLUMN}, id LIMIT ${limit}`,
    )
  ).getRows();
  const present = rows.map(([id, p, repo, file]) => ({ id: String(id), path: String(p ?? ''), repo: String(repo), file: path.relative(dir, String(file)) }));
  return { present, presentTotal, repositories };
}

/** The release's list of opt-out removals (artifacts/<i>-optout/removed.jsonl), for releases written without excluded/. */
function removedFromList(file: string, matcher: OptoutMatcher): CheckResult['removed'] {
  const out: CheckResult['removed'] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (line === '') continue;
    const r = JSON.parse(line) as { id: string; repo: string; entry: string };
    if (matcher.match(r.repo) >= 0) out.push({ id: r.id, entry: r.entry, repo: r.repo });
  }
  return out;
}

async function removedRows(c: DuckDBConnection, files: string[], matcher: OptoutMatcher): Promise<CheckResult['removed']> {
  if (files.length === 0) return [];
  const rows = (await c.runAndReadAll(`SELECT id, detail FROM read_parquet([${files.map(sqlString).join(', ')}]) WHERE reason = 'opted_out' ORDER BY id`)).getRows();
  const out: CheckResult['removed'] = [];
  for (const [id, detail] of rows) {
    const m = /^(\S+) matched (.+)$/.exec(String(detail ?? ''));
    if (m && matcher.match(m[2]) >= 0) out.push({ id: String(id), entry: m[1], repo: m[2] });
  }
  return out;
}

export async function checkRelease(release: string, query: string, options: { column?: string; limit?: number } = {}): Promise<CheckResult> {
  const dir = path.resolve(release);
  const manifest = readManifest(dir);
  const column = options.column ?? 'repo';
  const matcher = new OptoutMatcher(queryEntries(query));
  const names = manifest.schema.map((s) => s.name);
  if (!names.includes(column)) throw new ThresherError(`${release}: the release has no column ${JSON.stringify(column)} (columns: ${names.join(', ')}); name the repository column with --column`);
  const abs = (prefix: string) => manifest.files.filter((f) => f.path.startsWith(prefix)).map((f) => path.join(dir, ...f.path.split('/')));
  const dataFiles = abs('data/');
  const excludedFiles = abs('excluded/').filter((f) => f.endsWith('.parquet'));
  const section = manifest.sections?.optout?.data as { registry?: { sha256?: string }; ids_file?: string } | undefined;
  return withDuck(async (c) => {
    const data = dataFiles.length > 0 ? await dataMatches(c, dir, dataFiles, column, matcher, options.limit ?? 50) : { present: [], presentTotal: 0, repositories: {} };
    const list = section?.ids_file ? path.join(dir, ...section.ids_file.split('/')) : undefined;
    const removed = excludedFiles.length === 0 && list && existsSync(list) ? removedFromList(list, matcher) : await removedRows(c, excludedFiles, matcher);
    const removedListedIn = [...(excludedFiles.length > 0 ? ['excluded/'] : []), ...(list && existsSync(list) ? [section!.ids_file!] : [])];
    return { release, query, column, ...data, removed, removedListedIn, registrySha256: section?.registry?.sha256, idsFile: section?.ids_file };
  });
}

/** What a person reads; returns whether anything of theirs is in the data. */
export function printCheck(r: CheckResult, print: (line: string) => void = console.log): boolean {
  if (r.presentTotal > 0) {
    const repos = Object.entries(r.repositories).map(([v, n]) => `${v} (${n})`);
    print(`${r.release}: ${r.query} IS in this release: ${r.presentTotal} record${r.presentTotal > 1 ? 's' : ''} in data/ from ${repos.join(', ')}`);
    for (const f of r.present) print(`  ${f.file}\t${f.id}${f.path && f.path !== f.id ? `\t${f.path}` : ''}`);
    if (r.present.length < r.presentTotal) print(`  … and ${r.presentTotal - r.present.length} more (--limit)`);
  } else {
    print(`${r.release}: nothing of ${r.query} in this release's data (column ${r.column})`);
  }
  if (r.removed.length > 0) {
    const entries = [...new Set(r.removed.map((x) => x.entry))].join(', ');
    print(`${r.removed.length} record${r.removed.length > 1 ? 's' : ''} of ${r.query} removed by opt-out (${entries}); ids without content in ${r.removedListedIn.join(' and ')}:`);
    for (const x of r.removed.slice(0, 50)) print(`  ${x.id}\t${x.repo}`);
    if (r.removed.length > 50) print(`  … and ${r.removed.length - 50} more`);
  }
  if (r.registrySha256) print(`opt-out registry applied to this release: sha256 ${r.registrySha256}`);
  return r.presentTotal > 0;
}
