/**
 * A user's row filter (`--where`), checked to be exactly that: the statement
 * `SELECT * FROM records WHERE (<filter>)` must parse, by DuckDB's own parser, into one plain
 * SELECT of every column of `records` and nothing else. A filter that closes its parenthesis
 * to append a UNION, an ORDER BY or a LIMIT is refused, so an export holds a subset of its
 * parent's records, unchanged and in order.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { duckMessage } from '../io/duck.js';
import { MAX_SQL_CHARS, QueryRefused } from './sql-guard.js';

interface SelectNode {
  type: string;
  modifiers: unknown[];
  cte_map: { map: unknown[] };
  select_list: { type: string }[];
  from_table: { type: string; table_name?: string; schema_name?: string; catalog_name?: string };
  group_expressions: unknown[];
  having: unknown;
  sample: unknown;
  qualify: unknown;
  where_clause: unknown;
}

/** The statement that applies `where` to the records view (newlines: a `--` comment in it ends there). */
export function filterStatement(where: string, from = 'records'): string {
  return `SELECT * FROM ${from} WHERE (\n${where}\n)`;
}

function plainFilter(n: SelectNode | undefined): boolean {
  if (!n || n.type !== 'SELECT_NODE') return false;
  const from = n.from_table;
  return (
    n.modifiers.length === 0 &&
    n.cte_map.map.length === 0 &&
    n.select_list.length === 1 &&
    n.select_list[0].type === 'STAR' &&
    from?.type === 'BASE_TABLE' &&
    from.table_name === 'records' &&
    !from.schema_name &&
    !from.catalog_name &&
    n.group_expressions.length === 0 &&
    n.having === null &&
    n.sample === null &&
    n.qualify === null &&
    n.where_clause !== null
  );
}

/** Refuses anything but a row filter over `records`, naming what is wrong. */
export async function checkFilter(connection: DuckDBConnection, where: string): Promise<void> {
  if (where.trim() === '') throw new QueryRefused('--where is empty');
  if (where.length > MAX_SQL_CHARS) throw new QueryRefused(`--where refused: ${where.length} characters, at most ${MAX_SQL_CHARS}`);
  const reader = await connection.runAndReadAll('SELECT json_serialize_sql($1::VARCHAR)', [filterStatement(where)]);
  const tree = JSON.parse(String(reader.getRows()[0][0])) as { error: boolean; error_message?: string; statements?: { node: SelectNode }[] };
  if (tree.error) throw new QueryRefused(`--where does not parse: ${tree.error_message ?? 'syntax error'}`);
  if (tree.statements?.length !== 1 || !plainFilter(tree.statements[0].node)) {
    throw new QueryRefused('--where refused: it must be one condition on the columns of a record (it may use subqueries), not a change to the query around it');
  }
  // binding catches unknown columns and type errors before anything is written
  try {
    const prepared = await connection.prepare(`${filterStatement(where)} LIMIT 0`);
    prepared.destroySync();
  } catch (err) {
    throw new QueryRefused(`--where: ${duckMessage(err)}`);
  }
}
