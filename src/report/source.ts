import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import type { RunStats } from '../engine/stats.js';
import { contentColumnOf } from '../pipeline/load.js';
import type { Manifest } from '../release/manifest.js';
import type { ReportSource } from './gather.js';
import { REPORT_FILE } from './write.js';

/** What the report of a finished release is made from: its manifest, stats.json and pipeline.yaml. */
export function reportSourceFromRelease(dir: string): ReportSource {
  const m = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as Manifest;
  const stats = JSON.parse(readFileSync(path.join(dir, 'stats.json'), 'utf8')) as RunStats;
  const spec = parse(readFileSync(path.join(dir, m.pipeline.file), 'utf8')) as { input: { type: string; content_field?: unknown } };
  return {
    name: m.name,
    version: m.version,
    ...(m.description ? { description: m.description } : {}),
    thresher_version: m.thresher_version,
    stats,
    files: m.files.map((f) => f.path).filter((f) => f !== REPORT_FILE),
    schema: m.schema,
    contentColumn: contentColumnOf(spec.input),
  };
}
