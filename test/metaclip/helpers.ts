/** Shared helpers for the MetaCLIP tests (not a test file itself). */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { paddedKey, type PaddingRule } from '../../src/metaclip/automaton.js';
import { spacing } from '../../src/metaclip/spacing.js';
import { sharedPath } from '../helpers/shared.js';

/** MetaCLIP data in ../shared/ (tests reading it take `needsShared`). */
export const metaclipData = sharedPath('data', 'metaclip');

export function readJsonGz<T>(file: string): T {
  return JSON.parse(gunzipSync(readFileSync(file)).toString('utf8')) as T;
}

export function readJsonlGz<T>(file: string): T[] {
  const out: T[] = [];
  for (const line of gunzipSync(readFileSync(file)).toString('utf8').split('\n')) if (line) out.push(JSON.parse(line) as T);
  return out;
}

export interface ReferenceRow {
  id: string | number;
  text: string;
  matches: number[];
}

export function referenceRows(): ReferenceRow[] {
  const dir = path.join(metaclipData, 'reference');
  return [...readJsonlGz<ReferenceRow>(path.join(dir, 'coco-captions-val2017.matches.jsonl.gz')), ...readJsonlGz<ReferenceRow>(path.join(dir, 'web-alt-text-10k.matches.jsonl.gz'))];
}

/** The reference loop: every entry, substring test on the spaced text. */
/** Python's whitespace (str.isspace), for MetaCLIP 2's `text.strip()` before spacing. */
const PYTHON_SPACE = new Set([
  0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x1c, 0x1d, 0x1e, 0x1f, 0x20, 0x85, 0xa0, 0x1680, 0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200a, 0x2028, 0x2029, 0x202f,
  0x205f, 0x3000,
]);

function stripAsPython(text: string): string {
  const chars = [...text];
  while (chars.length > 0 && PYTHON_SPACE.has(chars[0].codePointAt(0)!)) chars.shift();
  while (chars.length > 0 && PYTHON_SPACE.has(chars[chars.length - 1].codePointAt(0)!)) chars.pop();
  return chars.join('');
}

export function naiveMatch(entries: readonly string[], text: string, padding: PaddingRule = 'metaclip1'): number[] {
  const spaced = spacing(padding === 'metaclip2' ? stripAsPython(text) : text);
  const out: number[] = [];
  entries.forEach((e, i) => {
    if (spaced.includes(paddedKey(e, padding))) out.push(i);
  });
  return out;
}

/** Small seeded PRNG for generated test data (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
