import path from 'node:path';
import type { ReleaseResult } from '../release/finalize.js';

function mb(bytes: number): string {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}

/** A few lines a person reads after a run: in, out, why records left, where the release is. */
export function printRunSummary(result: ReleaseResult & { resumed: boolean }, seconds?: number): void {
  const m = result.manifest;
  const read = result.stats.stages.read;
  const where = /^s3:\/\//i.test(result.dir) ? result.dir : path.relative(process.cwd(), result.dir) || '.';
  console.log(`release ${m.version}: ${where}${seconds !== undefined ? ` (${seconds.toFixed(1)} s)` : ''}`);
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

/** Top entries of a counter family (`prefix:<name>`), largest first. */
function top(counters: Record<string, number>, prefix: string, limit = 4): string {
  return Object.entries(counters)
    .filter(([k, v]) => k.startsWith(prefix) && v > 0)
    .sort((a, b) => b[1] - a[1])
    .slice(0, limit)
    .map(([k, v]) => `${k.slice(prefix.length)} ${v}`)
    .join(', ');
}

/** One line per stage: what it removed and why, what it redacted, how it classified. */
export function printStageSummary(result: ReleaseResult): void {
  for (const s of result.manifest.counts.stages) {
    if (s.stage === 'read' || s.stage === 'write') continue;
    const name = s.stage.replace(/^\d+:/, '');
    const removed = s.records_in - s.records_out;
    const parts = [
      removed > 0
        ? `removed ${removed} (${Object.entries(s.excluded)
            .map(([r, n]) => `${r} ${n}`)
            .join(', ')})`
        : 'removed 0',
    ];
    const c = s.counters;
    for (const prefix of ['secrets', 'pii']) {
      if (c[`${prefix}:records`] === undefined) continue;
      parts.push(`redacted ${c[`${prefix}:redacted_records`] ?? 0} files${top(c, `${prefix}:rule:`) ? ` (${top(c, `${prefix}:rule:`)})` : ''}`);
    }
    if (top(c, 'license_class:')) parts.push(`classes: ${top(c, 'license_class:')}`);
    console.log(`  ${name.padEnd(14)} ${parts.join('; ')}`);
  }
}
