import type { Finding } from './redact.js';

/**
 * The `redactions` column: a JSON array (as a string) of findings, one object per redaction,
 * `{"type","rule","start","end","line","original_length"}`, sorted by `start`. Offsets are
 * UTF-16 code units in the redacted content and cover the placeholder; `line` is 1-based in
 * the redacted content; `original_length` is the length of the value replaced (the value
 * itself is never recorded). A record the stage saw with nothing to redact gets `[]`; null
 * means no redaction stage has looked at it. Every redaction stage reads the column and
 * appends to it, so `secrets` then `pii` (or the reverse) give one merged list.
 */
export const REDACTIONS_COLUMN = 'redactions';

export function parseRedactions(value: unknown): Finding[] {
  if (typeof value !== 'string' || value === '') return [];
  const parsed: unknown = JSON.parse(value);
  if (!Array.isArray(parsed)) throw new Error(`${REDACTIONS_COLUMN}: expected a JSON array, got ${value.slice(0, 40)}`);
  return parsed as Finding[];
}

export function formatRedactions(findings: readonly Finding[]): string {
  return JSON.stringify(findings.map((f) => ({ type: f.type, rule: f.rule, start: f.start, end: f.end, line: f.line, original_length: f.original_length })));
}
