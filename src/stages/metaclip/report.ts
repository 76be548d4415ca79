import path from 'node:path';
import { ensureDir, writeFileAtomic } from '../../core/fs.js';
import { openWriter } from '../../io/open.js';
import { layoutEntries, metadataLayout } from './matcher-cache.js';

export interface BalanceSummary {
  mode: 'text' | 'image';
  t: number;
  texts: number;
  matched_texts: number;
  unmatched_texts: number;
  matched_share: number;
  entries_matched: number;
  entries_over_t: number;
  /** Σ_{count<t} count / Σ count: the share of matches held by tail entries */
  tail_share: number;
  /** Σ over texts of the keep probability (text mode) */
  expected_kept: number | null;
  kept: number;
  balanced_out: number;
  not_chosen: number;
  /** MetaCLIP 2: per-language thresholds with equal tail share */
  t_by_language?: Record<string, { t: number; tail_share: number }>;
  /** per-language metadata: matched and kept texts per metadata language (`other` included) */
  by_language?: Record<string, { matched: number; kept: number }>;
}

/** MetaCLIP's `entry_counts` format: a JSON object entry → count, entries with count 0 left out. */
function entryCountsJson(counts: Uint32Array, names: string[] | null): string {
  const obj: Record<string, number> = {};
  for (let e = 0; e < counts.length; e++) if (counts[e] > 0) obj[names ? (names[e] ?? String(e)) : String(e)] = counts[e];
  return JSON.stringify(obj);
}

/** Entry counts sorted descending, sampled at log-spaced ranks: the curve of the paper's figure. */
function rankCurve(counts: Uint32Array): [number, number][] {
  const sorted = Array.from(counts)
    .filter((c) => c > 0)
    .sort((a, b) => b - a);
  const points: [number, number][] = [];
  let last = -1;
  for (let k = 0; k <= 400; k++) {
    const rank = Math.min(sorted.length, Math.max(1, Math.round(Math.pow(sorted.length, k / 400))));
    if (rank === last) continue;
    last = rank;
    points.push([rank, sorted[rank - 1]]);
  }
  return points;
}

/** A log-log plot of entry count against entry rank, before and after balancing, with t. */
export function entryCountsSvg(before: Uint32Array, after: Uint32Array, t: number): string {
  const W = 640;
  const H = 400;
  const m = { l: 64, r: 16, t: 28, b: 48 };
  const b = rankCurve(before);
  const a = rankCurve(after);
  const maxRank = Math.max(2, b.length ? b[b.length - 1][0] : 2);
  const maxCount = Math.max(2, b.length ? b[0][1] : 2, t);
  const x = (r: number) => m.l + (Math.log10(r) / Math.log10(maxRank)) * (W - m.l - m.r);
  const y = (c: number) => H - m.b - (Math.log10(Math.max(c, 1)) / Math.log10(maxCount)) * (H - m.t - m.b);
  const line = (pts: [number, number][]) => pts.map(([r, c], i) => `${i ? 'L' : 'M'}${x(r).toFixed(1)},${y(c).toFixed(1)}`).join('');
  const ticks: string[] = [];
  for (let p = 0; Math.pow(10, p) <= maxCount; p++)
    ticks.push(`<text x="${m.l - 6}" y="${y(10 ** p) + 4}" text-anchor="end">1e${p}</text><line x1="${m.l}" x2="${W - m.r}" y1="${y(10 ** p)}" y2="${y(10 ** p)}" stroke="#eee"/>`);
  for (let p = 0; Math.pow(10, p) <= maxRank; p++) ticks.push(`<text x="${x(10 ** p)}" y="${H - m.b + 16}" text-anchor="middle">1e${p}</text>`);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif" font-size="11">
<rect width="100%" height="100%" fill="white"/>
<text x="${W / 2}" y="16" text-anchor="middle" font-size="13">Entry counts before and after balancing (t = ${t})</text>
${ticks.join('\n')}
<line x1="${m.l}" x2="${W - m.r}" y1="${y(t)}" y2="${y(t)}" stroke="#999" stroke-dasharray="4 3"/>
<path d="${line(b)}" fill="none" stroke="#1f77b4" stroke-width="2"/>
<path d="${line(a)}" fill="none" stroke="#d62728" stroke-width="2"/>
<text x="${W - m.r - 4}" y="${m.t + 12}" text-anchor="end" fill="#1f77b4">before (pool)</text>
<text x="${W - m.r - 4}" y="${m.t + 26}" text-anchor="end" fill="#d62728">after (curated)</text>
<text x="${W / 2}" y="${H - 10}" text-anchor="middle">entry rank (by count, log)</text>
<text x="14" y="${H / 2}" text-anchor="middle" transform="rotate(-90 14 ${H / 2})">texts matching the entry (log)</text>
</svg>
`;
}

/** Writes entry counts (MetaCLIP JSON and a Parquet column file), the summary, the plot and a report page. */
export async function writeBalanceReport(
  dir: string,
  summary: BalanceSummary,
  before: Uint32Array,
  after: Uint32Array,
  metadata: string | Record<string, string> | undefined,
  baseDir: string,
): Promise<void> {
  ensureDir(dir);
  const names = metadata ? layoutEntries(metadataLayout(metadata, baseDir)) : null;
  writeFileAtomic(path.join(dir, 'entry_counts.json'), entryCountsJson(before, names));
  writeFileAtomic(path.join(dir, 'entry_counts_after.json'), entryCountsJson(after, names));
  const writer = openWriter(
    { type: 'parquet' },
    [
      { name: 'entry_id', type: 'int64' },
      { name: 'entry', type: 'string' },
      { name: 'count', type: 'int64' },
      { name: 'count_after', type: 'int64' },
    ],
    () => path.join(dir, 'entry_counts.parquet'),
  );
  for (let e = 0; e < before.length; e++) {
    if (before[e] === 0) continue;
    await writer.write({ id: String(e), entry_id: e, entry: names ? (names[e] ?? null) : null, count: before[e], count_after: after[e] ?? 0 });
  }
  await writer.close();
  writeFileAtomic(path.join(dir, 'summary.json'), JSON.stringify(summary, null, 1) + '\n');
  const svg = entryCountsSvg(before, after, summary.t);
  writeFileAtomic(path.join(dir, 'entry-counts.svg'), svg);
  const rows = Object.entries(summary)
    .map(([k, v]) => `<tr><td>${k}</td><td>${typeof v === 'number' && !Number.isInteger(v) ? v.toFixed(4) : String(v)}</td></tr>`)
    .join('\n');
  writeFileAtomic(
    path.join(dir, 'report.html'),
    `<!doctype html><meta charset="utf-8"><title>MetaCLIP balancing</title>
<style>body{font-family:sans-serif;max-width:720px;margin:2em auto}td{padding:2px 10px;border-bottom:1px solid #eee}</style>
<h1>MetaCLIP balancing</h1>
${svg}
<table>${rows}</table>
`,
  );
}
