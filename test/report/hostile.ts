import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { thresher } from '../helpers/cli.js';

/** Record ids and column values that would run script if the report put them into its HTML as they are. */
export const HOSTILE = {
  keptId: '<img src=x onerror=alert(1)>',
  removedId: '<script>alert(2)</script>',
  language: '<svg onload=alert(3)>',
  quoteId: `q"' onmouseover="alert(4)`,
};

/**
 * A release of a small JSONL pool whose ids and `language` values are HTML: exact dedup removes
 * two records, so hostile ids appear in the report as excluded examples (id and detail) and a
 * hostile value in the languages plot. Returns the release folder.
 */
export function hostileRelease(dir: string): string {
  const pool = path.join(dir, 'pool.jsonl');
  const rows = [
    { id: HOSTILE.keptId, text: 'the same words', language: HOSTILE.language },
    { id: HOSTILE.removedId, text: 'the same words', language: 'en' },
    { id: 'plain', text: 'other words', language: 'en' },
    { id: HOSTILE.quoteId, text: 'other words', language: 'en' },
  ];
  writeFileSync(pool, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
  const pipeline = path.join(dir, 'hostile.yaml');
  writeFileSync(pipeline, `name: hostile\ninput:\n  type: jsonl\n  path: pool.jsonl\n  id_field: id\nstages:\n  - dedup_exact:\n      key: text\noutput:\n  path: hostile\nexecution:\n  tasks: 1\n`);
  const run = thresher(['run', pipeline, '-q']);
  if (run.status !== 0) throw new Error(`hostile run failed: ${run.stderr}`);
  return path.join(dir, 'hostile', 'v1');
}
