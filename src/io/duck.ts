import { DuckDBInstance, DuckDBTypeId, type DuckDBConnection, type DuckDBType, type JS } from '@duckdb/node-api';
import type { ColumnType, DataRecord, Value } from '../core/record.js';
import type { FieldPlan } from './fields.js';

/** An in-memory DuckDB with one thread (deterministic output, one core per task); `config` adds DuckDB settings. */
export async function openDuck(config: Record<string, string> = {}): Promise<{ instance: DuckDBInstance; connection: DuckDBConnection; close: () => void }> {
  const instance = await DuckDBInstance.create(':memory:', { threads: '1', ...config });
  const connection = await instance.connect();
  return {
    instance,
    connection,
    close: () => {
      connection.closeSync();
      instance.closeSync();
    },
  };
}

let shared: Promise<DuckDBInstance> | undefined;
let sharedTables = 0;

/**
 * A connection to this thread's long-lived one-thread in-memory DuckDB, and a table-name
 * prefix no other user of it has: writers of successive tasks share the instance instead
 * of starting one each (a start costs ~20 ms of CPU and a thread; a task's two writers
 * and sixteen tasks paid it 32 times). close() closes the connection only.
 */
export async function openSharedDuck(): Promise<{ instance: DuckDBInstance; connection: DuckDBConnection; prefix: string; close: () => void }> {
  shared ??= DuckDBInstance.create(':memory:', { threads: '1' });
  const instance = await shared;
  const connection = await instance.connect();
  return { instance, connection, prefix: `w${sharedTables++}_`, close: () => connection.closeSync() };
}

/** Run `fn` on a fresh one-thread DuckDB and close it whatever happens. */
export async function withDuck<T>(fn: (connection: DuckDBConnection) => Promise<T>): Promise<T> {
  const duck = await openDuck();
  try {
    return await fn(duck.connection);
  } finally {
    duck.close();
  }
}

/**
 * Seals a DuckDB instance for queries written by someone else: from now on it reads and writes
 * only `allowedPaths` (exact files: DuckDB follows symlinks, so a folder would let a link inside
 * it reach out), loads no extension, and no statement can change a setting back. Views made
 * before over those files keep working.
 */
export async function lockDownDuck(connection: DuckDBConnection, allowedPaths: readonly string[]): Promise<void> {
  await connection.run(`SET allowed_paths = [${allowedPaths.map(sqlString).join(', ')}]`);
  await connection.run('SET enable_external_access = false');
  await connection.run('SET lock_configuration = true');
}

export function sqlString(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

export function sqlIdent(s: string): string {
  return `"${s.replace(/"/g, '""')}"`;
}

/** DuckDB's message without its SQL excerpt, on one line. */
export function duckMessage(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  return msg
    .split(/\n\s*\nLINE \d+:/)[0]
    .replace(/\s*\n\s*/g, ' ')
    .trim();
}

const INT_IDS = new Set<DuckDBTypeId>([
  DuckDBTypeId.TINYINT,
  DuckDBTypeId.SMALLINT,
  DuckDBTypeId.INTEGER,
  DuckDBTypeId.BIGINT,
  DuckDBTypeId.UTINYINT,
  DuckDBTypeId.USMALLINT,
  DuckDBTypeId.UINTEGER,
  DuckDBTypeId.UBIGINT,
]);
const INT32_IDS = new Set<DuckDBTypeId>([DuckDBTypeId.TINYINT, DuckDBTypeId.SMALLINT, DuckDBTypeId.INTEGER, DuckDBTypeId.UTINYINT, DuckDBTypeId.USMALLINT]);
const FLOAT_IDS = new Set<DuckDBTypeId>([DuckDBTypeId.FLOAT, DuckDBTypeId.DOUBLE, DuckDBTypeId.DECIMAL]);

/**
 * Column type for a DuckDB type. Anything without a direct counterpart (dates, blobs,
 * structs, maps, other lists, HUGEINT) is stored as a string (see jsToValue).
 */
export function columnTypeOf(t: DuckDBType): ColumnType {
  const id = t.typeId;
  if (id === DuckDBTypeId.BOOLEAN) return 'bool';
  if (INT_IDS.has(id)) return 'int64';
  if (FLOAT_IDS.has(id)) return 'float64';
  if (id === DuckDBTypeId.VARCHAR) return 'string';
  if (id === DuckDBTypeId.LIST || id === DuckDBTypeId.ARRAY) {
    const inner = (t as { valueType: DuckDBType }).valueType.typeId;
    if (INT32_IDS.has(inner)) return 'int32[]';
    if (inner === DuckDBTypeId.FLOAT || inner === DuckDBTypeId.DOUBLE) return 'float32[]';
    if (inner === DuckDBTypeId.VARCHAR) return 'string[]';
  }
  return 'string';
}

function jsonReplacer(_k: string, v: unknown): unknown {
  if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? Number(v) : v.toString();
  if (v instanceof Uint8Array) return Buffer.from(v).toString('base64');
  if (v && typeof v === 'object' && (v as { type?: unknown }).type === 'Buffer' && Array.isArray((v as { data?: unknown }).data)) return Buffer.from((v as { data: number[] }).data).toString('base64');
  return v;
}

/** A DuckDB JS value as a column value. BIGINT beyond 2^53 loses precision (JS number). */
export function jsToValue(v: JS, type: ColumnType): Value {
  if (v === null || v === undefined) return null;
  switch (type) {
    case 'int64':
    case 'float64':
      return typeof v === 'bigint' ? Number(v) : (v as number);
    case 'bool':
      return v as boolean;
    case 'int32[]':
    case 'float32[]':
      return (v as JS[]).map((x) => (typeof x === 'bigint' ? Number(x) : (x as number)));
    case 'string[]':
      return v as string[];
    case 'string':
      if (typeof v === 'string') return v;
      if (v instanceof Date) return v.toISOString();
      if (v instanceof Uint8Array) return Buffer.from(v).toString('base64');
      if (typeof v === 'bigint') return v.toString();
      return JSON.stringify(v, jsonReplacer);
  }
}

/**
 * The planned fields of row `row` of a DuckDB chunk (`columns`, as converted by
 * JSDuckDBValueConverter) into `record`; `positions[p]` is plan p's column in the result,
 * undefined when the file lacks it (null). The id plan is the reader's own business.
 */
export function setPlannedFields(record: DataRecord, plans: FieldPlan[], positions: (number | undefined)[], columns: (JS | null)[][], row: number): void {
  for (let p = 0; p < plans.length; p++) {
    const plan = plans[p];
    if (plan.column === 'id') continue;
    const at = positions[p];
    record[plan.column] = at === undefined ? null : jsToValue(columns[at][row], plan.type);
  }
}
