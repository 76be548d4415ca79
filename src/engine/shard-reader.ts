import { DuckDBListValue } from '@duckdb/node-api';
import { openDuck } from '../io/duck.js';
import type { DataRecord, Value } from '../core/record.js';
import { InputError } from '../core/errors.js';

function toValue(v: unknown): Value {
  if (v === null || v === undefined) return null;
  if (typeof v === 'bigint') return Number(v);
  if (v instanceof DuckDBListValue) return v.items.map((x) => (typeof x === 'bigint' ? Number(x) : x)) as number[] | string[];
  return v as Value;
}

/**
 * Streams the records of thresher's own Parquet shards in file order, then row order.
 * One DuckDB thread: order is guaranteed and tasks stay one core each.
 */
export async function* readShards(files: string[]): AsyncGenerator<DataRecord> {
  if (files.length === 0) return;
  const duck = await openDuck();
  const connection = duck.connection;
  try {
    const list = files.map((f) => `'${f.replaceAll("'", "''")}'`).join(', ');
    let result;
    try {
      result = await connection.stream(`SELECT * FROM read_parquet([${list}])`);
    } catch (err) {
      throw new InputError(files.length === 1 ? files[0] : `${files[0]} (+${files.length - 1} more)`, String((err as Error).message).split('\n')[0]);
    }
    const names = result.columnNames();
    for (;;) {
      const chunk = await result.fetchChunk();
      if (!chunk || chunk.rowCount === 0) break;
      const columns = chunk.getColumns();
      for (let row = 0; row < chunk.rowCount; row++) {
        const record: Record<string, Value> = {};
        for (let c = 0; c < names.length; c++) record[names[c]] = toValue(columns[c][row]);
        yield record as DataRecord;
      }
    }
  } finally {
    duck.close();
  }
}
