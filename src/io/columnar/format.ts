import { closeSync, fstatSync, openSync, readSync, writeSync } from 'node:fs';
import { crc32 } from 'node:zlib';
import { ThresherError } from '../../core/errors.js';
import { BatchBuilder, RecordBatch, allRows } from '../../core/batch.js';
import { EncodedStrings } from '../../core/encoded-strings.js';
import type { ColumnSpec, DataRecord, Value } from '../../core/record.js';
import type { RecordWriter, WrittenFile } from '../types.js';
import { commitFile, ensureParent, removeQuietly, tempPathFor } from '../writers/atomic.js';
import { ByteSink, ByteSource, align8, decodeColumn, encodeColumn } from './codec.js';

/**
 * thresher's intermediate files: what one task writes only for the next step of the same run.
 * Parquet through DuckDB costs a JS→C++ copy and a decode per value each way; this costs a
 * UTF-8 encode and decode. Layout:
 *   "THRCOL2\n", u32 schema length, schema JSON (ColumnSpec[]), padding to 8
 *   blocks: u32 rows, u32 payload bytes, u32 crc32(payload), u32 0, payload (columns, codec.ts)
 *   end:    u32 0, u32 0, u32 total rows, u32 0
 * A block's checksum is verified on read; a file without its end record is truncated.
 */
const MAGIC = Buffer.from('THRCOL2\n');
const HEADER = 16;
const BLOCK_ROWS = 8192;

export class ColumnarWriter implements RecordWriter {
  private fd: number | undefined;
  private readonly tmp: string;
  private rows = 0;
  private readonly builder: BatchBuilder;
  private state: 'open' | 'closed' | 'aborted' = 'open';
  /** One sink for every block: each is written out before the next is encoded, and reused memory costs no page faults. */
  private readonly sink = new ByteSink();

  constructor(
    readonly columns: ColumnSpec[],
    private readonly path: string,
  ) {
    this.tmp = tempPathFor(path);
    this.builder = new BatchBuilder(
      columns.map((c) => c.name),
      BLOCK_ROWS,
    );
  }

  private async open(): Promise<number> {
    if (this.fd !== undefined) return this.fd;
    await ensureParent(this.path);
    this.fd = openSync(this.tmp, 'w');
    const schema = Buffer.from(JSON.stringify(this.columns));
    const head = Buffer.alloc(align8(MAGIC.length + 4 + schema.length));
    MAGIC.copy(head, 0);
    head.writeUInt32LE(schema.length, MAGIC.length);
    schema.copy(head, MAGIC.length + 4);
    writeSync(this.fd, head);
    return this.fd;
  }

  async write(record: DataRecord): Promise<void> {
    if (this.state !== 'open') throw new ThresherError(`ColumnarWriter.write after ${this.state}`);
    if (this.builder.add(record)) await this.writeBlock(this.builder.take(), undefined);
  }

  async writeBatch(batch: RecordBatch, rows?: Int32Array): Promise<void> {
    if (this.state !== 'open') throw new ThresherError(`ColumnarWriter.write after ${this.state}`);
    if (this.builder.count > 0) await this.writeBlock(this.builder.take(), undefined); // keep record order
    await this.writeBlock(batch, rows);
  }

  private async writeBlock(batch: RecordBatch, rows: Int32Array | undefined): Promise<void> {
    const selected = rows ?? allRows(batch.length);
    if (selected.length === 0) return;
    const columns = this.columns.map((col) => (col.type === 'string' ? batch.encodedColumn(col.name) : undefined) ?? batch.column(col.name) ?? new Array<Value>(batch.length).fill(null));
    // sized for the block up front: growing a sink copies what it holds (content is most of it)
    let estimate = 1 << 16;
    for (const values of columns) estimate += values instanceof EncodedStrings ? values.bytes.length + 8 * selected.length : 16 * selected.length;
    const sink = this.sink;
    sink.used = 0;
    sink.reserve(estimate);
    for (const [k, col] of this.columns.entries()) encodeColumn(sink, columns[k], selected, col.type);
    sink.pad();
    const payload = sink.buf.subarray(0, sink.used);
    const header = Buffer.alloc(HEADER);
    header.writeUInt32LE(selected.length, 0);
    header.writeUInt32LE(payload.length, 4);
    header.writeUInt32LE(crc32(payload), 8);
    const fd = await this.open();
    writeSync(fd, header);
    writeSync(fd, payload);
    this.rows += selected.length;
  }

  async close(): Promise<WrittenFile[]> {
    try {
      if (this.builder.count > 0) await this.writeBlock(this.builder.take(), undefined);
      const fd = await this.open();
      const end = Buffer.alloc(HEADER);
      end.writeUInt32LE(this.rows, 8);
      writeSync(fd, end);
      closeSync(fd);
      this.fd = undefined;
      await commitFile(this.tmp, this.path);
    } catch (err) {
      await this.abort();
      throw err;
    }
    this.state = 'closed';
    return [{ path: this.path, rows: this.rows }];
  }

  async abort(): Promise<void> {
    if (this.state === 'closed') return;
    this.state = 'aborted';
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
    await removeQuietly(this.tmp);
  }
}

function readExactly(fd: number, length: number, file: string, what: string): Buffer {
  const out = Buffer.from(new ArrayBuffer(length)); // own, 8-aligned memory: typed views need it
  let got = 0;
  while (got < length) {
    const n = readSync(fd, out, got, length - got, null);
    if (n === 0) throw new ThresherError(`${file}: intermediate file ends inside ${what} (truncated)`);
    got += n;
  }
  return out;
}

/** Batches of an intermediate file, in order. Damage is an error: these files are ours. */
export function* readColumnar(file: string): Generator<RecordBatch> {
  const fd = openSync(file, 'r');
  try {
    const size = fstatSync(fd).size;
    const magic = readExactly(fd, MAGIC.length + 4, file, 'the header');
    if (!magic.subarray(0, MAGIC.length).equals(MAGIC)) throw new ThresherError(`${file}: not a thresher intermediate file`);
    const schemaLength = magic.readUInt32LE(MAGIC.length);
    const schemaBytes = readExactly(fd, align8(MAGIC.length + 4 + schemaLength) - MAGIC.length - 4, file, 'the schema');
    const columns = JSON.parse(schemaBytes.subarray(0, schemaLength).toString('utf8')) as ColumnSpec[];
    let rowsSeen = 0;
    for (;;) {
      const header = readExactly(fd, HEADER, file, 'a block header');
      const rows = header.readUInt32LE(0);
      const bytes = header.readUInt32LE(4);
      if (rows === 0 && bytes === 0) {
        if (header.readUInt32LE(8) !== rowsSeen) throw new ThresherError(`${file}: end record says ${header.readUInt32LE(8)} rows, blocks hold ${rowsSeen}`);
        return;
      }
      if (bytes > size) throw new ThresherError(`${file}: corrupt block header`);
      const payload = readExactly(fd, bytes, file, 'a block');
      if (crc32(payload) !== header.readUInt32LE(8)) throw new ThresherError(`${file}: block checksum mismatch (corrupt intermediate file)`);
      const src = new ByteSource(payload);
      const batch = new RecordBatch(rows);
      for (const col of columns) {
        const values = decodeColumn(src, rows, col.type);
        if (values instanceof EncodedStrings) batch.setEncoded(col.name, values);
        else batch.setColumn(col.name, values);
      }
      rowsSeen += rows;
      yield batch;
    }
  } finally {
    closeSync(fd);
  }
}
