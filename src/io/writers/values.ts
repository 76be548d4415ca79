import { ThresherError } from '../../core/errors.js';
import type { ColumnSpec, DataRecord } from '../../core/record.js';

/** A record's value does not fit its column: a bug in the stage that produced it. */
export function typeMismatch(record: DataRecord, col: ColumnSpec, v: unknown): ThresherError {
  let shown: string;
  try {
    shown = JSON.stringify(v) ?? String(v);
  } catch {
    shown = String(v);
  }
  if (shown.length > 60) shown = `${shown.slice(0, 60)}…`;
  return new ThresherError(`record ${record.id}: column "${col.name}" (${col.type}) cannot hold ${shown}`);
}

/** Approximate uncompressed bytes of a value (strings by UTF-8 length), for shard size limits. */
export function valueBytes(v: unknown): number {
  if (v === null || v === undefined) return 0;
  if (typeof v === 'string') return Buffer.byteLength(v, 'utf8');
  if (Array.isArray(v)) {
    let n = 0;
    for (const x of v) n += typeof x === 'string' ? Buffer.byteLength(x, 'utf8') : 8;
    return n;
  }
  return 8;
}
