import { appendFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { jsonlPipeline } from '../helpers/pools.js';

/**
 * MetaCLIP metadata for source-code lines: common keywords, so most lines match an entry and
 * the frequent ones (head entries) are sampled down while rare ones (tail) are all kept.
 */
const METADATA = [
  'function',
  'return',
  'const',
  'var',
  'let',
  'if',
  'else',
  'for',
  'new',
  'this',
  'type',
  'string',
  'number',
  'node',
  'true',
  'false',
  'null',
  'undefined',
  'export',
  'import',
  'case',
  'break',
  'throw',
  'interface',
  'the',
  'of',
  'to',
  'is',
  'a',
  '=',
];

/**
 * A pipeline with barriers: exact dedup, then MetaCLIP matching and balancing (steps:
 * segment-0, reduce dedup, segment-1, reduce balance, segment-2). `execution` lines go under
 * `execution:` (indented two spaces), e.g. the executor and its Slurm options.
 */
export function barrierPipeline(dir: string, pool: string, extra: { tasks?: number; execution?: string } = {}): string {
  writeFileSync(path.join(dir, 'metadata.json'), JSON.stringify(METADATA));
  const file = jsonlPipeline(dir, pool, {
    tasks: extra.tasks ?? 4,
    stages: `  - dedup_exact: {}\n  - metaclip_match:\n      metadata: metadata.json\n  - metaclip_balance:\n      t: 400\n`,
  });
  if (extra.execution) appendFileSync(file, extra.execution);
  return file;
}
