import path from 'node:path';
import { RecordBatch } from '../../core/batch.js';
import { ensureDir, writeFileAtomic } from '../../core/fs.js';
import { openWriter } from '../../io/open.js';
import { layoutEntries, metadataLayout } from './matcher-cache.js';
import { entryCountsSpec } from '../../report/entry-counts.js';
import { escapeHtml } from '../../report/html.js';
import { renderSvg } from '../../report/svg.js';

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
  const seen: number[] = [];
  for (let e = 0; e < before.length; e++) if (before[e] > 0) seen.push(e);
  const batch = new RecordBatch(seen.length);
  batch.setColumn('entry_id', seen);
  batch.setColumn(
    'entry',
    seen.map((e) => (names ? (names[e] ?? null) : null)),
  );
  batch.setColumn(
    'count',
    seen.map((e) => before[e]),
  );
  batch.setColumn(
    'count_after',
    seen.map((e) => after[e] ?? 0),
  );
  await writer.writeBatch!(batch);
  await writer.close();
  writeFileAtomic(path.join(dir, 'summary.json'), JSON.stringify(summary, null, 1) + '\n');
  const svg = await renderSvg(entryCountsSpec(before, after, summary.t));
  writeFileAtomic(path.join(dir, 'entry-counts.svg'), svg);
  const rows = Object.entries(summary)
    .map(([k, v]) => `<tr><td>${escapeHtml(k)}</td><td>${escapeHtml(typeof v === 'number' && !Number.isInteger(v) ? v.toFixed(4) : typeof v === 'object' ? JSON.stringify(v) : String(v))}</td></tr>`)
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
