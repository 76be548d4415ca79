import { JSDuckDBValueConverter, type DuckDBConnection, type DuckDBResult, type JS } from '@duckdb/node-api';
import { z } from 'zod';
import { InputError } from '../../core/errors.js';
import { contentIdOfText } from '../../core/hashing.js';
import type { ColumnSpec, ColumnType, DataRecord } from '../../core/record.js';
import { badInput, excluded, readListed, contentIdSchema } from '../common.js';
import { columnsOf, columnSpecSchema, planColumns, type FieldPlan } from '../fields.js';
import { duckMessage, openDuck, setPlannedFields, sqlString } from '../duck.js';
import { expandInputs } from '../inputs.js';
import { slicesOfRank } from '../order.js';
import { isS3Url } from '../storage/url.js';
import type { BadInputPolicy, InputFile, InputSlice, ReadItem, Reader } from '../types.js';
import { autoDelimiter, duckTypeOf, firstLine, readCsvArgs, splitHeader, type CsvDialect } from './csv-dialect.js';

const oneChar = z.string().length(1);

export const csvReaderOptionsSchema = z.strictObject({
  /** Column holding the record id; else id = `<source>:<row>`. */
  idField: z.string().min(1).optional(),
  /** How `content_id` is made: swh (git blob sha1), xxh3, or none (no column). */
  contentId: contentIdSchema,
  /** Column holding the text. Empty or absent: excluded as `no_content`. */
  contentField: z.string().min(1).default('text'),
  /** Field separator; default: tab for `.tsv`/`.tab` files (or a header with tabs and no commas), else comma. */
  delimiter: oneChar.optional(),
  /** Quote character (RFC 4180: `"`). */
  quote: oneChar.default('"'),
  /** Escapes a quote inside quotes (RFC 4180: the quote doubled). */
  escape: oneChar.default('"'),
  /** Types of named columns (scalars); every other column is read as a string. A value that does not parse is a bad row. */
  columns: z.array(columnSpecSchema).optional(),
  /** Sources are named relative to this folder (default: see expandInputs). */
  root: z.string().optional(),
});
export type CsvReaderOptions = z.input<typeof csvReaderOptionsSchema>;

const CSV_NAME = /\.(csv|tsv|tab)(\.gz)?$/i;

/** A row DuckDB rejected, by 0-based data row (its `line` counts records, the header being line 1). */
interface Rejected {
  row: number;
  problem: string;
}

/**
 * CSV/TSV files (a header row, then one record per row; quoted fields may hold delimiters and
 * newlines) through DuckDB's read_csv on one thread. Every column is a string unless `columns`
 * types it. The schema is the first readable file's header; a later file missing a column gives
 * null. Each file is read twice: a first pass collects the rows DuckDB rejects (ragged, bad
 * quoting, a value not of its declared type) so each is reported at its place under the
 * bad-input policy, then the good rows stream. Files are not split across ranks.
 */
/** Positions of the reader's columns in a DuckDB result (undefined: not in the file). */
interface ColumnPositions {
  fields: (number | undefined)[];
  content: number | undefined;
  id: number | undefined;
}

export class CsvReader implements Reader {
  readonly inputs: string | readonly string[];
  readonly contentColumn: string;
  private readonly opts: z.output<typeof csvReaderOptionsSchema>;
  private readonly declared: Map<string, ColumnType>;
  private plans: FieldPlan[] | undefined;

  constructor(inputs: string | readonly string[], options: CsvReaderOptions = {}) {
    this.inputs = inputs;
    this.opts = csvReaderOptionsSchema.parse(options);
    this.declared = new Map((this.opts.columns ?? []).map((c) => [c.name, c.type]));
    for (const [name, type] of this.declared) {
      try {
        duckTypeOf(type);
      } catch (err) {
        throw new InputError(String(inputs), `column "${name}": ${(err as Error).message}`);
      }
    }
    if (this.declared.has(this.opts.contentField) && this.declared.get(this.opts.contentField) !== 'string')
      throw new InputError(String(inputs), `content field "${this.opts.contentField}" must be a string column`);
    this.contentColumn = this.planFor([]).find((p) => p.field === this.opts.contentField)!.column;
  }

  private planFor(names: string[]): FieldPlan[] {
    return planColumns(
      names.map((n) => ({ field: n, type: this.declared.get(n) ?? 'string' })),
      this.opts.contentField,
      this.opts.idField,
    );
  }

  /** Final after listFiles(). */
  get columns(): ColumnSpec[] {
    return columnsOf(this.plans ?? this.planFor([]), this.opts.contentId);
  }

  async listFiles(): Promise<InputFile[]> {
    const files = await expandInputs(this.inputs, { root: this.opts.root, accept: (n) => CSV_NAME.test(n), kind: 'CSV' });
    for (const f of files) {
      if (isS3Url(f.absPath)) throw new InputError(f.absPath, 'CSV inputs are read from local files only (copy the table down, or convert it to Parquet)');
      if (f.problem || this.plans) continue;
      let header: { names: string[] };
      try {
        header = await this.headerOf(f);
      } catch {
        continue; // an unreadable file is reported by read(), under the bad-input policy
      }
      try {
        this.plans = this.planFor(header.names);
      } catch (err) {
        throw new InputError(f.path, (err as Error).message);
      }
    }
    if (!this.plans) this.plans = this.planFor([]);
    return files;
  }

  /** The file's dialect and column names, from its name and header line. */
  private async headerOf(f: InputFile): Promise<{ dialect: CsvDialect; names: string[] }> {
    const line = await firstLine(f.absPath);
    const dialect = { delimiter: this.opts.delimiter ?? autoDelimiter(f.absPath, line), quote: this.opts.quote, escape: this.opts.escape };
    const names = splitHeader(line, dialect);
    if (names.length === 1 && names[0] === '') throw new InputError(f.path, 'empty header line');
    const dup = names.find((n, i) => names.indexOf(n) !== i);
    if (dup !== undefined) throw new InputError(f.path, `column "${dup}" appears twice in the header`);
    return { dialect, names };
  }

  slices(files: InputFile[], rank: number, worldSize: number): InputSlice[] {
    return slicesOfRank(
      files.map((file) => ({ slice: { file }, weight: file.bytes })),
      rank,
      worldSize,
    );
  }

  async *read(slices: InputSlice[], policy: BadInputPolicy): AsyncIterable<ReadItem> {
    if (!this.plans) throw new Error('CsvReader.read() before listFiles()');
    const duck = await openDuck();
    try {
      const plans = this.plans;
      let scan = 0;
      yield* readListed(slices, policy, (slice) => this.readFile(duck.connection, slice.file, policy, plans, scan++));
    } finally {
      duck.close();
    }
  }

  private async *readFile(con: DuckDBConnection, file: InputFile, policy: BadInputPolicy, plans: FieldPlan[], scan: number): AsyncGenerator<ReadItem> {
    const src = file.path;
    const corrupt = (err: unknown, row: number) =>
      row === 0
        ? badInput(policy, src, null, 'corrupt', `unreadable CSV: ${duckMessage(err)}`, src, file.bytes)
        : badInput(policy, src, row, 'corrupt', `unreadable CSV: ${duckMessage(err)} (rows from ${row} on not read)`, `${src}:${row}`, 0);
    let args: string;
    let good: number;
    let rejected: Rejected[];
    try {
      ({ args, good, rejected } = await this.firstPassOf(con, file, plans, scan));
    } catch (err) {
      yield corrupt(err, 0);
      return;
    }
    // store_rejects again rather than ignore_errors: in DuckDB 1.5 ignore_errors silently drops
    // every row after an unterminated quote, store_rejects skips only that row (as the first pass)
    const table = `csv_skip_${scan}`;
    const from = `read_csv(${sqlString(file.absPath)}, ${args}, store_rejects = true, rejects_table = '${table}', rejects_scan = '${table}_scan')`;
    let result: DuckDBResult;
    try {
      result = await con.stream(`SELECT * FROM ${from}`);
    } catch (err) {
      yield corrupt(err, 0);
      return;
    }
    const at = this.columnPositions(result.columnNames(), plans);
    let row = 0; // data row in the file, counting rejected rows
    let r = 0; // next rejected row to report
    let seen = 0; // good rows streamed
    const rejectsAt = function* (): Generator<ReadItem> {
      while (r < rejected.length && rejected[r].row === row) {
        yield badInput(policy, src, row, 'bad_record', `bad CSV row ${row} (line ${row + 2}): ${rejected[r].problem}`, `${src}:${row}`, 0);
        r++;
        row++;
      }
    };
    for (;;) {
      let columns: (JS | null)[][];
      let n: number;
      try {
        const chunk = await result.fetchChunk();
        n = chunk?.rowCount ?? 0;
        // DuckDB's stream ends early without an error when reading fails (see parquet.ts)
        if (n === 0 && seen < good) throw new Error(`DuckDB's stream ended after ${seen} rows, the first pass read ${good}`);
        if (n === 0) break;
        columns = chunk!.convertColumns(JSDuckDBValueConverter);
      } catch (err) {
        yield corrupt(err, row);
        return;
      }
      seen += n;
      for (let i = 0; i < n; i++) {
        yield* rejectsAt();
        yield this.rowItem(columns, i, row++, at, src, policy, plans);
      }
    }
    yield* rejectsAt(); // bad rows after the last good one
    await con.run(`DROP TABLE IF EXISTS ${table}; DROP TABLE IF EXISTS ${table}_scan`);
  }

  /** Reads the header, checks the declared columns and runs the first pass over the file. */
  private async firstPassOf(con: DuckDBConnection, file: InputFile, plans: FieldPlan[], scan: number): Promise<{ args: string; good: number; rejected: Rejected[] }> {
    const { dialect, names } = await this.headerOf(file);
    const missingDeclared = [...this.declared.keys()].filter((n) => !names.includes(n) && !plans.some((p) => p.field === n));
    if (missingDeclared.length > 0) throw new InputError(file.path, `declared column ${missingDeclared.map((n) => `"${n}"`).join(', ')} is not in the header`);
    const args = readCsvArgs(
      dialect,
      names.map((n) => ({ name: n, type: this.declared.get(n) ?? 'string' })),
    );
    return { args, ...(await firstPass(con, file.absPath, args, scan)) };
  }

  /** Where each column the reader needs sits in DuckDB's result (undefined: not in the file). */
  private columnPositions(names: string[], plans: FieldPlan[]): ColumnPositions {
    const index = new Map(names.map((n, i) => [n, i]));
    return { fields: plans.map((p) => index.get(p.field)), content: index.get(this.opts.contentField), id: this.opts.idField !== undefined ? index.get(this.opts.idField) : undefined };
  }

  /** Row i of a chunk (data row `row` of the file) as a record, or why it is excluded or bad. */
  private rowItem(columns: (JS | null)[][], i: number, row: number, at: ColumnPositions, src: string, policy: BadInputPolicy, plans: FieldPlan[]): ReadItem {
    const rowId = `${src}:${row}`;
    const content = at.content === undefined ? undefined : columns[at.content][i];
    if (typeof content !== 'string' || content === '') {
      return excluded(rowId, src, row, 'no_content', 0, `column "${this.opts.contentField}" is ${at.content === undefined ? 'missing' : 'empty'}`);
    }
    let id = rowId;
    if (this.opts.idField !== undefined) {
      const v = at.id === undefined ? null : columns[at.id][i];
      if (v === null || v === undefined || v === '') {
        return badInput(policy, src, row, 'bad_record', `id column "${this.opts.idField}" is ${at.id === undefined ? 'missing' : 'empty'}`, rowId, 0);
      }
      id = String(v);
    }
    const record: DataRecord = { id, source: src, source_row: row };
    if (this.opts.contentId !== 'none') record.content_id = contentIdOfText(content, this.opts.contentId);
    setPlannedFields(record, plans, at.fields, columns, i);
    return { record };
  }
}

/**
 * Counts the rows read_csv accepts and lists the ones it rejects (one entry per row, its first
 * error), in a table of this scan's own. Throws when the file cannot be read at all.
 */
async function firstPass(con: DuckDBConnection, absPath: string, args: string, scan: number): Promise<{ good: number; rejected: Rejected[] }> {
  const table = `csv_rejects_${scan}`;
  // hash(t) reads every column: count(*) alone would skip parsing them, and miss values not of their type
  const r = await con.runAndReadAll(
    `SELECT count(*), bit_xor(hash(t)) FROM read_csv(${sqlString(absPath)}, ${args}, store_rejects = true, rejects_table = '${table}', rejects_scan = '${table}_scan') AS t`,
  );
  const good = Number(r.getColumns()[0][0]);
  const rows = await con.runAndReadAll(`SELECT line, any_value(error_message ORDER BY column_idx) AS message, any_value(csv_line ORDER BY column_idx) FROM ${table} GROUP BY line ORDER BY line`);
  const rejected = rows.getRows().map(([line, message, text]) => ({ row: Number(line) - 2, problem: `${String(message).replace(/\s+/g, ' ').trim()}: ${clip(String(text))}` }));
  await con.run(`DROP TABLE ${table}; DROP TABLE ${table}_scan`);
  return { good, rejected };
}

function clip(s: string): string {
  const one = JSON.stringify(s);
  return one.length > 80 ? `${one.slice(0, 80)}…` : one;
}
