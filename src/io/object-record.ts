import { contentIdOfText, type ContentIdMode } from '../core/hashing.js';
import type { DataRecord } from '../core/record.js';
import { badInput, excluded } from './common.js';
import { coerce, type FieldPlan } from './fields.js';
import type { BadInputPolicy, ReadItem } from './types.js';

export interface ObjectFields {
  contentField: string;
  idField?: string;
  contentId: ContentIdMode;
}

/**
 * One parsed JSON value at (source, row) → a record, an exclusion, or (under `fail`) an
 * InputError. Shared by the JSONL and JSON-document readers so both treat fields alike.
 */
export function objectToItem(obj: unknown, src: string, row: number, bytes: number, policy: BadInputPolicy, plans: FieldPlan[], f: ObjectFields): ReadItem {
  const bad = (problem: string) => badInput(policy, src, row, 'bad_record', problem, `${src}:${row}`, bytes);
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) return bad('not a JSON object');
  const o = obj as Record<string, unknown>;
  const cf = f.contentField;
  const content = o[cf];
  if (content === null || content === undefined) return excluded(`${src}:${row}`, src, row, 'no_content', bytes, `field "${cf}" is ${content === null ? 'null' : 'missing'}`);
  if (typeof content !== 'string') return bad(`field "${cf}" is not a string`);
  let id: string;
  const idf = f.idField;
  if (idf === undefined) id = `${src}:${row}`;
  else {
    const v = o[idf];
    if (v === null || v === undefined || typeof v === 'object') return bad(`id field "${idf}" is ${v === undefined ? 'missing' : 'not a string or number'}`);
    id = String(v);
  }
  const record: DataRecord = { id, source: src, source_row: row };
  if (f.contentId !== 'none') record.content_id = contentIdOfText(content, f.contentId);
  for (const p of plans) {
    if (p.column === 'id') continue;
    const c = coerce(o[p.field], p.type);
    if ('error' in c) return bad(`field "${p.field}": ${c.error}`);
    record[p.column] = c.value;
  }
  return { record };
}
