/**
 * What `thresher query` accepts from a user: one read-only statement (SELECT, or WITH … SELECT,
 * as DuckDB's own parser classifies it). Everything else is refused before it runs; the sealed
 * instance (release.ts) is the second wall, so a SELECT cannot reach a file outside the release.
 */
import { StatementType, type DuckDBConnection, type DuckDBPreparedStatement } from '@duckdb/node-api';
import { ThresherError } from '../core/errors.js';
import { duckMessage } from '../io/duck.js';

/** Longer SQL than this is refused unread: a query over a release's columns is never this long. */
export const MAX_SQL_CHARS = 20_000;

export class QueryRefused extends ThresherError {
  constructor(message: string) {
    super(message);
    this.name = 'QueryRefused';
  }
}

const TYPE_NAMES: Record<number, string> = Object.fromEntries(Object.entries(StatementType).map(([k, v]) => [v as number, k]));

/** First word of the statement, past comments: names the kind of a refused one. */
function leadingKeyword(sql: string): string {
  const bare = sql.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/--[^\n]*/g, ' ');
  return (/[A-Za-z]+/.exec(bare)?.[0] ?? 'other').toUpperCase();
}

/**
 * Refuses a statement that is not a SELECT before it is bound (binding a DELETE or COPY would
 * already touch the catalog or the file system): DuckDB's parser serialises SELECTs only.
 */
async function refuseNonSelect(connection: DuckDBConnection, sql: string): Promise<void> {
  const reader = await connection.runAndReadAll('SELECT json_serialize_sql($1::VARCHAR)', [sql]);
  const tree = JSON.parse(String(reader.getRows()[0][0])) as { error: boolean; error_message?: string };
  if (!tree.error) return;
  if (/only select statements/i.test(tree.error_message ?? '')) {
    const kind = leadingKeyword(sql);
    throw new QueryRefused(`query refused: ${/^[AEIOU]/.test(kind) ? 'an' : 'a'} ${kind} statement; only SELECT (or WITH … SELECT) over the release's views runs here`);
  }
  throw new QueryRefused(`query does not parse: ${tree.error_message ?? 'syntax error'}`);
}

/** The statement, parsed and prepared, once it is known to be a single SELECT; else a one-line refusal. */
export async function prepareReadOnly(connection: DuckDBConnection, sql: string): Promise<DuckDBPreparedStatement> {
  if (sql.length > MAX_SQL_CHARS) throw new QueryRefused(`query refused: ${sql.length} characters, at most ${MAX_SQL_CHARS}`);
  if (sql.trim() === '') throw new QueryRefused('query refused: empty');
  let statements;
  try {
    statements = await connection.extractStatements(sql);
  } catch (err) {
    throw new QueryRefused(`query does not parse: ${duckMessage(err)}`);
  }
  if (statements.count !== 1) throw new QueryRefused(`query refused: ${statements.count} statements; give one SELECT`);
  await refuseNonSelect(connection, sql);
  let prepared: DuckDBPreparedStatement;
  try {
    prepared = await statements.prepare(0);
  } catch (err) {
    throw new QueryRefused(`query failed: ${duckMessage(err)}`);
  }
  // the parser said SELECT; the planner must agree
  if (prepared.statementType !== StatementType.SELECT) {
    const kind = TYPE_NAMES[prepared.statementType] ?? 'other';
    prepared.destroySync();
    throw new QueryRefused(`query refused: a ${kind} statement; only SELECT (or WITH … SELECT) over the release's views runs here`);
  }
  return prepared;
}
