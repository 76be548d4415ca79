/**
 * Factory for readers and writers from spec objects (as found in a pipeline file).
 * Every schema is strict: unknown keys are errors.
 */
import path from 'node:path';
import { z } from 'zod';
import type { ColumnSpec } from '../core/record.js';
import { DirectoryReader, directoryReaderOptionsSchema } from './readers/directory.js';
import { S3DirectoryReader } from './readers/directory-s3.js';
import { isS3Url } from './storage/url.js';
import { BlobStoreReader, blobStoreReaderOptionsSchema } from './readers/blob-store.js';
import { GitReader, gitReaderOptionsSchema } from './readers/git.js';
import { VcsExportReader, vcsExportReaderOptionsSchema } from './readers/vcs-export.js';
import { JsonDocumentReader, jsonDocumentReaderOptionsSchema } from './readers/json-document.js';
import { JsonlReader, jsonlReaderOptionsSchema } from './readers/jsonl.js';
import { ParquetReader, parquetReaderOptionsSchema } from './readers/parquet.js';
import { CsvReader, csvReaderOptionsSchema } from './readers/csv.js';
import type { Reader, RecordWriter } from './types.js';
import { JsonlWriter, jsonlWriterOptionsSchema } from './writers/jsonl.js';
import { ParquetWriter, parquetWriterOptionsSchema } from './writers/parquet.js';

export { directoryReaderOptionsSchema, jsonlReaderOptionsSchema, parquetReaderOptionsSchema, jsonlWriterOptionsSchema, parquetWriterOptionsSchema };

const inputPath = z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]);

export const directoryReaderSpecSchema = directoryReaderOptionsSchema.extend({ type: z.literal('directory'), path: z.string().min(1) });
export const jsonlReaderSpecSchema = jsonlReaderOptionsSchema.extend({ type: z.literal('jsonl'), path: inputPath });
export const jsonDocumentReaderSpecSchema = jsonDocumentReaderOptionsSchema.extend({ type: z.literal('json'), path: inputPath });
export const parquetReaderSpecSchema = parquetReaderOptionsSchema.extend({ type: z.literal('parquet'), path: inputPath });
export const csvReaderSpecSchema = csvReaderOptionsSchema.extend({ type: z.literal('csv'), path: inputPath });
export const gitReaderSpecSchema = gitReaderOptionsSchema.extend({ type: z.literal('git'), path: z.string().min(1) });
export const hgReaderSpecSchema = vcsExportReaderOptionsSchema.extend({ type: z.literal('hg'), path: z.string().min(1) });
export const svnReaderSpecSchema = vcsExportReaderOptionsSchema.extend({ type: z.literal('svn'), path: z.string().min(1) });
export const blobStoreReaderSpecSchema = blobStoreReaderOptionsSchema.extend({ type: z.literal('blob_store'), path: inputPath });
export const readerSpecSchema = z.discriminatedUnion('type', [
  directoryReaderSpecSchema,
  jsonlReaderSpecSchema,
  jsonDocumentReaderSpecSchema,
  parquetReaderSpecSchema,
  csvReaderSpecSchema,
  gitReaderSpecSchema,
  hgReaderSpecSchema,
  svnReaderSpecSchema,
  blobStoreReaderSpecSchema,
]);
/** Input types whose records are files with their text in `content` (the rest are record pools, text in `content_field`). */
export const FILE_INPUT_TYPES: readonly string[] = ['directory', 'git', 'hg', 'svn', 'blob_store'];
export type ReaderSpec = z.input<typeof readerSpecSchema>;

export const parquetWriterSpecSchema = parquetWriterOptionsSchema.extend({ type: z.literal('parquet') });
export const jsonlWriterSpecSchema = jsonlWriterOptionsSchema.extend({ type: z.literal('jsonl') });
export const writerSpecSchema = z.discriminatedUnion('type', [parquetWriterSpecSchema, jsonlWriterSpecSchema]);
export type WriterSpec = z.input<typeof writerSpecSchema>;

/** Validates the spec (throws a ZodError on bad keys/values) and opens the reader. */
export function openReader(spec: ReaderSpec): Reader {
  const s = readerSpecSchema.parse(spec);
  switch (s.type) {
    case 'directory':
      return isS3Url(s.path) ? new S3DirectoryReader(s.path, omit(s, 'type', 'path')) : new DirectoryReader(s.path, omit(s, 'type', 'path'));
    case 'jsonl':
      return new JsonlReader(s.path, omit(s, 'type', 'path'));
    case 'json':
      return new JsonDocumentReader(s.path, omit(s, 'type', 'path'));
    case 'parquet':
      return new ParquetReader(s.path, omit(s, 'type', 'path'));
    case 'csv':
      return new CsvReader(s.path, omit(s, 'type', 'path'));
    case 'git':
      return new GitReader(s.path, omit(s, 'type', 'path'));
    case 'hg':
    case 'svn':
      return new VcsExportReader(s.type, s.path, omit(s, 'type', 'path'));
    case 'blob_store':
      return new BlobStoreReader(s.path, omit(s, 'type', 'path'));
  }
}

/**
 * Opens a writer for `columns`; `pathFor(seq)` names shard `seq` (0, 1, ...), e.g.
 * `(i) => \`out/part-${rank}-${String(i).padStart(5, '0')}.parquet\``.
 */
export function openWriter(spec: WriterSpec, columns: ColumnSpec[], pathFor: (seq: number) => string): RecordWriter {
  const s = writerSpecSchema.parse(spec);
  if (s.type === 'parquet') return new ParquetWriter(columns, pathFor, omit(s, 'type'));
  return new JsonlWriter(columns, pathFor, omit(s, 'type'));
}

function omit<T extends object, K extends keyof T>(o: T, ...keys: K[]): Omit<T, K> {
  const out = { ...o } as Record<string, unknown>;
  for (const k of keys) delete out[k as string];
  return out as Omit<T, K>;
}

/**
 * Resolves a reader spec's file options other than `path` (the blob store, the repository
 * metadata table) against the pipeline file's folder, as `path` is; URLs are left alone.
 */
export function resolveOptionPaths(spec: Record<string, unknown>, baseDir: string): void {
  const local = (p: unknown) => typeof p === 'string' && !/^[a-z][a-z0-9+.-]*:\/\//i.test(p);
  if (local(spec.store)) spec.store = path.resolve(baseDir, spec.store as string);
  const meta = spec.metadata as Record<string, unknown> | undefined;
  if (meta && typeof meta === 'object' && local(meta.path)) spec.metadata = { ...meta, path: path.resolve(baseDir, meta.path as string) };
}
