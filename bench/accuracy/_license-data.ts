/**
 * Labelled licence cases for bench/accuracy/license.ts, read from ../shared/ (never shipped):
 * licensee's fixtures (a folder per case, the expected licence of the project in fixtures.yml)
 * and ScanCode's licence tests (a file per case, `FILE.yml` lists its licence expressions in
 * ScanCode keys, mapped to SPDX through scancode-key-to-spdx.tsv).
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { conjunction, normalizeExpression, parseExpression, licensesOf } from '../../src/licenses/expression.js';
import { sharedPath } from '../../test/helpers/shared.js';

export type Split = 'tuning' | 'held_out';

/** Deterministic split by a hash of the case name: about half of the cases are held out. */
export function splitOf(name: string): Split {
  return createHash('sha256').update(name).digest()[0] < 128 ? 'held_out' : 'tuning';
}

export interface FolderCase {
  name: string;
  dir: string;
  /** Expected SPDX expression; null: no licence; undefined: licensee's `other` (not a listed licence). */
  expected: string | null | undefined;
}

export interface FileCase {
  name: string;
  file: string;
  expected: string;
  single: boolean;
}

export const LICENSEE_DIR = sharedPath('data', 'code', 'licensee-fixtures', 'spec', 'fixtures');
export const SCANCODE_DIR = sharedPath('data', 'code', 'scancode-license-tests');

/** licensee keys → SPDX through its own detect.json (`mit` → `MIT`), deprecated ids upgraded. */
export function licenseeCases(): FolderCase[] {
  const fixtures = parseYaml(readFileSync(path.join(LICENSEE_DIR, 'fixtures.yml'), 'utf8')) as Record<string, { key: string | null }>;
  const detect = JSON.parse(readFileSync(path.join(LICENSEE_DIR, 'detect.json'), 'utf8')) as { licenses: { key: string; spdx_id: string }[] };
  const spdxOf = new Map(detect.licenses.map((l) => [l.key, l.spdx_id]));
  return Object.entries(fixtures).map(([name, { key }]) => {
    let expected: string | null | undefined;
    if (!key || key === 'no-license') expected = null;
    else if (key === 'other') expected = undefined;
    else expected = normalizeExpression(spdxOf.get(key) ?? key);
    return { name, dir: path.join(LICENSEE_DIR, name), expected };
  });
}

/** ScanCode key → SPDX id; keys with only a `LicenseRef-scancode-…` have none. */
function scancodeToSpdx(): Map<string, string | null> {
  const rows = readFileSync(sharedPath('data', 'code', 'scancode-key-to-spdx.tsv'), 'utf8')
    .split('\n')
    .slice(1);
  const out = new Map<string, string | null>();
  for (const row of rows) {
    const [key, spdx] = row.split('\t');
    if (key) out.set(key, spdx && !spdx.startsWith('LicenseRef-') ? spdx : null);
  }
  return out;
}

function listCases(dir: string, out: string[]): void {
  for (const name of readdirSync(dir).sort()) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) listCases(p, out);
    else if (name.endsWith('.yml')) out.push(p.slice(0, -'.yml'.length));
  }
}

/** The ScanCode cases whose every key has an SPDX id, and how many were skipped. */
export function scancodeCases(): { cases: FileCase[]; skipped: number; skippedKeys: Record<string, number> } {
  const toSpdx = scancodeToSpdx();
  const files: string[] = [];
  listCases(SCANCODE_DIR, files);
  const cases: FileCase[] = [];
  const skippedKeys: Record<string, number> = {};
  let skipped = 0;
  for (const file of files) {
    const doc = (parseYaml(readFileSync(`${file}.yml`, 'utf8')) ?? {}) as { license_expressions?: string[] };
    const expressions = doc.license_expressions ?? [];
    const missing = new Set<string>();
    const spdx = expressions.map((e) =>
      e.replace(/[a-z0-9][a-z0-9.+_-]*/gi, (k) => {
        if (/^(and|or|with)$/i.test(k)) return k.toUpperCase();
        const id = toSpdx.get(k.toLowerCase());
        if (!id) missing.add(k);
        return id ?? k;
      }),
    );
    if (expressions.length === 0 || missing.size > 0) {
      skipped++;
      for (const k of missing) skippedKeys[k] = (skippedKeys[k] ?? 0) + 1;
      continue;
    }
    const expected = conjunction(spdx.map((e) => normalizeExpression(e) ?? e))!;
    const node = parseExpression(expected);
    const single = node !== null && 'license' in node && !node.exception && licensesOf(node).length === 1;
    cases.push({ name: path.relative(SCANCODE_DIR, file), file, expected, single });
  }
  return { cases, skipped, skippedKeys };
}

/** Every file under `dir`, relative paths, sorted. */
export function filesUnder(dir: string, rel = ''): string[] {
  const out: string[] = [];
  for (const name of readdirSync(path.join(dir, rel)).sort()) {
    const r = rel ? `${rel}/${name}` : name;
    if (statSync(path.join(dir, r)).isDirectory()) out.push(...filesUnder(dir, r));
    else out.push(r);
  }
  return out;
}
