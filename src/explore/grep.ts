/**
 * `thresher grep`: lines of a release's content that match a regular expression, with a match
 * budget. The expression is RE2 (DuckDB's regexp_matches), which runs in time linear in the
 * text, so no pattern can hang the scan; it is passed as a parameter, never spliced into SQL.
 */
import { ThresherError } from '../core/errors.js';
import { sqlIdent } from '../io/duck.js';
import { runParameterised, type Bounds } from './query.js';
import type { OpenRelease } from './release.js';

export interface GrepOptions {
  /** column to search; default: the release's content column */
  column?: string;
  ignoreCase?: boolean;
  /** matching lines to return at most */
  maxMatches: number;
  /** characters of a line to keep */
  lineChars?: number;
  timeoutMs?: number;
}

export interface GrepMatch {
  id: string;
  /** the record's path (or source, for records without one) */
  path: string;
  line: number;
  text: string;
}

export const MAX_PATTERN_CHARS = 1000;

/** A column the release has, or a message listing those it has. */
export function checkColumn(release: OpenRelease, column: string): string {
  if (!release.schema.some((c) => c.name === column)) throw new ThresherError(`${release.dir}: no column "${column}" (columns: ${release.schema.map((c) => c.name).join(', ')})`);
  return column;
}

export async function grepRelease(release: OpenRelease, pattern: string, options: GrepOptions): Promise<{ matches: GrepMatch[]; truncated: boolean }> {
  if (pattern === '' || pattern.length > MAX_PATTERN_CHARS) throw new ThresherError(`grep: the pattern must have 1 to ${MAX_PATTERN_CHARS} characters`);
  const column = sqlIdent(checkColumn(release, options.column ?? release.contentColumn));
  const names = new Set(release.schema.map((c) => c.name));
  const where = sqlIdent(names.has('path') ? 'path' : names.has('source') ? 'source' : 'id');
  const flags = options.ignoreCase ? 'i' : 'c';
  // records first (one regexp over the whole text), then the lines of the records that match
  const sql = `WITH hits AS (SELECT id::VARCHAR AS id, ${where}::VARCHAR AS p, string_split(${column}::VARCHAR, chr(10)) AS lines FROM records WHERE regexp_matches(${column}::VARCHAR, $1, $2)),
  numbered AS (SELECT id, p, unnest(lines) AS text, generate_subscripts(lines, 1) AS line FROM hits)
SELECT id, p, line, text FROM numbered WHERE regexp_matches(text, $1, $2)`;
  const bounds: Bounds = { maxRows: options.maxMatches, timeoutMs: options.timeoutMs ?? 120_000 };
  const r = await runParameterised(release.connection, sql, [pattern, flags], bounds).catch((err: Error) => {
    throw new ThresherError(`grep ${JSON.stringify(pattern)}: ${err.message.replace(/^query failed: /, '')}`);
  });
  const cut = options.lineChars ?? 300;
  const matches = r.rows.map((row) => {
    const text = String(row.text ?? '').replace(/\r$/, '');
    return { id: String(row.id), path: String(row.p ?? ''), line: Number(row.line), text: text.length > cut ? text.slice(0, cut - 1) + '…' : text };
  });
  return { matches, truncated: r.truncated };
}
