/**
 * What the explorer asks of a release, as statements thresher writes itself: column names
 * are checked against the release's schema and quoted, every value a person typed is a bound
 * parameter, every result has a row cap and a time limit.
 */
import type { Json } from '@duckdb/node-api';
import { ThresherError } from '../core/errors.js';
import type { ColumnSpec } from '../core/record.js';
import { sqlIdent } from '../io/duck.js';
import { runParameterised, type Bounds } from './query.js';
import type { OpenRelease } from './release.js';

export const FILTER_OPS = ['=', '!=', '<', '<=', '>', '>=', 'contains', 'starts', 'null', 'not_null'] as const;
export type FilterOp = (typeof FILTER_OPS)[number];

export interface Filter {
  column: string;
  op: FilterOp;
  value?: string;
}

export interface ListRequest {
  filters: Filter[];
  /** words that must all occur in the content (case-insensitive); ranked by occurrences */
  text?: string;
  limit: number;
  offset: number;
}

export interface ListResult {
  columns: string[];
  rows: Record<string, Json>[];
  /** records that match, counted up to `countCap` */
  total: number;
  totalCapped: boolean;
}

/** Limits of one request: the explorer pages through a release, it never dumps it. */
export const LIMITS = { maxPage: 200, maxOffset: 1_000_000, maxFilters: 12, maxValueChars: 1000, maxTerms: 10, snippetChars: 240, recordChars: 1_000_000, countCap: 100_000, timeoutMs: 15_000 };

export class BadRequest extends ThresherError {
  constructor(message: string) {
    super(message);
    this.name = 'BadRequest';
  }
}

const SQL_TYPES: Record<string, string> = { int64: 'BIGINT', float64: 'DOUBLE', bool: 'BOOLEAN', string: 'VARCHAR' };

/** The column's spec, or a 400 naming the columns there are. */
export function columnOf(r: OpenRelease, name: string): ColumnSpec {
  const c = r.schema.find((s) => s.name === name);
  if (!c) throw new BadRequest(`no column ${JSON.stringify(name.slice(0, 100))}`);
  return c;
}

/** One filter as SQL with its values bound (positions from `values.length`). */
function filterSql(r: OpenRelease, f: Filter, values: (string | number | null)[]): string {
  const spec = columnOf(r, f.column);
  const col = sqlIdent(spec.name);
  if (!FILTER_OPS.includes(f.op)) throw new BadRequest(`unknown operator ${JSON.stringify(String(f.op).slice(0, 20))}`);
  if (f.op === 'null') return `${col} IS NULL`;
  if (f.op === 'not_null') return `${col} IS NOT NULL`;
  const value = f.value ?? '';
  if (value.length > LIMITS.maxValueChars) throw new BadRequest(`filter value over ${LIMITS.maxValueChars} characters`);
  values.push(value);
  const p = `$${values.length}`;
  const isList = spec.type.endsWith('[]');
  if (f.op === 'contains') return isList ? `list_contains(${col}::VARCHAR[], ${p})` : `contains(lower(${col}::VARCHAR), lower(${p}))`;
  if (f.op === 'starts') return `starts_with(${col}::VARCHAR, ${p})`;
  if (isList) throw new BadRequest(`${spec.name} is a list: use contains`);
  // a value of the column's own type: numbers compare as numbers
  return `${col} ${f.op} TRY_CAST(${p} AS ${SQL_TYPES[spec.type] ?? 'VARCHAR'})`;
}

function terms(text: string | undefined): string[] {
  const words = (text ?? '')
    .toLowerCase()
    .split(/\s+/)
    .filter((w) => w !== '');
  if (words.length > LIMITS.maxTerms) throw new BadRequest(`at most ${LIMITS.maxTerms} search words`);
  if (words.some((w) => w.length > 100)) throw new BadRequest('a search word over 100 characters');
  return words;
}

/** Columns a list shows: every column but the content, which is cut to a snippet. */
function listColumns(r: OpenRelease): string {
  const content = r.contentColumn;
  const other = r.schema.filter((c) => c.name !== content && !c.type.endsWith('[]')).map((c) => sqlIdent(c.name));
  const snippet = r.schema.some((c) => c.name === content) ? `, left(${sqlIdent(content)}::VARCHAR, ${LIMITS.snippetChars}) AS ${sqlIdent(content)}` : '';
  return other.join(', ') + snippet;
}

function checkPage(req: ListRequest): void {
  if (!Number.isInteger(req.limit) || req.limit < 1 || req.limit > LIMITS.maxPage) throw new BadRequest(`limit must be 1 to ${LIMITS.maxPage}`);
  if (!Number.isInteger(req.offset) || req.offset < 0 || req.offset > LIMITS.maxOffset) throw new BadRequest(`offset must be 0 to ${LIMITS.maxOffset}`);
  if (req.filters.length > LIMITS.maxFilters) throw new BadRequest(`at most ${LIMITS.maxFilters} filters`);
}

/** A page of records that pass every filter (and contain every search word), with their count. */
export async function listRecords(r: OpenRelease, req: ListRequest): Promise<ListResult> {
  checkPage(req);
  const values: (string | number | null)[] = [];
  const where = req.filters.map((f) => filterSql(r, f, values));
  const words = terms(req.text);
  const content = `lower(${sqlIdent(r.contentColumn)}::VARCHAR)`;
  const scores: string[] = [];
  for (const w of words) {
    values.push(w);
    where.push(`contains(${content}, $${values.length})`);
    scores.push(`(length(${content}) - length(replace(${content}, $${values.length}, ''))) // length($${values.length})`);
  }
  const cond = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const order = scores.length ? `ORDER BY (${scores.join(' + ')}) DESC, id` : '';
  const bounds: Bounds = { maxRows: req.limit, timeoutMs: LIMITS.timeoutMs };
  const page = await runParameterised(r.connection, `SELECT ${listColumns(r)} FROM records ${cond} ${order} LIMIT ${req.limit} OFFSET ${req.offset}`, values, bounds);
  const counted = await runParameterised(r.connection, `SELECT count(*)::DOUBLE AS n FROM (SELECT 1 FROM records ${cond} LIMIT ${LIMITS.countCap + 1})`, values, {
    maxRows: 1,
    timeoutMs: LIMITS.timeoutMs,
  });
  const n = Number(counted.rows[0]?.n ?? 0);
  return { columns: page.columns, rows: page.rows, total: Math.min(n, LIMITS.countCap), totalCapped: n > LIMITS.countCap };
}

export interface RecordView {
  record: Record<string, Json>;
  /** the content was longer than the explorer shows */
  contentTruncated: boolean;
  redactions: unknown[];
  licenseEvidence: unknown[];
}

function parseList(v: Json | undefined): unknown[] {
  if (typeof v !== 'string' || v === '') return [];
  try {
    const parsed: unknown = JSON.parse(v);
    return Array.isArray(parsed) ? parsed : [];
  } catch {
    return [];
  }
}

/** One record by id, with its redactions and licence evidence parsed; undefined when there is none. */
export async function getRecord(r: OpenRelease, id: string): Promise<RecordView | undefined> {
  if (id.length > LIMITS.maxValueChars) throw new BadRequest('id too long');
  const content = sqlIdent(r.contentColumn);
  const hasContent = r.schema.some((c) => c.name === r.contentColumn);
  const extra = hasContent ? `, left(${content}::VARCHAR, ${LIMITS.recordChars}) AS _shown, length(${content}::VARCHAR) > ${LIMITS.recordChars} AS _cut` : '';
  const res = await runParameterised(r.connection, `SELECT * EXCLUDE (${content})${extra} FROM records WHERE id::VARCHAR = $1 LIMIT 1`, [id], { maxRows: 1, timeoutMs: LIMITS.timeoutMs });
  const row = res.rows[0];
  if (!row) return undefined;
  const { _shown, _cut, ...rest } = row;
  const record = hasContent ? { ...rest, [r.contentColumn]: _shown } : rest;
  return { record, contentTruncated: _cut === true, redactions: parseList(row.redactions), licenseEvidence: parseList(row.license_evidence) };
}

/** Whether a record with this id is in the release's data. */
export async function hasRecord(r: OpenRelease, id: string): Promise<boolean> {
  const res = await runParameterised(r.connection, 'SELECT 1 FROM records WHERE id::VARCHAR = $1 LIMIT 1', [id], { maxRows: 1, timeoutMs: LIMITS.timeoutMs });
  return res.rows.length > 0;
}

/**
 * A deterministic sample for review: records ordered by md5(seed, id), so the same seed shows
 * the same records whoever opens the page and however the release is sharded.
 */
export async function sampleRecords(r: OpenRelease, n: number, seed: number, labelColumn: string | null): Promise<Record<string, Json>[]> {
  if (!Number.isInteger(n) || n < 1 || n > LIMITS.maxPage) throw new BadRequest(`n must be 1 to ${LIMITS.maxPage}`);
  const names = new Set(r.schema.map((c) => c.name));
  const label = labelColumn ? `, ${sqlIdent(columnOf(r, labelColumn).name)}::VARCHAR AS label` : ', NULL AS label';
  const where = names.has('path') ? 'path' : names.has('source') ? 'source' : 'id';
  const snippet = names.has(r.contentColumn) ? `left(${sqlIdent(r.contentColumn)}::VARCHAR, ${LIMITS.snippetChars * 4})` : 'NULL';
  const sql = `SELECT id::VARCHAR AS id, ${sqlIdent(where)}::VARCHAR AS path${label}, ${snippet} AS snippet FROM records ORDER BY md5($1 || ':' || id::VARCHAR) LIMIT ${n}`;
  return (await runParameterised(r.connection, sql, [String(seed)], { maxRows: n, timeoutMs: LIMITS.timeoutMs })).rows;
}
