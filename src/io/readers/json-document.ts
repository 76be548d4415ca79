import { z } from 'zod';
import { InputError } from '../../core/errors.js';
import type { ColumnSpec } from '../../core/record.js';
import { excluded, isFsError, oneLine, readListed, strictDecoder, contentIdSchema } from '../common.js';
import { columnSpecSchema, columnsOf, FieldInference, planColumns, type FieldPlan } from '../fields.js';
import { expandInputs } from '../inputs.js';
import { compressionOf, openBytes, StreamDamage } from '../lines.js';
import { objectToItem } from '../object-record.js';
import { rowRangeSlices, slicesOfRank, type WeightedSlice } from '../order.js';
import type { BadInputPolicy, InputFile, InputSlice, ReadItem, Reader } from '../types.js';

export const jsonDocumentReaderOptionsSchema = z.strictObject({
  /** Dot path to the record array inside the document (e.g. `annotations`); default: the document is the array. */
  recordsPath: z.string().min(1).optional(),
  idField: z.string().min(1).optional(),
  /** How `content_id` is made: swh (git blob sha1), xxh3, or none (no column). */
  contentId: contentIdSchema,
  contentField: z.string().min(1).default('text'),
  columns: z.array(columnSpecSchema).optional(),
  inferRows: z.number().int().positive().default(1000),
  root: z.string().optional(),
  /**
   * The whole document is parsed in memory; larger (uncompressed) documents are refused.
   * V8 strings stop at about 512 MiB, so bigger documents need converting to JSONL.
   */
  maxDocumentBytes: z
    .number()
    .int()
    .positive()
    .max(500 * 1024 * 1024)
    .default(500 * 1024 * 1024),
});
export type JsonDocumentReaderOptions = z.input<typeof jsonDocumentReaderOptionsSchema>;

const JSON_NAME = /\.json(\.(gz|gzip|zst|zstd))?$/i;

/** Parsing failed for the whole document: the message names what and where. */
class DocumentProblem extends Error {
  constructor(
    readonly kind: 'corrupt' | 'truncated' | 'unreadable',
    message: string,
  ) {
    super(message);
  }
}

/**
 * One JSON document per file holding an array of records (COCO's `annotations`, many
 * dataset dumps): `.json`, `.json.gz`, `.json.zst`. A document is parsed whole, so memory is
 * about twice its size; ranks share a big document by row ranges (each rank parses it).
 */
export class JsonDocumentReader implements Reader {
  readonly inputs: string | readonly string[];
  readonly contentColumn: string;
  private readonly opts: z.output<typeof jsonDocumentReaderOptionsSchema>;
  private plans: FieldPlan[] | undefined;

  constructor(inputs: string | readonly string[], options: JsonDocumentReaderOptions = {}) {
    this.inputs = inputs;
    this.opts = jsonDocumentReaderOptionsSchema.parse(options);
    if (this.opts.columns)
      this.plans = planColumns(
        this.opts.columns.map((c) => ({ field: c.name, type: c.type })),
        this.opts.contentField,
        this.opts.idField,
      );
    this.contentColumn = (this.plans ?? planColumns([], this.opts.contentField, this.opts.idField)).find((p) => p.field === this.opts.contentField)!.column;
  }

  get columns(): ColumnSpec[] {
    return columnsOf(this.plans ?? planColumns([], this.opts.contentField, this.opts.idField), this.opts.contentId);
  }

  private async records(file: InputFile): Promise<unknown[]> {
    const chunks: Buffer[] = [];
    let size = 0;
    try {
      for await (const c of openBytes(file.absPath, compressionOf(file.path))) {
        size += c.length;
        if (size > this.opts.maxDocumentBytes) throw new DocumentProblem('corrupt', `document larger than max_document_bytes (${this.opts.maxDocumentBytes} bytes): convert it to JSONL`);
        chunks.push(c);
      }
    } catch (err) {
      if (err instanceof DocumentProblem) throw err;
      if (err instanceof StreamDamage) throw new DocumentProblem(err.kind === 'truncated' ? 'truncated' : 'corrupt', err.message);
      if (isFsError(err)) throw new DocumentProblem('unreadable', `unreadable: ${oneLine(err)}`);
      throw err;
    }
    let doc: unknown;
    try {
      const text = strictDecoder().decode(Buffer.concat(chunks));
      doc = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text); // a leading BOM is not data
    } catch (err) {
      throw new DocumentProblem('corrupt', err instanceof TypeError ? 'invalid UTF-8' : `invalid JSON: ${oneLine(err)}`);
    }
    let at: unknown = doc;
    for (const key of this.opts.recordsPath?.split('.') ?? []) {
      at = at !== null && typeof at === 'object' && !Array.isArray(at) ? (at as Record<string, unknown>)[key] : undefined;
      if (at === undefined) throw new DocumentProblem('corrupt', `no "${this.opts.recordsPath}" in the document`);
    }
    if (!Array.isArray(at)) throw new DocumentProblem('corrupt', `${this.opts.recordsPath ? `"${this.opts.recordsPath}"` : 'the document'} is not an array`);
    return at;
  }

  async listFiles(): Promise<InputFile[]> {
    const files = await expandInputs(this.inputs, { root: this.opts.root, accept: (n) => JSON_NAME.test(n), kind: 'JSON' });
    const inf = new FieldInference();
    let sampled = 0;
    for (const f of files) {
      if (f.problem) continue; // never opened (a FIFO would block); read() reports it
      let rows: unknown[];
      try {
        rows = await this.records(f);
      } catch (err) {
        if (err instanceof DocumentProblem) continue; // reported by read(), under the bad-input policy
        throw err;
      }
      f.rows = rows.length;
      for (const r of rows) {
        if (sampled >= this.opts.inferRows) break;
        if (r !== null && typeof r === 'object' && !Array.isArray(r)) {
          inf.add(r as Record<string, unknown>);
          sampled++;
        }
      }
    }
    if (!this.plans) {
      try {
        this.plans = planColumns(inf.result(this.opts.contentField), this.opts.contentField, this.opts.idField);
      } catch (err) {
        throw new InputError(files[0]?.path ?? '(input)', oneLine(err));
      }
    }
    return files;
  }

  slices(files: InputFile[], rank: number, worldSize: number): InputSlice[] {
    // Row ranges of equal size per rank over the concatenated records (a damaged document,
    // with no row count, goes whole to one rank so its error is reported once).
    const units: WeightedSlice[] = [];
    for (const file of files) {
      const rows = file.rows;
      if (rows === undefined || rows === 0 || worldSize === 1) units.push({ slice: { file }, weight: rows ?? 1 });
      else units.push(...rowRangeSlices(file, rows, Math.min(rows, worldSize), rows));
    }
    return slicesOfRank(units, rank, worldSize);
  }

  async *read(slices: InputSlice[], policy: BadInputPolicy): AsyncIterable<ReadItem> {
    if (!this.plans) throw new Error('JsonDocumentReader.read() before listFiles()');
    const plans = this.plans;
    yield* readListed(slices, policy, (slice) => this.readSlice(slice, policy, plans));
  }

  private async *readSlice(slice: InputSlice, policy: BadInputPolicy, plans: FieldPlan[]): AsyncGenerator<ReadItem> {
    const src = slice.file.path;
    let rows: unknown[];
    try {
      rows = await this.records(slice.file);
    } catch (err) {
      if (!(err instanceof DocumentProblem)) throw err;
      if (policy === 'fail') throw new InputError(src, err.message);
      yield excluded(src, src, null, err.kind, slice.file.bytes, err.message);
      return;
    }
    const end = Math.min(rows.length, slice.rowEnd ?? rows.length);
    for (let row = slice.rowStart ?? 0; row < end; row++) {
      yield objectToItem(rows[row], src, row, 0, policy, plans, this.opts);
    }
  }
}
