import type { DataRecord, Value } from './record.js';

/**
 * Records move through a task in batches: one array per column, `length` rows. A batch is
 * never copied between stages: a stage reads the columns it needs, writes the ones it adds,
 * and the engine passes along which rows are still alive (`rows`, ascending indices), so a
 * string a stage does not change is never touched again until the writer.
 */
export class RecordBatch {
  private readonly columns = new Map<string, Value[]>();

  constructor(readonly length: number) {}

  /** The column's values (index = row), or undefined when no reader or stage set it. */
  column(name: string): Value[] | undefined {
    return this.columns.get(name);
  }

  /** The column, created (all null) when absent: for stages that add it row by row. */
  columnForWrite(name: string): Value[] {
    let values = this.columns.get(name);
    if (!values) this.columns.set(name, (values = new Array<Value>(this.length).fill(null)));
    return values;
  }

  setColumn(name: string, values: Value[]): void {
    if (values.length !== this.length) throw new Error(`column ${name}: ${values.length} values for ${this.length} rows`);
    this.columns.set(name, values);
  }

  names(): string[] {
    return [...this.columns.keys()];
  }

  /** Row `i` as a plain record: for per-record stages, messages and excluded output. */
  record(i: number): DataRecord {
    const r: DataRecord = { id: '' };
    for (const [name, values] of this.columns) r[name] = values[i];
    return r;
  }

  /** Write back the columns a per-record stage may have changed on `record`. */
  absorb(i: number, record: DataRecord, names: readonly string[]): void {
    for (const name of names) this.columnForWrite(name)[i] = record[name] ?? null;
  }

  /** The string value of row `i` of a column, or undefined. */
  text(name: string, i: number): string | undefined {
    const v = this.columns.get(name)?.[i];
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
