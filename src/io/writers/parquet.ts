import { BIGINT, BOOLEAN, DOUBLE, DuckDBDataChunk, FLOAT, INTEGER, LIST, VARCHAR, type DuckDBAppender, type DuckDBConnection, type DuckDBType } from '@duckdb/node-api';
import { z } from 'zod';
import { ThresherError } from '../../core/errors.js';
import type { ColumnSpec, ColumnType, DataRecord } from '../../core/record.js';
import { allRows, type RecordBatch } from '../../core/batch.js';
import { duckMessage, openSharedDuck, sqlIdent, sqlString } from '../duck.js';
import type { RecordWriter, WrittenFile } from '../types.js';
import { commitFile, ensureParent, removeQuietly, tempPathFor } from './atomic.js';
import { ChunkShape, fits, rowBytes, type Cell, type ColumnSource } from './duck-chunk.js';
import { EncodedStrings } from '../../core/encoded-strings.js';
import { typeMismatch, valueBytes } from './values.js';

export const parquetWriterOptionsSchema = z.strictObject({
  /** Rows per shard; the next record starts a new file. */
  maxRows: z.number().int().positive().default(1_000_000),
  /** Approximate uncompressed bytes per shard (strings by UTF-8 length, 8 per number). */
  maxBytes: z
    .number()
    .int()
    .positive()
    .default(256 * 1024 * 1024),
  rowGroupSize: z.number().int().positive().default(16_384),
  compression: z.enum(['zstd', 'snappy', 'gzip', 'uncompressed']).default('zstd'),
});
export type ParquetWriterOptions = z.input<typeof parquetWriterOptionsSchema>;

const BATCH = 2048; // DuckDB's vector size: one data chunk per batch

const DUCK_TYPES: Record<ColumnType, { sql: string; type: DuckDBType }> = {
  string: { sql: 'VARCHAR', type: VARCHAR },
  int64: { sql: 'BIGINT', type: BIGINT },
  float64: { sql: 'DOUBLE', type: DOUBLE },
  bool: { sql: 'BOOLEAN', type: BOOLEAN },
  'int32[]': { sql: 'INTEGER[]', type: LIST(INTEGER) },
  'float32[]': { sql: 'FLOAT[]', type: LIST(FLOAT) },
  'string[]': { sql: 'VARCHAR[]', type: LIST(VARCHAR) },
};

type Duck = Awaited<ReturnType<typeof openSharedDuck>>;

interface Pending {
  tmp: string;
  path: string;
  rows: number;
}

/**
 * Writes records of a fixed schema to Parquet shards through an in-memory DuckDB (one
 * thread): rows are appended in data chunks of 2048 into a fresh table per shard, then
 * `COPY ... (FORMAT parquet)` to `.<name>.tmp-<pid>`. Shards roll over at maxRows / maxBytes.
 * Every shard is renamed into place at close(); abort() removes the temporaries. The same
 * records in the same order give byte-identical files.
 */
export class ParquetWriter implements RecordWriter {
  readonly columns: ColumnSpec[];
  private readonly pathFor: (seq: number) => string;
  private readonly opts: z.output<typeof parquetWriterOptionsSchema>;
  private readonly shape: ChunkShape;
  private duck: Duck | undefined;
  private appender: DuckDBAppender | undefined;
  /** rows not yet appended, column by column, as given (checked with fits()), or the encoded column holding them */
  private buffer: Cell[][];
  /** for cells that are an encoded column: the row in it */
  private bufferRows: number[][];
  private buffered = 0;
  private shardRows = 0;
  private shardBytes = 0;
  private seq = 0;
  private readonly done: Pending[] = [];
  /** The COPY of the last finished shard: it runs on its own connection while rows go into the next shard. */
  private copying: Promise<void> | undefined;
  private copier: DuckDBConnection | undefined;
  private state: 'open' | 'closed' | 'aborted' = 'open';

  constructor(columns: ColumnSpec[], pathFor: (seq: number) => string, options: ParquetWriterOptions = {}) {
    if (columns.length === 0) throw new ThresherError('ParquetWriter needs at least one column');
    const names = new Set<string>();
    for (const c of columns) {
      if (names.has(c.name)) throw new ThresherError(`ParquetWriter: column "${c.name}" given twice`);
      names.add(c.name);
    }
    this.columns = columns;
    this.pathFor = pathFor;
    this.opts = parquetWriterOptionsSchema.parse(options);
    this.shape = new ChunkShape(
      columns.map((c) => c.type),
      columns.map((c) => DUCK_TYPES[c.type].type),
    );
    this.buffer = columns.map(() => []);
    this.bufferRows = columns.map(() => []);
  }

  async write(record: DataRecord): Promise<void> {
    if (this.state !== 'open') throw new ThresherError(`ParquetWriter.write after ${this.state === 'closed' ? 'close' : 'abort'}`);
    let bytes = 0;
    for (const col of this.columns) {
      const v = record[col.name];
      if (v !== null && v !== undefined && !fits(col.type, v)) throw typeMismatch(record, col, v);
      bytes += valueBytes(v);
    }
    if (this.needsRoom(bytes)) await this.makeRoom(bytes);
    for (let c = 0; c < this.columns.length; c++) {
      this.buffer[c].push(record[this.columns[c].name] ?? null);
      this.bufferRows[c].push(0);
    }
    this.rowAdded(bytes);
  }

  private full(bytes: number): boolean {
    return this.shardRows > 0 && (this.shardRows + 1 > this.opts.maxRows || this.shardBytes + bytes > this.opts.maxBytes);
  }

  /** Whether a row of `bytes` needs makeRoom first: checked synchronously, so the hot path awaits nothing. */
  private needsRoom(bytes: number): boolean {
    return !this.appender || this.full(bytes);
  }

  /** Roll over to a new shard when one more row of `bytes` would pass a limit; open one if none is. */
  private async makeRoom(bytes: number): Promise<void> {
    if (this.full(bytes)) await this.finishShard();
    if (!this.appender) await this.startShard();
  }

  private rowAdded(bytes: number): void {
    this.buffered++;
    this.shardRows++;
    this.shardBytes += bytes;
    if (this.buffered >= BATCH) this.flushBatch();
  }

  /**
   * The rows of a batch, column by column: no record object per row and no per-row buffering.
   * Values are checked a column at a time; rows go to DuckDB in chunks taken straight from the
   * batch's columns (a string column no stage has read goes as the bytes it was read as).
   * Shards still roll over at the same row and byte limits as write().
   */
  async writeBatch(batch: RecordBatch, rows?: Int32Array): Promise<void> {
    if (this.state !== 'open') throw new ThresherError(`ParquetWriter.write after ${this.state === 'closed' ? 'close' : 'abort'}`);
    const selected = rows ?? allRows(batch.length);
    if (selected.length === 0) return;
    this.flushBatch(); // records given to write() before this batch go first
    const sources: ColumnSource[] = this.columns.map((c) => (c.type === 'string' ? batch.encodedColumn(c.name) : undefined) ?? batch.values(c.name) ?? []);
    for (let c = 0; c < sources.length; c++) {
      const source = sources[c];
      if (source instanceof EncodedStrings) continue;
      const type = this.columns[c].type;
      for (let k = 0; k < selected.length; k++) {
        const v = source[selected[k]];
        if (v !== null && v !== undefined && !fits(type, v)) throw typeMismatch(batch.record(selected[k]), this.columns[c], v);
      }
    }
    const bytes = rowBytes(sources, selected);
    const { maxRows, maxBytes } = this.opts;
    for (let k = 0; k < selected.length;) {
      if (this.needsRoom(bytes[k])) await this.makeRoom(bytes[k]);
      // rows k..end-1 fit in this shard and one chunk (the first always does after makeRoom)
      let end = k;
      let shardRows = this.shardRows;
      let shardBytes = this.shardBytes;
      while (end < selected.length && end - k < BATCH && !(shardRows > 0 && (shardRows + 1 > maxRows || shardBytes + bytes[end] > maxBytes))) {
        shardRows++;
        shardBytes += bytes[end++];
      }
      this.appender!.appendDataChunk(new DuckDBDataChunk(this.shape.fillFrom(sources, selected, k, end - k)));
      this.shardRows = shardRows;
      this.shardBytes = shardBytes;
      k = end;
    }
  }

  private async startShard(): Promise<void> {
    if (!this.duck) this.duck = await openSharedDuck();
    const cols = this.columns.map((c) => `${sqlIdent(c.name)} ${DUCK_TYPES[c.type].sql}`).join(', ');
    await this.duck.connection.run(`CREATE TABLE ${this.duck.prefix}shard_${this.seq} (${cols})`);
    this.appender = await this.duck.connection.createAppender(`${this.duck.prefix}shard_${this.seq}`);
  }

  private flushBatch(): void {
    if (this.buffered === 0 || !this.appender) return;
    this.appender.appendDataChunk(new DuckDBDataChunk(this.shape.fill(this.buffer, this.bufferRows, this.buffered)));
    this.buffer = this.columns.map(() => []);
    this.bufferRows = this.columns.map(() => []);
    this.buffered = 0;
  }

  /**
   * Ends the shard and starts its COPY to Parquet (zstd, DuckDB's own thread) without waiting
   * for it: the rows of the next shard are appended meanwhile. One COPY runs at a time, so at
   * most two shards are in memory. (Waiting for each COPY left the task idle 40% of the time.)
   */
  private async finishShard(): Promise<void> {
    if (!this.appender || !this.duck) return;
    this.flushBatch();
    this.appender.flushSync();
    this.appender.closeSync();
    this.appender = undefined;
    const seq = this.seq++;
    const finalPath = this.pathFor(seq);
    const tmp = tempPathFor(finalPath);
    this.done.push({ tmp, path: finalPath, rows: this.shardRows });
    await ensureParent(finalPath);
    await this.copying;
    this.copier ??= await this.duck.instance.connect();
    const copying = copyShard(this.copier, `${this.duck.prefix}shard_${seq}`, tmp, finalPath, this.opts);
    copying.catch(() => undefined); // its error surfaces where it is awaited: the next shard or close()
    this.copying = copying;
    this.shardRows = 0;
    this.shardBytes = 0;
  }

  private closeDuck(): void {
    this.copier?.closeSync();
    this.copier = undefined;
    this.duck?.close();
    this.duck = undefined;
  }

  async close(): Promise<WrittenFile[]> {
    if (this.state !== 'open') throw new ThresherError(`ParquetWriter.close after ${this.state === 'closed' ? 'close' : 'abort'}`);
    try {
      await this.finishShard();
      await this.copying;
      this.closeDuck();
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
    try {
      this.appender?.closeSync();
    } catch {
      /* already failed */
    }
    this.appender = undefined;
    await this.copying?.catch(() => undefined);
    // the instance outlives this writer: leave none of its tables behind
    if (this.duck) {
      for (let seq = 0; seq <= this.seq; seq++) await this.duck.connection.run(`DROP TABLE IF EXISTS ${this.duck.prefix}shard_${seq}`).catch(() => undefined);
    }
    this.closeDuck();
    for (const p of this.done) await removeQuietly(p.tmp);
  }
}

async function copyShard(connection: DuckDBConnection, table: string, tmp: string, finalPath: string, o: z.output<typeof parquetWriterOptionsSchema>): Promise<void> {
  try {
    await connection.run(`COPY ${table} TO ${sqlString(tmp)} (FORMAT parquet, COMPRESSION ${o.compression}, ROW_GROUP_SIZE ${o.rowGroupSize})`);
  } catch (err) {
    throw new ThresherError(`${finalPath}: writing Parquet failed: ${duckMessage(err)}`);
  }
  await connection.run(`DROP TABLE ${table}`);
}
