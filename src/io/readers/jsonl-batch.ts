import { RecordBatch } from '../../core/batch.js';
import { EncodedStringsBuilder } from '../../core/encoded-strings.js';
import { swhContentId, xxh3ContentId, contentIdOfText, type ContentIdMode } from '../../core/hashing.js';
import type { DataRecord, Value } from '../../core/record.js';
import { coerce, type FieldPlan } from '../fields.js';
import { ABSENT, ESCAPED_STRING, JsonFieldScanner, OTHER, PLAIN_STRING } from './json-fields.js';

type Column = { strings: EncodedStringsBuilder; values?: undefined } | { values: Value[]; strings?: undefined };

/**
 * Collects JSONL records into columnar batches straight from their line bytes: string fields
 * are copied as UTF-8 into EncodedStrings columns, never decoded. A line it cannot take as is
 * (the scanner gave up, a field of the wrong type, a missing text) is left to the caller, who
 * parses it with JSON.parse as before and hands the resulting record to `addRecord`: both
 * routes give the same columns and values.
 */
export class JsonlBatchBuilder {
  readonly scanner: JsonFieldScanner;
  private readonly columns = new Map<string, Column>();
  /** Plans other than the id, with their scanner field index. */
  private readonly fields: { plan: FieldPlan; index: number; column: Column }[];
  private readonly contentIndex: number;
  private readonly idIndex: number;
  private readonly ids: EncodedStringsBuilder;
  private readonly sources: Value[] = [];
  private readonly rows: Value[] = [];
  private readonly contentIds: Value[] = [];
  private count = 0;

  constructor(
    plans: readonly FieldPlan[],
    private readonly f: { contentField: string; idField?: string; contentId: ContentIdMode },
  ) {
    const names = [...new Set([f.contentField, ...(f.idField !== undefined ? [f.idField] : []), ...plans.map((p) => p.field)])];
    this.scanner = new JsonFieldScanner(names);
    this.contentIndex = names.indexOf(f.contentField);
    this.idIndex = f.idField !== undefined ? names.indexOf(f.idField) : -1;
    this.ids = new EncodedStringsBuilder();
    this.fields = plans
      .filter((p) => p.column !== 'id')
      .map((plan) => {
        const column: Column = plan.type === 'string' ? { strings: new EncodedStringsBuilder() } : { values: [] };
        this.columns.set(plan.column, column);
        return { plan, index: names.indexOf(plan.field), column };
      });
  }

  get length(): number {
    return this.count;
  }

  /**
   * Adds the line buf[start..end) found by `scanner.scan` (which must have returned true);
   * false, adding nothing, when the line needs the JSON.parse route.
   */
  addScanned(buf: Buffer, start: number, end: number, src: string, row: number): boolean {
    const s = this.scanner;
    const c = this.contentIndex;
    if (s.kind[c] !== PLAIN_STRING && s.kind[c] !== ESCAPED_STRING) return false; // null, missing or not a string: exact reasons from the slow route
    const idKind = this.idIndex >= 0 ? s.kind[this.idIndex] : ABSENT;
    let id: string | undefined;
    if (this.idIndex >= 0) {
      if (idKind === ESCAPED_STRING) id = s.value[this.idIndex] as string;
      else if (idKind === OTHER) {
        const v = s.value[this.idIndex];
        if (v === null || typeof v === 'object') return false;
        id = String(v);
      } else if (idKind !== PLAIN_STRING) return false;
    }
    // type checks first, so a line is taken whole or not at all
    for (const { plan, index } of this.fields) {
      const k = s.kind[index];
      if (plan.type === 'string' || k === ABSENT) continue;
      if ('error' in coerce(k === OTHER ? s.value[index] : this.stringAt(buf, index), plan.type)) return false;
    }
    if (this.idIndex < 0) this.ids.appendString(`${src}:${row}`);
    else if (idKind === PLAIN_STRING) this.ids.appendBytes(buf, s.start[this.idIndex], s.end[this.idIndex], s.units[this.idIndex]);
    else this.ids.appendString(id!);
    for (const { plan, index, column } of this.fields) {
      const k = s.kind[index];
      if (column.strings) {
        if (k === PLAIN_STRING) column.strings.appendBytes(buf, s.start[index], s.end[index], s.units[index]);
        else if (k === ESCAPED_STRING) column.strings.appendString(s.value[index] as string);
        else if (k === OTHER && s.value[index] !== null) column.strings.appendString(JSON.stringify(s.value[index]));
        else column.strings.appendNull();
      } else {
        column.values.push(k === ABSENT ? null : (coerce(k === OTHER ? s.value[index] : this.stringAt(buf, index), plan.type) as { value: Value }).value);
      }
    }
    if (this.f.contentId !== 'none') {
      this.contentIds.push(
        s.kind[c] === PLAIN_STRING
          ? this.f.contentId === 'swh'
            ? swhContentId(buf.subarray(s.start[c], s.end[c]))
            : xxh3ContentId(buf.subarray(s.start[c], s.end[c]))
          : contentIdOfText(s.value[c] as string, this.f.contentId),
      );
    }
    this.sources.push(src);
    this.rows.push(row);
    this.count++;
    return true;
  }

  /** Adds a record the JSON.parse route made (objectToItem). */
  addRecord(record: DataRecord): void {
    this.ids.appendString(record.id);
    for (const { plan, column } of this.fields) {
      const v = record[plan.column] ?? null;
      if (column.strings) {
        if (typeof v === 'string') column.strings.appendString(v);
        else column.strings.appendNull();
      } else {
        column.values.push(v);
      }
    }
    if (this.f.contentId !== 'none') this.contentIds.push(record.content_id ?? null);
    this.sources.push(record.source ?? null);
    this.rows.push(record.source_row ?? null);
    this.count++;
  }

  /** The rows so far as one batch; the builder starts empty again. */
  take(): RecordBatch {
    const batch = new RecordBatch(this.count);
    batch.setEncoded('id', this.ids.take());
    batch.setColumn('source', this.sources.splice(0));
    batch.setColumn('source_row', this.rows.splice(0));
    if (this.f.contentId !== 'none') batch.setColumn('content_id', this.contentIds.splice(0));
    for (const [name, column] of this.columns) {
      if (column.strings) batch.setEncoded(name, column.strings.take());
      else batch.setColumn(name, column.values.splice(0));
    }
    this.count = 0;
    return batch;
  }

  private stringAt(buf: Buffer, index: number): string {
    const s = this.scanner;
    return s.kind[index] === ESCAPED_STRING ? (s.value[index] as string) : buf.toString('utf8', s.start[index], s.end[index]);
  }
}
