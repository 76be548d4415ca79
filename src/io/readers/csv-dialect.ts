import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';
import type { Readable } from 'node:stream';
import { InputError } from '../../core/errors.js';
import type { ColumnType } from '../../core/record.js';
import { sqlString } from '../duck.js';

/** How a CSV file is cut into fields: RFC 4180 quoting (`"`, doubled to escape) unless told otherwise. */
export interface CsvDialect {
  delimiter: string;
  quote: string;
  escape: string;
}

/** Header lines longer than this are not a header (a binary or a one-line file). */
const MAX_HEADER_BYTES = 1 << 20;

/**
 * The delimiter when none is given: tab for `.tsv`/`.tab` names, else tab when the header has
 * tabs and no commas, else comma. Decided from the name and header only, so it cannot change
 * with the rows (DuckDB's sniffer gives up on files with bad rows; this never looks at rows).
 */
export function autoDelimiter(fileName: string, headerLine: string): string {
  if (/\.(tsv|tab)(\.gz)?$/i.test(fileName)) return '\t';
  if (headerLine.includes('\t') && !headerLine.includes(',')) return '\t';
  return ',';
}

/** The first physical line of a (possibly gzipped) file, without BOM and line end. */
export async function firstLine(absPath: string): Promise<string> {
  const raw: Readable = createReadStream(absPath);
  const stream: Readable = /\.gz$/i.test(absPath) ? raw.pipe(createGunzip()) : raw;
  const parts: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      const nl = chunk.indexOf(0x0a);
      parts.push(nl < 0 ? chunk : chunk.subarray(0, nl));
      size += chunk.length;
      if (nl >= 0) break;
      if (size > MAX_HEADER_BYTES) throw new InputError(absPath, `no header line in the first ${MAX_HEADER_BYTES} bytes`);
    }
  } finally {
    raw.destroy();
  }
  return Buffer.concat(parts)
    .toString('utf8')
    .replace(/^\uFEFF/, '')
    .replace(/\r$/, '');
}

/** Splits a header line into names, honouring quotes (a header with a newline inside quotes is not supported). */
export function splitHeader(line: string, d: CsvDialect): string[] {
  const names: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === d.escape && line[i + 1] === d.quote) {
        cur += d.quote;
        i++;
      } else if (ch === d.quote) quoted = false;
      else cur += ch;
    } else if (ch === d.quote) quoted = true;
    else if (ch === d.delimiter) {
      names.push(cur);
      cur = '';
    } else cur += ch;
  }
  names.push(cur);
  return names;
}

const DUCK_TYPES: Partial<Record<ColumnType, string>> = { string: 'VARCHAR', int64: 'BIGINT', float64: 'DOUBLE', bool: 'BOOLEAN' };

/** DuckDB's name for a scalar column type (CSV holds no lists). */
export function duckTypeOf(type: ColumnType): string {
  const t = DUCK_TYPES[type];
  if (t === undefined) throw new Error(`type ${type} cannot be read from CSV (scalars only: string, int64, float64, bool)`);
  return t;
}

/**
 * read_csv's arguments with nothing left to DuckDB's sniffer: the dialect, a header row, and
 * every column named and typed (so a bad row is a rejected row, never a different guess).
 */
export function readCsvArgs(d: CsvDialect, columns: { name: string; type: ColumnType }[]): string {
  const cols = columns.map((c) => `${sqlString(c.name)}: ${sqlString(duckTypeOf(c.type))}`).join(', ');
  return [
    `auto_detect = false`,
    `header = true`,
    `delim = ${sqlString(d.delimiter)}`,
    `quote = ${sqlString(d.quote)}`,
    `escape = ${sqlString(d.escape)}`,
    `strict_mode = true`,
    `columns = {${cols}}`,
  ].join(', ');
}
