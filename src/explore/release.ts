/**
 * Read-only access to one release for people and programs that did not make it: `thresher
 * query`, `grep`, `export` and the explorer. DuckDB views over the release's own data files
 * (`records`, and `excluded` when the release kept its exclusions), on an instance sealed so
 * that a query reaches nothing else: see lockDownDuck.
 */
import { createHash } from 'node:crypto';
import { lstatSync, readFileSync, realpathSync } from 'node:fs';
import path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { parse } from 'yaml';
import { ThresherError } from '../core/errors.js';
import type { ColumnSpec } from '../core/record.js';
import { lockDownDuck, openDuck, sqlString } from '../io/duck.js';
import type { Manifest } from '../release/manifest.js';

export interface OpenRelease {
  /** the release folder, resolved */
  dir: string;
  manifest: Manifest;
  /** sha256 of manifest.json as it is on disk: names this exact release */
  manifestSha256: string;
  schema: ColumnSpec[];
  /** the column holding each record's text or file content */
  contentColumn: string;
  /** data files, relative to `dir`, in manifest order */
  dataFiles: string[];
  excludedFiles: string[];
  /** near_dedup's cluster table, when the release has one (view `near_dup_clusters`) */
  clusterFiles: string[];
  connection: DuckDBConnection;
  close(): void;
}

export interface OpenReleaseOptions {
  /** files outside the release the sealed instance may also write (an export's shards) */
  writable?: string[];
  /** DuckDB memory cap for queries, e.g. '1GB' */
  memoryLimit?: string;
}

const DATA_FORMATS = /\.(parquet|jsonl|jsonl\.gz)$/;

function readManifest(dir: string): { manifest: Manifest; sha256: string } {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path.join(dir, 'manifest.json'));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new ThresherError(`${dir}: not a thresher release (${code === 'ENOENT' ? 'no manifest.json' : (err as Error).message})`);
  }
  let manifest: Manifest;
  try {
    manifest = JSON.parse(bytes.toString('utf8')) as Manifest;
  } catch (err) {
    throw new ThresherError(`${path.join(dir, 'manifest.json')}: not valid JSON (${(err as Error).message})`);
  }
  if (!Array.isArray(manifest.files) || !Array.isArray(manifest.schema)) throw new ThresherError(`${path.join(dir, 'manifest.json')}: not a thresher manifest (no files or schema)`);
  return { manifest, sha256: createHash('sha256').update(bytes).digest('hex') };
}

/**
 * The absolute path of a file the manifest lists, after checking it is a regular file inside
 * the release: no `..`, no absolute path, no symlink at the file or any folder above it.
 */
export function releaseFilePath(dir: string, rel: string): string {
  const parts = rel.split('/');
  if (rel === '' || rel.startsWith('/') || rel.includes('\\') || rel.includes('\0') || parts.some((p) => p === '' || p === '.' || p === '..')) {
    throw new ThresherError(`${dir}: ${JSON.stringify(rel)} is not a path inside the release`);
  }
  let at = dir;
  for (const part of parts) {
    at = path.join(at, part);
    const st = lstatSync(at, { throwIfNoEntry: false });
    if (!st) throw new ThresherError(`${at}: missing (listed in manifest.json)`);
    if (st.isSymbolicLink()) throw new ThresherError(`${at}: is a symlink; a release holds regular files only (thresher verify names it)`);
  }
  if (!lstatSync(at).isFile()) throw new ThresherError(`${at}: not a regular file`);
  return at;
}

/** A DuckDB scan of release files of one format. */
function scanOf(files: string[]): string {
  const list = `[${files.map(sqlString).join(', ')}]`;
  if (files.every((f) => f.endsWith('.parquet'))) return `read_parquet(${list})`;
  if (files.every((f) => !f.endsWith('.parquet'))) return `read_json(${list}, format = 'newline_delimited', union_by_name = true)`;
  throw new ThresherError(`${path.dirname(files[0])}: mixes Parquet and JSONL files`);
}

/** The content column as the pipeline that made the release named it (input.content_field), else by convention. */
function contentColumnOf(dir: string, manifest: Manifest): string {
  const names = new Set(manifest.schema.map((c) => c.name));
  let field: unknown;
  try {
    field = (parse(readFileSync(path.join(dir, 'pipeline.yaml'), 'utf8')) as { input?: { content_field?: unknown } } | null)?.input?.content_field;
  } catch {
    field = undefined;
  }
  if (typeof field === 'string' && names.has(field)) return field;
  return names.has('content') ? 'content' : 'text';
}

/** The cluster tables a near_dedup stage released (its section names the first; more roll over as clusters-N.parquet). */
function clusterFilesOf(manifest: Manifest): string[] {
  const out: string[] = [];
  for (const [key, section] of Object.entries(manifest.sections ?? {})) {
    if (key !== 'near_dedup' && !key.startsWith('near_dedup-')) continue;
    const prefix = section.artifacts;
    if (prefix) out.push(...manifest.files.map((f) => f.path).filter((p) => p.startsWith(prefix) && /(^|\/)clusters(-\d+)?\.parquet$/.test(p)));
  }
  return out;
}

/** Opens a release for reading: checks its data files, makes the views, seals DuckDB. */
export async function openRelease(release: string, options: OpenReleaseOptions = {}): Promise<OpenRelease> {
  const dir = realpathSync.native(path.resolve(release));
  const { manifest, sha256 } = readManifest(dir);
  const listed = manifest.files.map((f) => f.path);
  const dataFiles = listed.filter((p) => p.startsWith('data/') && DATA_FORMATS.test(p));
  const excludedFiles = listed.filter((p) => p.startsWith('excluded/') && DATA_FORMATS.test(p));
  const abs = (rels: string[]) => rels.map((r) => releaseFilePath(dir, r));
  const clusterFiles = clusterFilesOf(manifest);
  const [dataAbs, excludedAbs, clusterAbs] = [abs(dataFiles), abs(excludedFiles), abs(clusterFiles)];
  const duck = await openDuck({ autoinstall_known_extensions: 'false', autoload_known_extensions: 'false', memory_limit: options.memoryLimit ?? '1GB' });
  try {
    const c = duck.connection;
    const columns = manifest.schema.map((col) => `NULL::VARCHAR AS "${col.name.replace(/"/g, '""')}"`).join(', ');
    // a release with no record still has its columns
    await c.run(`CREATE VIEW records AS ${dataAbs.length ? `SELECT * FROM ${scanOf(dataAbs)}` : `SELECT ${columns || 'NULL AS id'} WHERE false`}`);
    if (excludedAbs.length) await c.run(`CREATE VIEW excluded AS SELECT * FROM ${scanOf(excludedAbs)}`);
    if (clusterAbs.length) await c.run(`CREATE VIEW near_dup_clusters AS SELECT * FROM ${scanOf(clusterAbs)}`);
    await lockDownDuck(c, [...dataAbs, ...excludedAbs, ...clusterAbs, ...(options.writable ?? [])]);
  } catch (err) {
    duck.close();
    throw err;
  }
  return {
    dir,
    manifest,
    manifestSha256: sha256,
    schema: manifest.schema,
    contentColumn: contentColumnOf(dir, manifest),
    dataFiles,
    excludedFiles,
    clusterFiles,
    connection: duck.connection,
    close: duck.close,
  };
}
