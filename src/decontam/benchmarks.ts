import { ThresherError } from '../core/errors.js';
import type { BenchmarkItem } from './matcher.js';

/**
 * Benchmark files as items: each named field of each row is one item (a list of strings gives
 * one item per element, e.g. MBPP's test lists). The item's `where` names the benchmark, the
 * row (0-based) and the field, which is what an exclusion's detail shows.
 */

export type Row = Record<string, unknown>;

/** Rows of a JSON Lines text, or of a JSON document holding a list of objects. */
export function parseJsonRows(text: string, file: string): Row[] {
  const trimmed = text.replace(/^\uFEFF/, '').trimStart();
  if (trimmed.startsWith('[')) {
    let data: unknown;
    try {
      data = JSON.parse(trimmed);
    } catch (err) {
      throw new ThresherError(`${file}: not valid JSON (${(err as Error).message})`);
    }
    return (data as unknown[]).map((row, i) => asRow(row, file, `item ${i}`));
  }
  const rows: Row[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line === '') continue;
    let row: unknown;
    try {
      row = JSON.parse(line);
    } catch (err) {
      throw new ThresherError(`${file}:${i + 1}: not valid JSON (${(err as Error).message})`);
    }
    rows.push(asRow(row, file, `line ${i + 1}`));
  }
  return rows;
}

function asRow(row: unknown, file: string, where: string): Row {
  if (row === null || typeof row !== 'object' || Array.isArray(row)) throw new ThresherError(`${file}: ${where}: expected a JSON object per benchmark item`);
  return row as Row;
}

/** The items of one benchmark; a field no row has is an error (most likely a typo). */
export function itemsFromRows(rows: readonly Row[], name: string, fields: readonly string[]): { items: BenchmarkItem[]; empty: number } {
  const items: BenchmarkItem[] = [];
  const found = new Set<string>();
  let empty = 0;
  rows.forEach((row, r) => {
    for (const field of fields) {
      const v = row[field];
      if (v !== undefined) found.add(field);
      if (typeof v === 'string') items.push({ text: v, benchmark: name, where: `${name} row ${r} ${field}` });
      else if (Array.isArray(v)) v.forEach((x, k) => (typeof x === 'string' ? items.push({ text: x, benchmark: name, where: `${name} row ${r} ${field}[${k}]` }) : empty++));
      else empty++;
    }
  });
  const missing = fields.filter((f) => !found.has(f));
  if (rows.length > 0 && missing.length > 0) {
    const have = Object.keys(rows[0]).slice(0, 12).join(', ');
    throw new ThresherError(`${name}: no row has field${missing.length > 1 ? 's' : ''} ${missing.join(', ')} (the first row has: ${have})`);
  }
  return { items, empty };
}
