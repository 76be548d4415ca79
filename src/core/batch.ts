import type { EncodedStrings } from './encoded-strings.js';
import type { DataRecord, Value } from './record.js';

/**
 * Records move through a task in batches: one array per column, `length` rows. A batch is
 * never copied between stages: a stage reads the columns it needs, writes the ones it adds,
 * and the engine passes along which rows are still alive (`rows`, ascending indices), so a
 * string a stage does not change is never touched again until the writer.
 */
export class RecordBatch {
  private readonly columns = new Map<string, Value[]>();
  /** String columns still as an intermediate file's bytes: decoded when a stage first asks for them. */
  private readonly encoded = new Map<string, EncodedStrings>();
  /** Every encoded column set, decoded since or not: release() gives each its buffer back. */
  private readonly lent: EncodedStrings[] = [];

  constructor(readonly length: number) {}

  /** String columns read through `values()`: decoded, while their bytes still speak for them. */
  private readonly decoded = new Map<string, Value[]>();

  /** The column's values (index = row), or undefined when no reader or stage set it. */
  column(name: string): Value[] | undefined {
    const enc = this.encoded.get(name);
    if (enc) {
      // from here on the values may change in place: the bytes no longer speak for them
      this.encoded.delete(name);
      this.columns.set(name, this.decoded.get(name) ?? enc.decodeAll());
      this.decoded.delete(name);
    }
    return this.columns.get(name);
  }

  /**
   * The column's values for reading only: the caller must not change them. A string column
   * that is still encoded keeps its bytes, so writers copy them instead of encoding the
   * strings again (a matcher or filter that only reads the text costs no re-encoding).
   */
  values(name: string): readonly Value[] | undefined {
    const enc = this.encoded.get(name);
    if (!enc) return this.columns.get(name);
    let values = this.decoded.get(name);
    if (!values) this.decoded.set(name, (values = enc.decodeAll()));
    return values;
  }

  /** The column, created (all null) when absent: for stages that add it row by row. */
  columnForWrite(name: string): Value[] {
    let values = this.column(name);
    if (!values) this.columns.set(name, (values = new Array<Value>(this.length).fill(null)));
    return values;
  }

  setColumn(name: string, values: Value[]): void {
    if (values.length !== this.length) throw new Error(`column ${name}: ${values.length} values for ${this.length} rows`);
    this.encoded.delete(name);
    this.decoded.delete(name);
    this.columns.set(name, values);
  }

  /**
   * A string column kept encoded until a stage changes it (readers of intermediate files).
   * `decoded`, when the reader has the strings already, must be exactly those bytes' text.
   */
  setEncoded(name: string, strings: EncodedStrings, decoded?: Value[]): void {
    if (strings.length !== this.length) throw new Error(`column ${name}: ${strings.length} values for ${this.length} rows`);
    if (decoded && decoded.length !== this.length) throw new Error(`column ${name}: ${decoded.length} decoded values for ${this.length} rows`);
    this.columns.delete(name);
    this.decoded.delete(name);
    if (decoded) this.decoded.set(name, decoded);
    this.encoded.set(name, strings);
    this.lent.push(strings);
  }

  /**
   * The batch will not be read again (its rows are written): encoded columns give their
   * buffers back to the reader that lent them. Reading the batch after this may throw.
   */
  release(): void {
    for (const enc of this.lent) enc.release();
    this.lent.length = 0;
  }

  /**
   * The column's bytes when no stage has asked for its values and rows can be sliced out of
   * them (writers copy these instead of encoding strings again); otherwise undefined.
   */
  encodedColumn(name: string): (EncodedStrings & { byteOffsets(): Int32Array }) | undefined {
    const enc = this.encoded.get(name);
    return enc?.byteOffsets() ? (enc as EncodedStrings & { byteOffsets(): Int32Array }) : undefined;
  }

  names(): string[] {
    return [...this.columns.keys(), ...this.encoded.keys()];
  }

  /** Row `i` as a plain record: for per-record stages, messages and excluded output. */
  record(i: number): DataRecord {
    const r: DataRecord = { id: '' };
    for (const [name, values] of this.columns) r[name] = values[i];
    for (const name of [...this.encoded.keys()]) {
      const decoded = this.decoded.get(name);
      if (decoded) {
        r[name] = decoded[i];
        continue;
      }
      const enc = this.encodedColumn(name);
      r[name] = enc ? enc.value(i) : this.column(name)![i];
    }
    return r;
  }

  /** UTF-8 bytes of the string in `name` at each of `rows`, into out[row] (0 for other values). */
  byteLengths(name: string, rows: Int32Array, out: Float64Array): void {
    const enc = this.encodedColumn(name);
    if (enc) {
      for (let k = 0; k < rows.length; k++) out[rows[k]] = enc.isPresent(rows[k]) ? enc.byteLength(rows[k]) : 0;
      return;
    }
    const values = this.values(name);
    for (let k = 0; k < rows.length; k++) {
      const v = values?.[rows[k]];
      out[rows[k]] = typeof v === 'string' ? Buffer.byteLength(v, 'utf8') : 0;
    }
  }

  /** Whether row `i` of `name` holds a string (byteLengths gives 0 to an empty one and to a null alike). */
  hasString(name: string, i: number): boolean {
    const enc = this.encodedColumn(name);
    if (enc) return enc.isPresent(i);
    return typeof this.values(name)?.[i] === 'string';
  }

  /** Write back the columns a per-record stage may have changed on `record`. */
  absorb(i: number, record: DataRecord, names: readonly string[]): void {
    for (const name of names) this.columnForWrite(name)[i] = record[name] ?? null;
  }

  /** The string value of row `i` of a column, or undefined. */
  text(name: string, i: number): string | undefined {
    const v = this.values(name)?.[i];
    return typeof v === 'string' ? v : undefined;
  }
}

/**
 * Where row `i` came from (input file and row): unique within a run whatever its id. Global
 * stages address their per-record decisions by it, since ids from the data may repeat.
 */
export function batchPosition(batch: RecordBatch, i: number): string {
  return `${String(batch.column('source')?.[i] ?? '')}\u0000${String(batch.column('source_row')?.[i] ?? '')}`;
}

/** Every row index of a batch: the selection a batch starts with. */
export function allRows(length: number): Int32Array {
  const rows = new Int32Array(length);
  for (let i = 0; i < length; i++) rows[i] = i;
  return rows;
}

/** Collects records (objects) into columnar batches of `size` rows. */
export class BatchBuilder {
  private pending: DataRecord[] = [];

  constructor(
    private readonly names: readonly string[],
    readonly size: number,
  ) {}

  get count(): number {
    return this.pending.length;
  }

  add(record: DataRecord): boolean {
    this.pending.push(record);
    return this.pending.length >= this.size;
  }

  /** The pending records as one batch (columns in `names`, plus any other key they carry). */
  take(): RecordBatch {
    const records = this.pending;
    this.pending = [];
    const batch = new RecordBatch(records.length);
    const names = new Set(this.names);
    if (records.length > 0) for (const k in records[0]) names.add(k); // records of one source share their keys
    for (const name of names) {
      const values = new Array<Value>(records.length);
      for (let i = 0; i < records.length; i++) values[i] = records[i][name] ?? null;
      batch.setColumn(name, values);
    }
    return batch;
  }
}
