import { entryCountsSpec } from './entry-counts.js';
import { clustersSpec, countsSpec, exclusionsSpec, funnelSpec, sizesSpec, timeSpec } from './charts.js';
import type { ReportData } from './gather.js';
import { escapeHtml, figure, fmt, numCell, section, seconds, STYLE, table } from './html.js';
import { renderSvg } from './svg.js';

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

async function funnelSection(d: ReportData): Promise<string> {
  const rows = d.funnel.map((s) => ({
    attrs: { 'data-stage': s.stage },
    cells: [
      { html: `<code>${escapeHtml(s.stage)}</code>` },
      numCell(s.records_in, 'records_in'),
      numCell(s.records_out, 'records_out'),
      numCell(s.records_in - s.records_out, 'excluded'),
      numCell(s.bytes_out, 'bytes_out'),
    ],
  }));
  const head = ['stage', 'records in', 'records out', 'excluded', 'bytes out'];
  return section('funnel', 'Records through the stages', figure(await renderSvg(funnelSpec(d.funnel))) + table(head, rows, { id: 'funnel-table' }));
}

async function exclusionsSection(d: ReportData): Promise<string> {
  if (d.exclusions.length === 0) return section('exclusions', 'Exclusions by reason', '<p>No record was excluded.</p>');
  const rows = d.exclusions.map((e) => ({
    attrs: { 'data-reason': e.reason },
    cells: [{ html: `<code>${escapeHtml(e.reason)}</code>` }, { html: `<code>${escapeHtml(e.stage)}</code>` }, numCell(e.count, 'count')],
  }));
  return section('exclusions', 'Exclusions by reason', figure(await renderSvg(exclusionsSpec(d.exclusions))) + table(['reason', 'stage', 'records'], rows, { id: 'exclusions-table' }));
}

async function distributionsSection(d: ReportData): Promise<string> {
  const parts: string[] = [];
  const counted: [string, ReportData['languages']][] = [
    ['Languages', d.languages],
    ['Licence classes', d.licenseClasses],
    ['Licences', d.licenses],
  ];
  for (const [title, counts] of counted) if (counts && counts.length > 0) parts.push(figure(await renderSvg(countsSpec(`${title} (kept records)`, counts))));
  if (d.sizes.length > 0) parts.push(figure(await renderSvg(sizesSpec(d.sizes))));
  if (d.clusters.length > 0) {
    const reasons = [...new Set(d.clusters.map((c) => c.reason))];
    const caption = reasons.map((r) => {
      const of = d.clusters.filter((c) => c.reason === r);
      return `${r}: ${fmt(sum(of.map((c) => c.clusters)))} clusters, largest ${fmt(Math.max(...of.map((c) => c.size)))} records`;
    });
    parts.push(figure(await renderSvg(clustersSpec(d.clusters)), caption.join('; ')));
  }
  for (const m of d.metaclip) {
    const caption = `MetaCLIP balancing of stage ${m.stage}: ${fmt(m.before.length)} matched entries, ${fmt(sum(m.before))} matches before, ${fmt(sum(m.after))} after.`;
    parts.push(figure(m.svg ?? (await renderSvg(entryCountsSpec(m.before, m.after, m.t))), caption));
  }
  return section('distributions', 'Distributions', parts.length > 0 ? parts.join('\n') : '<p>No column to plot (no language, licence or content column).</p>');
}

function examplesSection(d: ReportData): string {
  if (d.examples.length === 0) return section('examples', 'Examples of excluded records', '<p>None: no excluded records are in this release.</p>');
  const parts: string[] = [];
  for (const reason of [...new Set(d.examples.map((e) => e.reason))]) {
    const rows = d.examples
      .filter((e) => e.reason === reason)
      .map((e) => ({
        cells: [
          { html: `<span class="mono">${escapeHtml(e.id)}</span>` },
          { html: `<span class="mono">${escapeHtml(e.source)}${e.source_row !== null ? `#${e.source_row}` : ''}</span>` },
          e.detail === null ? '' : e.detail.length > 300 ? `${e.detail.slice(0, 300)}…` : e.detail,
          e.bytes === null ? '' : numCell(e.bytes),
        ],
      }));
    parts.push(`<h3><code>${escapeHtml(reason)}</code></h3>` + table(['id', 'source', 'detail', 'bytes'], rows, { 'data-reason': reason, class: 'examples' }));
  }
  return section('examples', 'Examples of excluded records', `<p class="muted">The first records of each reason by id; all of them are in <code>excluded/</code>.</p>` + parts.join('\n'));
}

async function timeSection(d: ReportData): Promise<string> {
  const rows = Object.entries(d.source.stats.steps).map(([step, s]) => ({ cells: [{ html: `<code>${escapeHtml(step)}</code>` }, numCell(s.tasks), { html: seconds(s.ms), numeric: true }] }));
  return section('time', 'Time', figure(await renderSvg(timeSpec(d.funnel))) + '<h3>Steps</h3>' + table(['step', 'tasks', 'time (summed over tasks)'], rows, { id: 'steps-table' }));
}

function header(d: ReportData): string {
  const s = d.source;
  const read = d.funnel[0];
  const write = d.funnel[d.funnel.length - 1];
  const excluded = sum(d.exclusions.map((e) => e.count));
  return `<header><h1>${escapeHtml(s.name)} — ${escapeHtml(s.version)}</h1>
${s.description ? `<p>${escapeHtml(s.description)}</p>` : ''}
<p id="summary">Run report by thresher ${escapeHtml(s.thresher_version)}: <b data-field="records_in">${fmt(read?.records_in ?? 0)}</b> records in,
<b data-field="records_out">${fmt(write?.records_out ?? 0)}</b> out, <b data-field="excluded">${fmt(excluded)}</b> excluded.
Files: <a href="README.md">dataset card</a>, <a href="manifest.json">manifest.json</a>, <a href="stats.json">stats.json</a>, <a href="pipeline.yaml">pipeline.yaml</a>.</p>
<nav><a href="#funnel">funnel</a><a href="#exclusions">exclusions</a><a href="#distributions">distributions</a><a href="#examples">examples</a><a href="#time">time</a></nav></header>`;
}

/** The whole report page: static HTML with inline CSS and SVG, readable offline and without JavaScript. */
export async function renderReport(d: ReportData): Promise<string> {
  const body = [header(d), await funnelSection(d), await exclusionsSection(d), await distributionsSection(d), examplesSection(d), await timeSection(d)];
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(d.source.name)} ${escapeHtml(d.source.version)} — run report</title>
<style>${STYLE}</style></head>
<body>
${body.join('\n')}
</body></html>
`;
}
