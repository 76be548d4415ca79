/**
 * Runs one statement on a release's sealed DuckDB with bounds: at most `maxRows` rows come back
 * (the rest are not read: the result streams), and a statement still running after `timeoutMs`
 * is interrupted.
 */
import type { DuckDBConnection, DuckDBPreparedStatement, Json } from '@duckdb/node-api';
import { ThresherError } from '../core/errors.js';
import { duckMessage } from '../io/duck.js';
import { prepareReadOnly } from './sql-guard.js';

export interface QueryResult {
  columns: string[];
  rows: Record<string, Json>[];
  /** more rows existed than were returned */
  truncated: boolean;
}

export interface Bounds {
  maxRows: number;
  timeoutMs: number;
}

export const DEFAULT_BOUNDS: Bounds = { maxRows: 10_000, timeoutMs: 60_000 };

/** Hard ceiling whatever the caller asks: a result this size is a file to export, not to print. */
export const MAX_ROWS_CEILING = 1_000_000;

/** Reads up to `bounds.maxRows` rows of a prepared statement (parameters already bound). */
export async function readBounded(connection: DuckDBConnection, prepared: DuckDBPreparedStatement, bounds: Bounds): Promise<QueryResult> {
  const maxRows = Math.min(bounds.maxRows, MAX_ROWS_CEILING);
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    connection.interrupt();
  }, bounds.timeoutMs);
  try {
    const reader = await prepared.streamAndReadUntil(maxRows + 1);
    const rows = reader.getRowObjectsJson();
    return { columns: reader.columnNames(), rows: rows.slice(0, maxRows), truncated: rows.length > maxRows };
  } catch (err) {
    if (timedOut) throw new ThresherError(`query stopped: still running after ${bounds.timeoutMs / 1000} s`);
    throw new ThresherError(`query failed: ${duckMessage(err)}`);
  } finally {
    clearTimeout(timer);
  }
}

/** A user's SQL: checked to be one SELECT, then read with bounds. */
export async function runUserQuery(connection: DuckDBConnection, sql: string, bounds: Bounds = DEFAULT_BOUNDS): Promise<QueryResult> {
  const prepared = await prepareReadOnly(connection, sql);
  try {
    return await readBounded(connection, prepared, bounds);
  } finally {
    prepared.destroySync();
  }
}

/** A statement thresher wrote itself, with its values as parameters. */
export async function runParameterised(connection: DuckDBConnection, sql: string, values: (string | number | boolean | null)[], bounds: Bounds): Promise<QueryResult> {
  const prepared = await connection.prepare(sql);
  try {
    if (values.length) prepared.bind(values);
    return await readBounded(connection, prepared, bounds);
  } finally {
    prepared.destroySync();
  }
}
