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
  /** the rows' keys: DuckDB's column names, a repeated name made unique (`a`, `a:1`) */
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

/** Hard ceiling for a result held in memory: a result this size is a file to export, not to print. */
export const MAX_ROWS_CEILING = 1_000_000;

/** Where streamed rows go; the next chunk is read after each call settles. */
export interface RowSink {
  /** once, with the result's columns, before any row (also when no row comes) */
  begin?: (columns: string[]) => void | Promise<void>;
  /** each batch of rows (DuckDB's chunks, up to 2,048 rows) */
  rows: (columns: string[], rows: Record<string, Json>[]) => void | Promise<void>;
}

export interface StreamedResult {
  columns: string[];
  rows: number;
  truncated: boolean;
}

/**
 * Streams up to `maxRows` rows of a prepared statement to `sink`, chunk by chunk, so memory holds
 * one chunk whatever the result's size. The time limit counts DuckDB's work only: a slow reader
 * of the output (a pager) does not use it up.
 */
export async function streamBounded(connection: DuckDBConnection, prepared: DuckDBPreparedStatement, bounds: Bounds, sink: RowSink): Promise<StreamedResult> {
  let spentMs = 0;
  let timedOut = false;
  const timed = async <T>(work: () => Promise<T>): Promise<T> => {
    const started = Date.now();
    const timer = setTimeout(
      () => {
        timedOut = true;
        connection.interrupt();
      },
      Math.max(0, bounds.timeoutMs - spentMs),
    );
    try {
      return await work();
    } finally {
      clearTimeout(timer);
      spentMs += Date.now() - started;
    }
  };
  try {
    const result = await timed(() => prepared.stream());
    const columns = result.deduplicatedColumnNames();
    await sink.begin?.(columns);
    const chunks = result.yieldRowObjectJson();
    const nextRows = async () => {
      const next = await chunks.next();
      return next.done ? undefined : next.value;
    };
    let rows = 0;
    for (;;) {
      const chunk = await timed(nextRows);
      if (!chunk) return { columns, rows, truncated: false };
      const room = bounds.maxRows - rows;
      await sink.rows(columns, chunk.length > room ? chunk.slice(0, room) : chunk);
      rows += Math.min(room, chunk.length);
      if (chunk.length > room) return { columns, rows, truncated: true };
      // the limit reached exactly: one more row read says whether more exist
      if (rows === bounds.maxRows) return { columns, rows, truncated: (await timed(nextRows)) !== undefined };
    }
  } catch (err) {
    if (err instanceof ThresherError) throw err;
    if (timedOut) throw new ThresherError(`query stopped: still running after ${bounds.timeoutMs / 1000} s`);
    throw new ThresherError(`query failed: ${duckMessage(err)}`);
  }
}

/** Reads up to `bounds.maxRows` rows (at most MAX_ROWS_CEILING) of a prepared statement into memory. */
export async function readBounded(connection: DuckDBConnection, prepared: DuckDBPreparedStatement, bounds: Bounds): Promise<QueryResult> {
  const rows: Record<string, Json>[] = [];
  const maxRows = Math.min(bounds.maxRows, MAX_ROWS_CEILING);
  const streamed = await streamBounded(
    connection,
    prepared,
    { ...bounds, maxRows },
    {
      rows: (_, chunk) => {
        for (const row of chunk) rows.push(row);
      },
    },
  );
  return { columns: streamed.columns, rows, truncated: streamed.truncated };
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

/** A user's SQL streamed to `sink` with bounds: no ceiling on rows, since none is held. */
export async function streamUserQuery(connection: DuckDBConnection, sql: string, bounds: Bounds, sink: RowSink): Promise<StreamedResult> {
  const prepared = await prepareReadOnly(connection, sql);
  try {
    return await streamBounded(connection, prepared, bounds, sink);
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
