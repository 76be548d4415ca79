/**
 * A record is one unit of data (a source file, an image-text pair, a document).
 * Columns are plain JS values so stages stay cheap; the schema says how they are stored.
 */
export type Value = string | number | boolean | null | number[] | string[];

/** Storage types a column can have. int64 values are JS numbers (exact below 2^53). */
export type ColumnType = 'string' | 'int64' | 'float64' | 'bool' | 'int32[]' | 'float32[]' | 'string[]';

export interface ColumnSpec {
  name: string;
  type: ColumnType;
}

export interface DataRecord {
  /** Stable id: given by the input, or derived from where the record came from. */
  id: string;
  [column: string]: Value | undefined;
}

/**
 * Provenance columns every reader fills: `source` is the input file (relative to the input
 * root for directory trees), `source_row` the 0-based row inside it (null for one-file
 * records), `content_id` the Software Heritage content id of the content bytes.
 */
export const PROVENANCE_COLUMNS: ColumnSpec[] = [
  { name: 'id', type: 'string' },
  { name: 'source', type: 'string' },
  { name: 'source_row', type: 'int64' },
  { name: 'content_id', type: 'string' },
];

/** The provenance columns of a reader whose content ids are made in `mode` (none: no column). */
export function provenanceColumns(mode: 'swh' | 'xxh3' | 'none'): ColumnSpec[] {
  return mode === 'none' ? PROVENANCE_COLUMNS.filter((c) => c.name !== 'content_id') : PROVENANCE_COLUMNS;
}

/** A record a stage (or a reader) removed, with why. Never dropped silently. */
export interface Exclusion {
  reason: string;
  /** e.g. the id of the kept duplicate, or the error text for bad input */
  detail?: string;
}

export interface ExcludedRecord extends Exclusion {
  id: string;
  source: string;
  source_row: number | null;
  stage: string;
  bytes: number;
}

/** Merge column lists, later specs replacing earlier ones of the same name, order kept. */
export function mergeColumns(...lists: ColumnSpec[][]): ColumnSpec[] {
  const out: ColumnSpec[] = [];
  const index = new Map<string, number>();
  for (const list of lists) {
    for (const col of list) {
      const at = index.get(col.name);
      if (at === undefined) {
        index.set(col.name, out.length);
        out.push(col);
      } else {
        out[at] = col;
      }
    }
  }
  return out;
}
