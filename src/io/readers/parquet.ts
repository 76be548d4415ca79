import { JSDuckDBValueConverter, type DuckDBConnection, type DuckDBResult, type JS } from '@duckdb/node-api';
import { z } from 'zod';
import { InputError } from '../../core/errors.js';
import { contentIdOfText } from '../../core/hashing.js';
import { PROVENANCE_COLUMNS, type ColumnSpec, type ColumnType, type DataRecord } from '../../core/record.js';
import { badInput, excluded, readListed, contentIdSchema } from '../common.js';
import { columnsOf, planColumns, type FieldPlan } from '../fields.js';
import { columnTypeOf, duckMessage, openDuck, setPlannedFields, sqlString } from '../duck.js';
import { expandInputs } from '../inputs.js';
import { rowRangeSlices, slicesOfRank, type WeightedSlice } from '../order.js';
import type { BadInputPolicy, InputFile, InputSlice, ReadItem, Reader } from '../types.js';
import { downloadCopy, footerCopy, type LocalCopy } from '../storage/local-copy.js';
import { isS3Url } from '../storage/url.js';

/** A local file DuckDB can open for `file`: itself, or for an `s3://` object a copy (see storage/local-copy.ts). */
async function localFor(file: InputFile, whole: boolean): Promise<LocalCopy> {
  if (!isS3Url(file.absPath)) return { path: file.absPath, dispose: async () => undefined };
  return whole ? downloadCopy(file.absPath) : footerCopy(file.absPath, file.bytes);
}

export const parquetReaderOptionsSchema = z.strictObject({
  /** Column holding the record id; else id = `<source>:<row>`. */
  idField: z.string().min(1).optional(),
  /** How `content_id` is made: swh (git blob sha1), xxh3, or none (no column). */
  contentId: contentIdSchema,
  /** Column holding the text; must be a string. null: excluded as `no_content`. */
  contentField: z.string().min(1).default('text'),
  /**
   * `file`: provenance is this Parquet file and its row numbers (input columns named like
   * provenance columns are kept as `input_<name>`). `columns`: the file already carries
   * `id`, `source`, `source_row`, `content_id` (thresher's own shards) and they are kept.
   */
  provenance: z.enum(['file', 'columns']).default('file'),
  /** Sources are named relative to this folder (default: see expandInputs). */
  root: z.string().optional(),
  /** Files bigger than max(this, total bytes / worldSize) are split by row ranges across ranks. */
  splitMinBytes: z
    .number()
    .int()
    .positive()
    .default(64 * 1024 * 1024),
});
export type ParquetReaderOptions = z.input<typeof parquetReaderOptionsSchema>;

const PARQUET_NAME = /\.parquet$/i;
const PROVENANCE_NAMES = PROVENANCE_COLUMNS.map((c) => c.name);

/**
 * Parquet files through DuckDB (one thread). Schema: the first readable file's; later files
 * missing a column give null, extra columns are ignored. `source_row` = file_row_number.
 */
async function footerRowCount(con: DuckDBConnection, localPath: string): Promise<number> {
  const m = await con.runAndReadAll(`SELECT num_rows FROM parquet_file_metadata(${sqlString(localPath)})`);
  return Number(m.getColumns()[0][0]);
}

/** Positions of the reader's columns in a DuckDB result (undefined: not in the file). */
interface ColumnPositions {
  row: number;
  fields: (number | undefined)[];
  content: number | undefined;
  id: number | undefined;
  provenance: (number | undefined)[];
}

export class ParquetReader implements Reader {
  readonly inputs: string | readonly string[];
  readonly contentColumn: string;
  private readonly opts: z.output<typeof parquetReaderOptionsSchema>;
  private plans: FieldPlan[] | undefined;

  constructor(inputs: string | readonly string[], options: ParquetReaderOptions = {}) {
    this.inputs = inputs;
    this.opts = parquetReaderOptionsSchema.parse(options);
    if (this.opts.provenance === 'columns' && this.opts.idField !== undefined) throw new InputError(String(inputs), 'id_field cannot be used with provenance: columns');
    this.contentColumn = this.planFor([]).find((p) => p.field === this.opts.contentField)!.column;
  }

  private planFor(fields: { field: string; type: ColumnType }[]): FieldPlan[] {
    if (this.opts.provenance === 'columns') {
      const rest = fields.filter((f) => !PROVENANCE_NAMES.includes(f.field));
      if (!rest.some((f) => f.field === this.opts.contentField)) rest.unshift({ field: this.opts.contentField, type: 'string' });
      return rest.map((f) => ({ field: f.field, column: f.field, type: f.field === this.opts.contentField ? 'string' : f.type }));
    }
    return planColumns(fields, this.opts.contentField, this.opts.idField);
  }

  /** Final after listFiles(). */
  get columns(): ColumnSpec[] {
    return columnsOf(this.plans ?? this.planFor([]), this.opts.contentId);
  }

  async listFiles(): Promise<InputFile[]> {
    const files = await expandInputs(this.inputs, { root: this.opts.root, accept: (n) => PARQUET_NAME.test(n), kind: 'Parquet' });
    const duck = await openDuck();
    try {
      for (const f of files) {
        if (f.problem) continue; // never opened; read() reports it
        const local = await localFor(f, false);
        try {
          try {
            const r = await duck.connection.runAndReadAll(`SELECT num_rows FROM parquet_file_metadata(${sqlString(local.path)})`);
            f.rows = Number(r.getColumns()[0][0]);
          } catch {
            continue; // a damaged file is reported by read(), under the bad-input policy
          }
          if (this.plans) continue;
          await this.planFrom(duck.connection, f, local.path);
        } finally {
          await local.dispose();
        }
      }
    } finally {
      duck.close();
    }
    if (!this.plans) this.plans = this.planFor([]);
    return files;
  }

  /** The columns from the first readable file's schema. */
  private async planFrom(con: DuckDBConnection, f: InputFile, localPath: string): Promise<void> {
    const d = await con.run(`SELECT * FROM read_parquet(${sqlString(localPath)}) LIMIT 0`);
    const names = d.columnNames();
    const types = d.columnTypes();
    const fields = names.map((n, i) => ({ field: n, type: columnTypeOf(types[i]) }));
    if (this.opts.provenance === 'columns') {
      const missing = PROVENANCE_NAMES.filter((n) => !names.includes(n));
      if (missing.length > 0) throw new InputError(f.path, `provenance: columns, but the file has no ${missing.join(', ')} column`);
    }
    try {
      this.plans = this.planFor(fields);
    } catch (err) {
      throw new InputError(f.path, (err as Error).message);
    }
  }

  slices(files: InputFile[], rank: number, worldSize: number): InputSlice[] {
    const total = files.reduce((s, f) => s + f.bytes, 0);
    const target = Math.max(this.opts.splitMinBytes, Math.ceil(total / worldSize));
    const units: WeightedSlice[] = [];
    for (const file of files) {
      const rows = file.rows;
      if (worldSize > 1 && rows !== undefined && rows > 1 && file.bytes > target) {
        units.push(...rowRangeSlices(file, rows, Math.min(rows, Math.ceil(file.bytes / target)), file.bytes));
      } else {
        units.push({ slice: { file }, weight: file.bytes });
      }
    }
    return slicesOfRank(units, rank, worldSize);
  }

  async *read(slices: InputSlice[], policy: BadInputPolicy): AsyncIterable<ReadItem> {
    if (!this.plans) throw new Error('ParquetReader.read() before listFiles()');
    const duck = await openDuck();
    try {
      const plans = this.plans;
      yield* readListed(slices, policy, (slice) => this.readLocal(duck.connection, slice, policy, plans));
    } finally {
      duck.close();
    }
  }

  /** A slice of an `s3://` object is read from a downloaded copy, removed once read. */
  private async *readLocal(con: DuckDBConnection, slice: InputSlice, policy: BadInputPolicy, plans: FieldPlan[]): AsyncGenerator<ReadItem> {
    let local: LocalCopy;
    try {
      local = await localFor(slice.file, true);
    } catch (err) {
      yield badInput(policy, slice.file.path, null, 'unreadable', `unreadable: ${(err as Error).message}`, slice.file.path, slice.file.bytes);
      return;
    }
    try {
      yield* this.readSlice(con, slice, local.path, policy, plans);
    } finally {
      await local.dispose();
    }
  }

  private async *readSlice(con: DuckDBConnection, slice: InputSlice, localPath: string, policy: BadInputPolicy, plans: FieldPlan[]): AsyncGenerator<ReadItem> {
    const src = slice.file.path;
    const where: string[] = [];
    if (slice.rowStart !== undefined) where.push(`file_row_number >= ${slice.rowStart}`);
    if (slice.rowEnd !== undefined) where.push(`file_row_number < ${slice.rowEnd}`);
    const sql = `SELECT * FROM read_parquet(${sqlString(localPath)}, file_row_number = true)${where.length ? ` WHERE ${where.join(' AND ')}` : ''}`;
    let nextRow = slice.rowStart ?? 0;
    const fail = (err: unknown) => {
      const msg = `corrupt Parquet: ${duckMessage(err)}`;
      return nextRow === 0
        ? badInput(policy, src, null, 'corrupt', msg, src, slice.file.bytes)
        : badInput(policy, src, nextRow, 'corrupt', `${msg} (rows from ${nextRow} on not read)`, `${src}:${nextRow}`, 0);
    };
    let result: DuckDBResult;
    try {
      result = await con.stream(sql);
    } catch (err) {
      yield fail(err);
      return;
    }
    const at = this.columnPositions(result.columnNames(), plans);
    // DuckDB's streaming results end early, without an error, when reading fails mid-way
    // (the C API's fetch returns no chunk for both; the node API does not expose the error).
    // So the rows read are checked against the footer's count, and a short read is probed
    // with a materialized query to get DuckDB's message.
    let expectedEnd: number;
    try {
      expectedEnd = slice.rowEnd ?? slice.file.rows ?? (await footerRowCount(con, localPath));
    } catch (err) {
      yield fail(err);
      return;
    }
    const shortRead = async (): Promise<ReadItem> => {
      try {
        // same scan, aggregated (bounded memory): raises the error the stream swallowed
        await con.runAndReadAll(`SELECT bit_xor(hash(COLUMNS(*))) FROM (${sql})`);
      } catch (err) {
        return fail(err);
      }
      return fail(new Error(`DuckDB's stream ended at row ${nextRow}, the footer says ${expectedEnd} rows`));
    };
    for (;;) {
      let columns: (JS | null)[][];
      let n: number;
      try {
        const chunk = await result.fetchChunk();
        if (!chunk || chunk.rowCount === 0) {
          if (nextRow < expectedEnd) yield await shortRead();
          return;
        }
        n = chunk.rowCount;
        columns = chunk.convertColumns(JSDuckDBValueConverter);
      } catch (err) {
        yield fail(err);
        return;
      }
      for (let i = 0; i < n; i++) {
        nextRow = Number(columns[at.row][i]) + 1;
        yield this.rowItem(columns, i, at, src, policy, plans);
      }
    }
  }

  /** Where each column the reader needs sits in DuckDB's result. */
  private columnPositions(names: string[], plans: FieldPlan[]): ColumnPositions {
    const index = new Map(names.map((n, i) => [n, i]));
    return {
      row: index.get('file_row_number')!,
      fields: plans.map((p) => index.get(p.field)),
      content: index.get(this.opts.contentField),
      id: this.opts.idField !== undefined ? index.get(this.opts.idField) : undefined,
      provenance: PROVENANCE_NAMES.map((n) => index.get(n)),
    };
  }

  /** Row i of a chunk as a record, or why it is excluded or bad. */
  private rowItem(columns: (JS | null)[][], i: number, at: ColumnPositions, src: string, policy: BadInputPolicy, plans: FieldPlan[]): ReadItem {
    const row = Number(columns[at.row][i]);
    const rowId = `${src}:${row}`;
    const content = at.content === undefined ? undefined : columns[at.content][i];
    if (content === null || content === undefined) {
      return excluded(rowId, src, row, 'no_content', 0, `column "${this.opts.contentField}" is ${content === null ? 'null' : 'missing'}`);
    }
    if (typeof content !== 'string') return badInput(policy, src, row, 'bad_record', `column "${this.opts.contentField}" is not a string`, rowId, 0);
    let record: DataRecord;
    if (this.opts.provenance === 'columns') {
      const [id, source, sourceRow, contentId] = at.provenance.map((p) => (p === undefined ? null : columns[p][i]));
      record = {
        id: String(id),
        source: source === null ? null : String(source),
        source_row: sourceRow === null ? null : Number(sourceRow),
      };
      if (contentId !== null) record.content_id = String(contentId);
      else if (this.opts.contentId !== 'none') record.content_id = contentIdOfText(content, this.opts.contentId);
    } else {
      let id = rowId;
      if (at.id !== undefined || this.opts.idField !== undefined) {
        const v = at.id === undefined ? null : columns[at.id][i];
        if (v === null || v === undefined || typeof v === 'object') {
          return badInput(policy, src, row, 'bad_record', `id column "${this.opts.idField}" is ${v === null ? 'null' : 'missing or not a scalar'}`, rowId, 0);
        }
        id = String(v);
      }
      record = { id, source: src, source_row: row };
      if (this.opts.contentId !== 'none') record.content_id = contentIdOfText(content, this.opts.contentId);
    }
    setPlannedFields(record, plans, at.fields, columns, i);
    return { record };
  }
}
