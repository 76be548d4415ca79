/** Query results as text: JSON lines, CSV (RFC 4180) or an aligned table for a terminal. */
import type { Json } from '@duckdb/node-api';
import type { QueryResult } from './query.js';

export const OUTPUT_FORMATS = ['jsonl', 'csv', 'table'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

const cellText = (v: Json): string => (v === null ? '' : typeof v === 'string' ? v : JSON.stringify(v));

function csvCell(v: Json): string {
  const s = cellText(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** A table cell on one line, cut to `width` characters. */
function tableCell(v: Json, width: number): string {
  const s = v === null ? 'NULL' : cellText(v).replace(/[\r\n\t]+/g, ' ');
  return s.length > width ? s.slice(0, width - 1) + '…' : s;
}

function table(r: QueryResult, width = 40): string[] {
  const cells = r.rows.map((row) => r.columns.map((c) => tableCell(row[c], width)));
  const widths = r.columns.map((c, i) => Math.max(Math.min(c.length, width), ...cells.map((row) => row[i].length)));
  const line = (values: string[]) =>
    values
      .map((v, i) => v.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  return [line(r.columns.map((c) => tableCell(c, width))), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)];
}

/** The lines before the rows of a streamed jsonl or csv result. */
export function headerLines(columns: string[], format: 'jsonl' | 'csv'): string[] {
  return format === 'csv' ? [columns.map(csvCell).join(',')] : [];
}

/** One line per row of a streamed jsonl or csv result (no trailing newline on each). */
export function rowLines(columns: string[], rows: Record<string, Json>[], format: 'jsonl' | 'csv'): string[] {
  if (format === 'jsonl') return rows.map((row) => JSON.stringify(row));
  return rows.map((row) => columns.map((c) => csvCell(row[c])).join(','));
}

/** The result as lines of text (no trailing newline on each). */
export function formatResult(r: QueryResult, format: OutputFormat): string[] {
  if (format === 'table') return table(r);
  return [...headerLines(r.columns, format), ...rowLines(r.columns, r.rows, format)];
}

/** The format a file name implies, if any. */
export function formatOfFile(file: string): OutputFormat | undefined {
  if (/\.csv$/i.test(file)) return 'csv';
  if (/\.(jsonl|ndjson|json)$/i.test(file)) return 'jsonl';
  if (/\.txt$/i.test(file)) return 'table';
  return undefined;
}
