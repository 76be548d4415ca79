import { z } from 'zod';
import { maxFileBytesSchema } from './vcs-common.js';
import { InputError } from '../../core/errors.js';
import { PROVENANCE_COLUMNS, type ColumnSpec, type DataRecord } from '../../core/record.js';
import { BlobStoreUnreachable, blobIdOf, mapBounded, openBlobStore, type BlobStore } from '../../vcs/blob-store.js';
import { fileItem } from '../../vcs/file-item.js';
import { RepoMetadata, repoMetadataSchema } from '../../vcs/repo-metadata.js';
import { badInput, contentIdSchema, excluded, oneLine } from '../common.js';
import type { BadInputPolicy, InputFile, InputSlice, ReadItem, Reader } from '../types.js';
import { JsonlReader } from './jsonl.js';
import { ParquetReader } from './parquet.js';

export const blobStoreReaderOptionsSchema = z.strictObject({
  /** The blob store: a local folder or `s3://bucket/prefix` of gzip'd blobs named by git sha1. */
  store: z.string().min(1),
  /** The table's column holding each file's blob id (40 hex digits or `swh:1:cnt:...`): The Stack v2 calls it `blob_id`. */
  blobField: z.string().min(1).default('blob_id'),
  /** The table's column holding the record id; else `<table file>:<row>`. */
  idField: z.string().min(1).optional(),
  /** The table's column naming the repository (for the metadata join). */
  repoField: z.string().min(1).default('repo_name'),
  compression: z.enum(['gzip', 'none']).default('gzip'),
  /** Check every blob hashes to its id (damaged or misnamed objects are excluded as `corrupt`). */
  verify: z.boolean().default(true),
  /** Blob fetches in flight (a bucket wants many; a local disk a few). */
  concurrency: z.number().int().positive().default(16),
  maxBytes: maxFileBytesSchema,
  metadata: repoMetadataSchema.optional(),
  /** Accepted for symmetry; records carry their blob's `swh:1:cnt:` id. */
  contentId: contentIdSchema,
});
export type BlobStoreReaderOptions = z.input<typeof blobStoreReaderOptionsSchema>;

/** Table rows fetched together: enough to keep `concurrency` fetches busy, bounded memory. */
const CHUNK = 256;

/**
 * A table of files (JSONL or Parquet: blob id, repo, path, ...) whose contents live in a blob
 * store addressed by git sha1, as The Stack v2 is published: every table column is kept, the
 * blob's text becomes `content` (fetched `concurrency` at a time, in table order), and a blob the
 * store lacks is excluded as `missing_blob` (counted, never fatal).
 */
export class BlobStoreReader implements Reader {
  readonly contentColumn = 'content';
  private readonly opts: z.output<typeof blobStoreReaderOptionsSchema>;
  private readonly table: JsonlReader | ParquetReader;
  private readonly store: BlobStore;
  private readonly metadata: RepoMetadata | null;

  constructor(inputs: string | readonly string[], options: BlobStoreReaderOptions) {
    this.opts = blobStoreReaderOptionsSchema.parse(options);
    const first = typeof inputs === 'string' ? inputs : inputs[0];
    // the table's own reader, with the blob id as its "text": streaming, slicing and column inference come with it
    const tableOpts = { contentField: this.opts.blobField, contentId: 'none' as const, ...(this.opts.idField ? { idField: this.opts.idField } : {}) };
    this.table = /\.parquet$/i.test(first ?? '') ? new ParquetReader(inputs, tableOpts) : new JsonlReader(inputs, tableOpts);
    try {
      this.store = openBlobStore(this.opts.store, { compression: this.opts.compression, verify: this.opts.verify });
    } catch (err) {
      throw new InputError(this.opts.store, oneLine(err));
    }
    this.metadata = this.opts.metadata ? new RepoMetadata(this.opts.metadata) : null;
  }

  /** Provenance, the table's columns, then size and content (and joined metadata). Final after listFiles(). */
  get columns(): ColumnSpec[] {
    const names = new Set(PROVENANCE_COLUMNS.map((c) => c.name));
    const tableCols = this.table.columns.filter((c) => !names.has(c.name) && c.name !== 'size' && c.name !== 'content');
    return [...PROVENANCE_COLUMNS, ...tableCols, { name: 'size', type: 'int64' }, { name: 'content', type: 'string' }, ...(this.metadata?.columns ?? [])];
  }

  async listFiles(): Promise<InputFile[]> {
    await this.metadata?.load();
    return this.table.listFiles();
  }

  slices(files: InputFile[], rank: number, worldSize: number): InputSlice[] {
    return this.table.slices(files, rank, worldSize);
  }

  async *read(slices: InputSlice[], policy: BadInputPolicy): AsyncIterable<ReadItem> {
    for await (const chunk of this.readChunks(slices, policy)) yield* chunk;
  }

  async *readChunks(slices: InputSlice[], policy: BadInputPolicy): AsyncIterable<ReadItem[]> {
    await this.metadata?.load();
    let pending: ReadItem[] = [];
    for await (const item of this.table.read(slices, policy)) {
      pending.push(item);
      if (pending.length >= CHUNK) {
        yield await this.fetch(pending, policy);
        pending = [];
      }
    }
    if (pending.length > 0) yield await this.fetch(pending, policy);
  }

  /** Contents of one chunk of table rows, `concurrency` fetches at a time. */
  private fetch(items: ReadItem[], policy: BadInputPolicy): Promise<ReadItem[]> {
    const idColumn = this.table.contentColumn;
    return mapBounded(items, this.opts.concurrency, async (item) => {
      if (!item.record) return item;
      const row = item.record;
      const src = row.source as string;
      const at = row.source_row as number | null;
      const blob = blobIdOf(row[idColumn]);
      if (blob === null) return badInput(policy, src, at, 'bad_record', `field "${this.opts.blobField}" is not a blob id: ${JSON.stringify(row[idColumn])}`, row.id, 0);
      let bytes: Buffer | null;
      try {
        bytes = await this.store.get(blob);
      } catch (err) {
        // the bucket itself unreadable (credentials, no such bucket, endpoint down) is no one blob's fault
        if (err instanceof BlobStoreUnreachable) throw err;
        return badInput(policy, src, at, 'corrupt', `blob ${blob}: ${oneLine(err)}`, row.id, 0);
      }
      if (bytes === null) return excluded(row.id, src, at, 'missing_blob', 0, `blob ${blob} is not in the store`);
      const fields: DataRecord = { ...row, content_id: `swh:1:cnt:${blob}` };
      const out = fileItem(bytes, row.id, src, at, this.opts.maxBytes, fields);
      if (out.record && this.metadata) this.metadata.apply(out.record, String(row[this.opts.repoField] ?? ''));
      return out;
    });
  }
}
