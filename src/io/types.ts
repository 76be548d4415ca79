import type { RecordBatch } from '../core/batch.js';
import type { ColumnSpec, DataRecord, ExcludedRecord } from '../core/record.js';
import type { ReadExclusionReason } from './common.js';

/** How bad input is handled. `fail`: stop the run, non-zero exit. `quarantine`: exclude with reason. */
export type BadInputPolicy = 'fail' | 'quarantine';

/** One file of the input with what identifies its version (for the manifest's fingerprints). */
export interface InputFile {
  /** path relative to the input root (directory input) or as given */
  path: string;
  absPath: string;
  bytes: number;
  mtimeMs: number;
  /** Row count when the format tells it cheaply (Parquet footer); lets slices split by rows. */
  rows?: number;
  /**
   * Set for an entry found in an input folder that must not be opened (a FIFO would block, a
   * symlink loop cannot be read): it stays in the listing so it is counted, and the reader
   * yields one exclusion for it (see readListed in common.ts) instead of reading it.
   */
  problem?: { reason: ReadExclusionReason; detail: string };
}

/** A slice of the input that one rank reads: whole files, or a row range of one file. */
export interface InputSlice {
  file: InputFile;
  /** first row (inclusive) and end row (exclusive) when a big file is split across ranks */
  rowStart?: number;
  rowEnd?: number;
  /**
   * Byte range of an uncompressed line-oriented file split across ranks: the slice owns
   * every line whose first byte lies in [byteStart, byteEnd). Row numbers stay exact.
   */
  byteStart?: number;
  byteEnd?: number;
}

/** What a reader yields: a record, or an exclusion at read time (binary, too large, bad bytes). */
export type ReadItem = { record: DataRecord; excluded?: undefined } | { excluded: ExcludedRecord; record?: undefined };

export interface ListOptions {
  /**
   * Made while tasks run (the release-time check of the input): a long listing yields to the
   * event loop now and then, so the coordinator keeps handing out tasks.
   */
  background?: boolean;
}

export interface Reader {
  /** Columns every record has (provenance columns included). */
  readonly columns: ColumnSpec[];
  /** Name of the column holding the record's main text or file content (StageEnv.contentColumn). */
  readonly contentColumn?: string;
  /**
   * True when read() stops with an InputError on a file that no longer has its listed size
   * and mtime, or is gone: the engine then skips its own re-stat of every file around a task.
   */
  readonly checksListedFiles?: boolean;
  /** Every input file, sorted by path; fails with an InputError if the input is missing. */
  listFiles(options?: ListOptions): Promise<InputFile[]>;
  /** The slices rank `rank` of `worldSize` reads; deterministic for the same file list. */
  slices(files: InputFile[], rank: number, worldSize: number): InputSlice[];
  /** Stream the records of the slices, in a deterministic order. */
  read(slices: InputSlice[], policy: BadInputPolicy): AsyncIterable<ReadItem>;
  /** The same items in arrays (one per read chunk): what a fast reader gives the engine. */
  readChunks?(slices: InputSlice[], policy: BadInputPolicy): AsyncIterable<ReadItem[]>;
  /** Columnar batches of `batchRows` records, same records and boundaries as grouping read()'s items. */
  readBatches?(slices: InputSlice[], policy: BadInputPolicy, batchRows: number): AsyncIterable<ReadBatch>;
}

/** Writes records of a fixed schema; output appears only on close(), atomically. */
/** A batch of records and the exclusions a reader made before it (either may be absent). */
export interface ReadBatch {
  batch?: RecordBatch;
  excluded: ExcludedRecord[];
}

export interface RecordWriter {
  write(record: DataRecord): Promise<void>;
  /** The rows of a batch (all rows when `rows` is omitted), in order; faster when given. */
  writeBatch?(batch: RecordBatch, rows?: Int32Array): Promise<void>;
  /** Returns the files it wrote (final paths), in order. */
  close(): Promise<WrittenFile[]>;
  /** Remove temporary files after a failure. */
  abort(): Promise<void>;
}

export interface WrittenFile {
  path: string;
  rows: number;
}
