import path from 'node:path';
import type { ColumnSpec } from '../core/record.js';
import type { ContentIdMode } from '../core/hashing.js';
import { ThresherError } from '../core/errors.js';
import { openReader, openWriter, resolveOptionPaths } from '../io/open.js';
import { camelize } from '../pipeline/input-spec.js';
import type { Reader, RecordWriter } from '../io/types.js';
import type { LoadedPipeline } from '../pipeline/load.js';
import { shardName } from './layout.js';
import { ColumnarWriter } from '../io/columnar/format.js';

function resolveInputPaths(p: string | string[], baseDir: string): string | string[] {
  const resolve = (x: string) => (/^s3:\/\//i.test(x) ? x : path.resolve(baseDir, x)); // an s3:// URL is already absolute
  return Array.isArray(p) ? p.map(resolve) : resolve(p);
}

/**
 * `content_id` when the pipeline does not say: code keeps the Software Heritage id (files are
 * traced to git hosts by it); a record pool pays for an id only when a stage needs one (exact
 * dedup's key), and then the cheaper xxh3.
 */
export function defaultContentId(pipeline: LoadedPipeline): ContentIdMode {
  if (pipeline.spec.input.type === 'directory') return 'swh';
  const needed = pipeline.stages.some((s) => (s.definition.requires?.(s.params, pipeline.env) ?? []).includes('content_id'));
  return needed ? 'xxh3' : 'none';
}

/** The reader the pipeline names, with paths resolved against the pipeline file's folder. */
export function createReader(pipeline: LoadedPipeline): Reader {
  const input = camelize(pipeline.spec.input as Record<string, unknown>);
  input.contentId ??= defaultContentId(pipeline);
  input.path = resolveInputPaths(pipeline.spec.input.path, pipeline.baseDir);
  resolveOptionPaths(input, pipeline.baseDir); // blob store and repository metadata (src/io/open.ts)
  return openReader(input as Parameters<typeof openReader>[0]);
}

/**
 * The reader a task reads its slices with. JSONL and Parquet readers learn their columns from
 * the data while listing; they must come out as they did when the run was planned.
 */
export async function createTaskReader(pipeline: LoadedPipeline, plannedColumns: ColumnSpec[]): Promise<Reader> {
  const reader = createReader(pipeline);
  if (pipeline.spec.input.type !== 'directory') await reader.listFiles();
  if (JSON.stringify(reader.columns) !== JSON.stringify(plannedColumns)) {
    throw new ThresherError(`${pipeline.file}: the input's columns changed since this run was planned (rerun with --fresh)`);
  }
  return reader;
}

/**
 * Shard writer of one task: the release's format for the last segment; for a segment read
 * only by the next step of this run, thresher's own columnar file (one per task, no roll-over).
 */
export function openShardWriter(pipeline: LoadedPipeline, columns: ColumnSpec[], dir: string, rank: number, last: boolean): RecordWriter {
  if (!last) return new ColumnarWriter(columns, path.join(dir, shardName('part', rank, 0, 'tcol')));
  const out = pipeline.spec.output;
  const format = out.format;
  const ext = format === 'parquet' ? 'parquet' : format;
  const limits = { maxRows: out.max_rows_per_shard, maxBytes: out.max_bytes_per_shard };
  const pathFor = (seq: number) => path.join(dir, shardName('part', rank, seq, ext));
  if (format === 'parquet') return openWriter({ type: 'parquet', ...limits }, columns, pathFor);
  return openWriter({ type: 'jsonl', ...limits }, columns, pathFor); // .gz in the name means gzip
}

/** What the release keeps of each excluded record: who, from where, which stage, why. */
export const EXCLUDED_COLUMNS: ColumnSpec[] = [
  { name: 'id', type: 'string' },
  { name: 'source', type: 'string' },
  { name: 'source_row', type: 'int64' },
  { name: 'stage', type: 'string' },
  { name: 'reason', type: 'string' },
  { name: 'detail', type: 'string' },
  { name: 'bytes', type: 'int64' },
];

export function openExcludedWriter(dir: string, rank: number): RecordWriter {
  return openWriter({ type: 'parquet' }, EXCLUDED_COLUMNS, (seq) => path.join(dir, shardName('excluded', rank, seq, 'parquet')));
}
