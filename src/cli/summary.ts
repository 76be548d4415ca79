import path from 'node:path';
import type { ReleaseResult } from '../release/finalize.js';

function mb(bytes: number): string {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}

/** A few lines a person reads after a run: in, out, why records left, where the release is. */
export function printRunSummary(result: ReleaseResult & { resumed: boolean }, seconds?: number): void {
  const m = result.manifest;
  const read = result.stats.stages.read;
  console.log(`release ${m.version}: ${path.relative(process.cwd(), result.dir) || '.'}${seconds !== undefined ? ` (${seconds.toFixed(1)} s)` : ''}`);
  const unit = m.input.type === 'directory' ? 'files' : 'records';
  console.log(`${unit} in: ${m.counts.input_records} (${mb(read?.bytes_in ?? m.input.bytes)}); out: ${m.counts.output_records} (${mb(m.counts.output_bytes)})`);
  const reasons = Object.entries(m.counts.excluded).sort((a, b) => b[1] - a[1]);
  if (reasons.length) console.log(`excluded: ${reasons.map(([r, n]) => `${r} ${n}`).join(', ')}`);
  const damaged = read?.counters.damaged_inputs ?? 0;
  if (damaged > 0) {
    console.log(
      `warning: ${damaged} input file${damaged > 1 ? 's' : ''} ended early (truncated, corrupt or unreadable): records after each damage point are lost and not in these counts; see excluded/ for where`,
    );
  }
  if (m.counts.stages.some((s) => s.stage.endsWith(':dedup_exact'))) console.log(`duplicates removed: ${m.counts.excluded.duplicate ?? 0}`);
  if (m.counts.stages.some((s) => s.stage.endsWith(':near_dedup'))) console.log(`near-duplicates removed: ${m.counts.excluded.near_duplicate ?? 0}`);
}
