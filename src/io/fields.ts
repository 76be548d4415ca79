import { z } from 'zod';
import { PROVENANCE_COLUMNS, provenanceColumns, type ColumnSpec, type ColumnType, type Value } from '../core/record.js';
import type { ContentIdMode } from '../core/hashing.js';

export const columnTypeSchema = z.enum(['string', 'int64', 'float64', 'bool', 'int32[]', 'float32[]', 'string[]']);
export const columnSpecSchema = z.strictObject({ name: z.string().min(1), type: columnTypeSchema });

const PROVENANCE_NAMES = new Set(PROVENANCE_COLUMNS.map((c) => c.name));

/**
 * Input fields whose names collide with provenance columns (`source`, `source_row`,
 * `content_id`, and `id` unless it is the idField) are kept under `input_<name>`.
 */
export function columnNameFor(field: string, idField: string | undefined): string {
  if (PROVENANCE_NAMES.has(field) && !(field === 'id' && idField === 'id')) return `input_${field}`;
  return field;
}

type Kind = 'int' | 'float' | 'bool' | 'string' | 'json';

/** Infers column types from sample objects: numbers, strings, booleans; nested values become JSON strings. */
export class FieldInference {
  private readonly kinds = new Map<string, Set<Kind>>();

  add(obj: Record<string, unknown>): void {
    for (const [k, v] of Object.entries(obj)) {
      let set = this.kinds.get(k);
      if (!set) {
        set = new Set();
        this.kinds.set(k, set);
      }
      if (v === null || v === undefined) continue;
      if (typeof v === 'number') set.add(Number.isSafeInteger(v) ? 'int' : 'float');
      else if (typeof v === 'boolean') set.add('bool');
      else if (typeof v === 'string') set.add('string');
      else set.add('json');
    }
  }

  /** Field name → type, in first-seen order. */
  result(contentField: string): { field: string; type: ColumnType }[] {
    const out: { field: string; type: ColumnType }[] = [];
    for (const [field, set] of this.kinds) {
      let type: ColumnType = 'string';
      if (field !== contentField && set.size > 0) {
        if ([...set].every((k) => k === 'int')) type = 'int64';
        else if ([...set].every((k) => k === 'int' || k === 'float')) type = 'float64';
        else if ([...set].every((k) => k === 'bool')) type = 'bool';
      }
      out.push({ field, type });
    }
    return out;
  }
}

function show(v: unknown): string {
  let s: string;
  try {
    s = typeof v === 'string' ? JSON.stringify(v) : (JSON.stringify(v) ?? String(v));
  } catch {
    s = String(v);
  }
  return s.length > 40 ? `${s.slice(0, 40)}…` : s;
}

/**
 * Converts a parsed JSON value to a column value; returns an error text on a type mismatch.
 * `string` columns take anything (non-strings as JSON text).
 */
export function coerce(v: unknown, type: ColumnType): { value: Value } | { error: string } {
  if (v === null || v === undefined) return { value: null };
  switch (type) {
    case 'string':
      return { value: typeof v === 'string' ? v : JSON.stringify(v) };
    case 'int64':
      if (typeof v === 'number' && Number.isSafeInteger(v)) return { value: v };
      break;
    case 'float64':
      if (typeof v === 'number') return { value: v };
      break;
    case 'bool':
      if (typeof v === 'boolean') return { value: v };
      break;
    case 'string[]':
      if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return { value: v as string[] };
      break;
    case 'int32[]':
      if (Array.isArray(v) && v.every((x) => typeof x === 'number' && Number.isInteger(x) && x >= -2147483648 && x <= 2147483647)) return { value: v as number[] };
      break;
    case 'float32[]':
      if (Array.isArray(v) && v.every((x) => typeof x === 'number')) return { value: v as number[] };
      break;
  }
  return { error: `expected ${type}, got ${show(v)}` };
}

/** Field → column mapping a JSON-ish reader applies to every row. */
export interface FieldPlan {
  field: string;
  column: string;
  type: ColumnType;
}

export function planColumns(fields: { field: string; type: ColumnType }[], contentField: string, idField: string | undefined): FieldPlan[] {
  const plans: FieldPlan[] = fields.map((f) => ({
    field: f.field,
    column: columnNameFor(f.field, idField),
    type: f.field === contentField ? 'string' : f.type,
  }));
  if (!plans.some((p) => p.field === contentField)) plans.unshift({ field: contentField, column: columnNameFor(contentField, idField), type: 'string' });
  const seen = new Set<string>(PROVENANCE_NAMES);
  for (const p of plans) {
    if (p.column === 'id') continue;
    if (seen.has(p.column)) throw new Error(`column "${p.column}" appears twice (field "${p.field}")`);
    seen.add(p.column);
  }
  return plans;
}

export function columnsOf(plans: FieldPlan[], contentId: ContentIdMode = 'swh'): ColumnSpec[] {
  return [...provenanceColumns(contentId), ...plans.filter((p) => p.column !== 'id').map((p) => ({ name: p.column, type: p.type }))];
}
