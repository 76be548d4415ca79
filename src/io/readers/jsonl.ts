import { z } from 'zod';
import { InputError } from '../../core/errors.js';
import type { ColumnSpec } from '../../core/record.js';
import { badInput, isFsError, oneLine, readListed, strictDecoder, contentIdSchema } from '../common.js';
import { objectToItem } from '../object-record.js';
import { columnSpecSchema, columnsOf, FieldInference, planColumns, type FieldPlan } from '../fields.js';
import { expandInputs } from '../inputs.js';
import { compressionOf, countNewlines, decodeLines, utf8Lines, openBytes, splitLineBatches, splitLines, StreamDamage, withoutBom, withoutBomBatches, type Line } from '../lines.js';
import { contiguousRange } from '../order.js';
import type { BadInputPolicy, InputFile, InputSlice, ReadBatch, ReadItem, Reader } from '../types.js';
import type { ExcludedRecord } from '../../core/record.js';
import { JsonlBatchBuilder } from './jsonl-batch.js';

export const jsonlReaderOptionsSchema = z.strictObject({
  /** Field holding the record id; else id = `<source>:<row>`. */
  idField: z.string().min(1).optional(),
  /** How `content_id` is made: swh (git blob sha1), xxh3, or none (no column). */
  contentId: contentIdSchema,
  /** Field holding the text; must be a string. null/missing: excluded as `no_content`. */
  contentField: z.string().min(1).default('text'),
  /** A longer line is a bad record (skipped without being held in memory). */
  maxLineBytes: z
    .number()
    .int()
    .positive()
    .default(64 * 1024 * 1024),
  /** Declared data columns (provenance columns are added); else inferred from the first `inferRows` records. */
  columns: z.array(columnSpecSchema).optional(),
  inferRows: z.number().int().positive().default(1000),
  /** Sources are named relative to this folder (default: see expandInputs). */
  root: z.string().optional(),
  /**
   * Uncompressed files bigger than max(this, total bytes / worldSize) are split by byte
   * ranges across ranks. Each split rank counts newlines before its start to keep rows exact.
   */
  splitMinBytes: z
    .number()
    .int()
    .positive()
    .default(64 * 1024 * 1024),
});
export type JsonlReaderOptions = z.input<typeof jsonlReaderOptionsSchema>;

const JSONL_NAME = /\.(jsonl|ndjson)(\.(gz|gzip|zst|zstd))?$/i;

/**
 * JSON Lines (plain, .gz, .zst), one record per non-blank line. Input: a file, a list, a
 * directory (every *.jsonl / *.ndjson, optionally .gz / .zst, below it) or a glob.
 */
export class JsonlReader implements Reader {
  readonly inputs: string | readonly string[];
  readonly contentColumn: string;
  private readonly opts: z.output<typeof jsonlReaderOptionsSchema>;
  private plans: FieldPlan[] | undefined;
  private files: InputFile[] | undefined;

  constructor(inputs: string | readonly string[], options: JsonlReaderOptions = {}) {
    this.inputs = inputs;
    this.opts = jsonlReaderOptionsSchema.parse(options);
    if (this.opts.columns)
      this.plans = planColumns(
        this.opts.columns.map((c) => ({ field: c.name, type: c.type })),
        this.opts.contentField,
        this.opts.idField,
      );
    this.contentColumn = (this.plans ?? planColumns([], this.opts.contentField, this.opts.idField)).find((p) => p.field === this.opts.contentField)!.column;
  }

  /** Final after listFiles() when columns are inferred. */
  get columns(): ColumnSpec[] {
    return columnsOf(this.plans ?? planColumns([], this.opts.contentField, this.opts.idField), this.opts.contentId);
  }

  async listFiles(): Promise<InputFile[]> {
    const files = await expandInputs(this.inputs, { root: this.opts.root, accept: (n) => JSONL_NAME.test(n), kind: 'JSONL' });
    this.files = files;
    if (!this.plans) this.plans = await this.infer(files);
    return files;
  }

  private async infer(files: InputFile[]): Promise<FieldPlan[]> {
    const inf = new FieldInference();
    let n = 0;
    const dec = strictDecoder();
    outer: for (const f of files) {
      if (f.problem) continue; // never opened (a FIFO would block); read() reports it
      try {
        for await (const line of withoutBom(splitLines(openBytes(f.absPath, compressionOf(f.path)), this.opts.maxLineBytes))) {
          if (!line.bytes) continue;
          let obj: unknown;
          try {
            obj = JSON.parse(dec.decode(line.bytes));
          } catch {
            continue;
          }
          if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) continue;
          inf.add(obj as Record<string, unknown>);
          if (++n >= this.opts.inferRows) break outer;
        }
      } catch {
        // damage is reported by read(); infer from what came before it
      }
    }
    try {
      return planColumns(inf.result(this.opts.contentField), this.opts.contentField, this.opts.idField);
    } catch (err) {
      throw new InputError(files[0]?.path ?? '(input)', oneLine(err));
    }
  }

  slices(files: InputFile[], rank: number, worldSize: number): InputSlice[] {
    const total = files.reduce((s, f) => s + f.bytes, 0);
    const target = Math.max(this.opts.splitMinBytes, Math.ceil(total / worldSize));
    const units: InputSlice[] = [];
    for (const file of files) {
      // a file with a problem is reported once, so it is never split
      if (worldSize > 1 && !file.problem && compressionOf(file.path) === 'none' && file.bytes > target) {
        const pieces = Math.ceil(file.bytes / target);
        for (let i = 0; i < pieces; i++) {
          units.push({ file, byteStart: Math.floor((file.bytes * i) / pieces), byteEnd: Math.floor((file.bytes * (i + 1)) / pieces) });
        }
      } else {
        units.push({ file });
      }
    }
    const [a, b] = contiguousRange(
      units.map((u) => (u.byteEnd ?? u.file.bytes) - (u.byteStart ?? 0)),
      rank,
      worldSize,
    );
    return units.slice(a, b);
  }

  async *read(slices: InputSlice[], policy: BadInputPolicy): AsyncIterable<ReadItem> {
    for await (const items of this.readChunks(slices, policy)) yield* items;
  }

  /** The items of the slices in arrays of one read chunk each: one await per megabyte. */
  async *readChunks(slices: InputSlice[], policy: BadInputPolicy): AsyncIterable<ReadItem[]> {
    if (!this.plans) throw new Error('JsonlReader.read() before listFiles()');
    const plans = this.plans;
    for await (const item of readListed(slices, policy, (slice) => this.readSlice(slice, policy, plans))) yield Array.isArray(item) ? item : [item];
  }

  private async *readSlice(slice: InputSlice, policy: BadInputPolicy, plans: FieldPlan[]): AsyncGenerator<ReadItem[]> {
    const dec = strictDecoder();
    for await (const group of this.sliceLines(slice, policy)) {
      if (!('lines' in group)) {
        yield [group];
        continue;
      }
      const { lines, firstRow } = group;
      const items: ReadItem[] = [];
      const texts = decodeLines(lines, dec);
      for (let k = 0; k < lines.length; k++) {
        const item = this.parseText(texts[k], lines[k].length, slice.file.path, firstRow + k, policy, plans);
        if (item) items.push(item);
      }
      if (items.length > 0) yield items;
    }
  }

  /**
   * The records of the slices as columnar batches of `batchRows` rows, built from the line
   * bytes (see JsonlBatchBuilder); exclusions travel with the batch they came before. Same
   * records, values and batch boundaries as grouping read()'s items.
   */
  async *readBatches(slices: InputSlice[], policy: BadInputPolicy, batchRows: number): AsyncIterable<ReadBatch> {
    if (!this.plans) throw new Error('JsonlReader.readBatches() before listFiles()');
    const plans = this.plans;
    const builder = new JsonlBatchBuilder(plans, this.opts);
    const dec = strictDecoder();
    let excluded: ExcludedRecord[] = [];
    const take = (item: ReadItem | undefined): ReadBatch | undefined => {
      if (item?.record) builder.addRecord(item.record);
      else if (item?.excluded) {
        excluded.push(item.excluded);
        if (excluded.length >= batchRows) {
          const out = { excluded };
          excluded = [];
          return out;
        }
        return undefined;
      }
      if (builder.length < batchRows) return undefined;
      const out = { batch: builder.take(), excluded };
      excluded = [];
      return out;
    };
    for await (const group of readListed(slices, policy, (slice) => this.sliceLines(slice, policy))) {
      if (!('lines' in group)) {
        const out = take(group);
        if (out) yield out;
        continue;
      }
      const { lines, firstRow, src } = group;
      const valid = utf8Lines(lines);
      for (let k = 0; k < lines.length; k++) {
        const bytes = lines[k].bytes;
        const row = firstRow + k;
        let out: ReadBatch | undefined;
        if (bytes && valid[k] === 1 && builder.scanner.scan(bytes, 0, bytes.length) && builder.addScanned(bytes, 0, bytes.length, src, row)) {
          if (builder.length >= batchRows) out = take(undefined);
        } else {
          const text = bytes ? (valid[k] === 1 ? dec.decode(bytes) : null) : undefined;
          out = take(this.parseText(text, lines[k].length, src, row, policy, plans));
        }
        if (out) yield out;
      }
    }
    if (builder.length > 0 || excluded.length > 0) yield { batch: builder.length > 0 ? builder.take() : undefined, excluded };
  }

  /** The slice's lines, one array per read chunk with the row of its first line, or the exclusion that ended it. */
  private async *sliceLines(slice: InputSlice, policy: BadInputPolicy): AsyncGenerator<{ lines: Line[]; firstRow: number; src: string } | ReadItem> {
    const src = slice.file.path;
    const abs = slice.file.absPath;
    const compression = compressionOf(src);
    const byteStart = slice.byteStart ?? 0;
    const byteEnd = slice.byteEnd ?? Infinity;
    let row = 0;
    let offset = 0;
    let skipFirst = false;
    let batches: AsyncGenerator<Line[]>;
    try {
      if (byteStart > 0) {
        row = await countNewlines(abs, byteStart - 1);
        offset = byteStart - 1;
        skipFirst = true;
      }
      batches = splitLineBatches(openBytes(abs, compression, offset), this.opts.maxLineBytes);
      if (offset === 0) batches = withoutBomBatches(batches);
    } catch (err) {
      yield badInput(policy, src, null, 'unreadable', `unreadable: ${oneLine(err)}`, src, slice.file.bytes);
      return;
    }
    try {
      for (;;) {
        let next: IteratorResult<Line[]>;
        try {
          next = await batches.next();
        } catch (err) {
          if (err instanceof StreamDamage) {
            yield badInput(policy, src, row, err.kind, err.message, `${src}:${row}`, 0);
          } else if (isFsError(err)) {
            yield badInput(policy, src, row, 'unreadable', `unreadable: ${oneLine(err)}`, `${src}:${row}`, 0);
          } else {
            throw err;
          }
          return;
        }
        if (next.done) return;
        let ended = false;
        let lines = next.value;
        let firstRow = row;
        let from = 0;
        let to = lines.length;
        for (let k = 0; k < lines.length; k++) {
          const lineStart = offset;
          offset += lines[k].length + (lines[k].newline ? 1 : 0);
          if (lineStart >= byteEnd) {
            ended = true;
            to = k;
            break;
          }
          row++;
        }
        if (skipFirst && to > 0) {
          skipFirst = false; // the line the previous slice ends with
          from = 1;
          firstRow++;
        }
        if (from > 0 || to < lines.length) lines = lines.slice(from, to);
        if (lines.length > 0) yield { lines, firstRow, src };
        if (ended) return;
      }
    } finally {
      await batches.return(undefined);
    }
  }

  /** One line's text (null: not UTF-8, undefined: too long) → a record, an exclusion, or nothing for a blank line. */
  private parseText(text: string | null | undefined, bytes: number, src: string, row: number, policy: BadInputPolicy, plans: FieldPlan[]): ReadItem | undefined {
    if (text === undefined) return badInput(policy, src, row, 'bad_record', `line of ${bytes} bytes is longer than max_line_bytes ${this.opts.maxLineBytes}`, `${src}:${row}`, bytes);
    if (text === null) return badInput(policy, src, row, 'bad_record', 'invalid UTF-8', `${src}:${row}`, bytes);
    let obj: unknown;
    try {
      obj = JSON.parse(text);
    } catch (err) {
      if (text.trim() === '') return undefined; // blank line: not a record
      return badInput(policy, src, row, 'bad_record', `invalid JSON: ${oneLine(err)}`, `${src}:${row}`, bytes);
    }
    return objectToItem(obj, src, row, bytes, policy, plans, this.opts);
  }
}
