import { createHash } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import type { ColumnSpec } from '../core/record.js';
import type { StageStats } from '../engine/stats.js';
import { countRows } from './rows.js';

export interface ManifestFile {
  path: string;
  sha256: string;
  bytes: number;
  rows: number | null;
}

export interface Manifest {
  format: 'thresher-release/1';
  name: string;
  description?: string;
  version: string;
  run_id: string;
  created_at: string;
  thresher_version: string;
  pipeline: { file: string; source: string; sha256: string };
  input: { type: string; path: string | string[]; files: number; bytes: number; fingerprint: string };
  execution: { tasks: number; seed: number };
  schema: ColumnSpec[];
  counts: {
    input_records: number;
    output_records: number;
    output_bytes: number;
    excluded: Record<string, number>;
    stages: StageStats[];
  };
  previous: null | { version: string; run_id: string; output_records: number; pipeline_sha256: string; input_fingerprint: string };
  changes: null | { records_added: number; pipeline_changed: boolean; input_changed: boolean; files_same: number; files_changed: number };
  files: ManifestFile[];
}

export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** sha256, size and rows of a file inside a release; `rel` is its path in the manifest. */
export async function describeFile(abs: string, rel: string, rows?: number | null): Promise<ManifestFile> {
  return { path: rel, sha256: await sha256File(abs), bytes: statSync(abs).size, rows: rows !== undefined ? rows : await countRows(abs) };
}
