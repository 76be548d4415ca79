import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { createGzip, type Gzip } from 'node:zlib';
import { z } from 'zod';
import { ThresherError } from '../../core/errors.js';
import type { ColumnSpec, DataRecord } from '../../core/record.js';
import type { RecordWriter, WrittenFile } from '../types.js';
import { commitFile, ensureParent, removeQuietly, tempPathFor } from './atomic.js';
import { typeMismatch } from './values.js';

export const jsonlWriterOptionsSchema = z.strictObject({
  /** Rows per file; the next record starts a new file. */
  maxRows: z.number().int().positive().default(1_000_000),
  /** Uncompressed bytes (JSON text) per file. */
  maxBytes: z
    .number()
    .int()
    .positive()
    .default(256 * 1024 * 1024),
  /** `auto`: gzip when the file name ends in `.gz`. */
  compression: z.enum(['auto', 'none', 'gzip']).default('auto'),
  gzipLevel: z.number().int().min(1).max(9).default(6),
});
export type JsonlWriterOptions = z.input<typeof jsonlWriterOptionsSchema>;

const BLOCK = 1 << 20;

interface Open {
  path: string;
  tmp: string;
  file: WriteStream;
  head: Writable;
  gzip?: Gzip;
  rows: number;
  bytes: number;
  /** Rejects with the first error of the file or gzip stream; raced against every wait. */
  failed: Promise<never>;
  error?: NodeJS.ErrnoException;
}

/**
 * One JSON object per line, keys in schema order, missing values as null. Plain or gzip
 * (header without name or mtime: deterministic bytes). Same atomic rule as ParquetWriter.
 */
export class JsonlWriter implements RecordWriter {
  readonly columns: ColumnSpec[];
  private readonly pathFor: (seq: number) => string;
  private readonly opts: z.output<typeof jsonlWriterOptionsSchema>;
  private cur: Open | undefined;
  private pending: string[] = [];
  private pendingBytes = 0;
  private seq = 0;
  private readonly done: { tmp: string; path: string; rows: number }[] = [];
  private state: 'open' | 'closed' | 'aborted' = 'open';

  constructor(columns: ColumnSpec[], pathFor: (seq: number) => string, options: JsonlWriterOptions = {}) {
    this.columns = columns;
    this.pathFor = pathFor;
    this.opts = jsonlWriterOptionsSchema.parse(options);
  }

  async write(record: DataRecord): Promise<void> {
    if (this.state !== 'open') throw new ThresherError(`JsonlWriter.write after ${this.state === 'closed' ? 'close' : 'abort'}`);
    const obj: Record<string, unknown> = {};
    for (const col of this.columns) {
      const v = record[col.name];
      check(record, col, v);
      obj[col.name] = v === undefined ? null : v;
    }
    const line = JSON.stringify(obj) + '\n';
    const bytes = Buffer.byteLength(line, 'utf8');
    if (this.cur && this.cur.rows > 0 && (this.cur.rows + 1 > this.opts.maxRows || this.cur.bytes + bytes > this.opts.maxBytes)) {
      await this.finishFile();
    }
    if (!this.cur) await this.startFile();
    const cur = this.cur as Open;
    if (cur.error) throw cur.error;
    cur.rows++;
    cur.bytes += bytes;
    this.pending.push(line);
    this.pendingBytes += bytes;
    if (this.pendingBytes >= BLOCK) await this.flushPending();
  }

  private async startFile(): Promise<void> {
    const finalPath = this.pathFor(this.seq++);
    const tmp = tempPathFor(finalPath);
    await ensureParent(finalPath);
    const file = createWriteStream(tmp);
    const gz = this.opts.compression === 'gzip' || (this.opts.compression === 'auto' && finalPath.endsWith('.gz'));
    let head: Writable = file;
    let gzip: Gzip | undefined;
    if (gz) {
      gzip = createGzip({ level: this.opts.gzipLevel });
      gzip.pipe(file);
      head = gzip;
    }
    this.done.push({ tmp, path: finalPath, rows: 0 });
    const cur = { path: finalPath, tmp, file, head, gzip, rows: 0, bytes: 0 } as Open;
    cur.failed = streamFailure(cur);
    this.cur = cur;
    await this.until(cur, once(file, 'open'));
  }

  /** Waits for `event` unless a stream of the file fails first (then no event may ever come). */
  private async until(cur: Open, event: Promise<unknown>): Promise<void> {
    if (cur.error) throw cur.error;
    await Promise.race([event, cur.failed]);
  }

  private async flushPending(): Promise<void> {
    if (!this.cur || this.pending.length === 0) return;
    const text = this.pending.join('');
    this.pending = [];
    this.pendingBytes = 0;
    const cur = this.cur;
    if (cur.error) throw cur.error;
    if (!cur.head.write(text)) await this.until(cur, once(cur.head, 'drain'));
  }

  private async finishFile(): Promise<void> {
    const cur = this.cur;
    if (!cur) return;
    await this.flushPending();
    this.cur = undefined;
    const closed = once(cur.file, 'close');
    cur.head.end();
    await this.until(cur, closed);
    if (cur.error) throw cur.error;
    this.done[this.done.length - 1].rows = cur.rows;
  }

  async close(): Promise<WrittenFile[]> {
    if (this.state !== 'open') throw new ThresherError(`JsonlWriter.close after ${this.state === 'closed' ? 'close' : 'abort'}`);
    try {
      await this.finishFile();
      for (const p of this.done) await commitFile(p.tmp, p.path);
    } catch (err) {
      await this.abort();
      throw err;
    }
    this.state = 'closed';
    return this.done.map((p) => ({ path: p.path, rows: p.rows }));
  }

  async abort(): Promise<void> {
    if (this.state === 'closed') return;
    this.state = 'aborted';
    const cur = this.cur;
    this.cur = undefined;
    if (cur) {
      // a failed write stream has closed itself already: waiting for its 'close' would hang
      const closed = cur.file.closed ? undefined : once(cur.file, 'close').catch(() => undefined);
      cur.gzip?.destroy();
      cur.file.destroy();
      await closed;
    }
    for (const p of this.done) await removeQuietly(p.tmp);
  }
}

/**
 * The first error of the file or gzip stream. Listening keeps it from being an uncaught
 * exception (a failing file under gzip.pipe has no other listener). A write error names no
 * file, so the final path is added: the caller prints one line naming it.
 */
function streamFailure(cur: Open): Promise<never> {
  const failed = new Promise<never>((_, reject) => {
    const onError = (err: NodeJS.ErrnoException) => {
      if (cur.error) return;
      if (err.path === undefined) {
        err.path = cur.path;
        err.message = `${err.message} '${cur.path}'`;
      }
      cur.error = err;
      reject(err);
    };
    cur.file.on('error', onError);
    cur.gzip?.on('error', onError);
  });
  failed.catch(() => undefined); // observed through until() or cur.error, not here
  return failed;
}

function check(record: DataRecord, col: ColumnSpec, v: unknown): void {
  if (v === null || v === undefined) return;
  let ok: boolean;
  switch (col.type) {
    case 'string':
      ok = typeof v === 'string';
      break;
    case 'int64':
      ok = typeof v === 'number' && Number.isInteger(v);
      break;
    case 'float64':
      ok = typeof v === 'number';
      break;
    case 'bool':
      ok = typeof v === 'boolean';
      break;
    case 'string[]':
      ok = Array.isArray(v) && v.every((x) => x === null || typeof x === 'string');
      break;
    default:
      ok = Array.isArray(v) && v.every((x) => x === null || typeof x === 'number');
  }
  if (!ok) throw typeMismatch(record, col, v);
}
