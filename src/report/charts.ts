import type { TopLevelSpec } from 'vega-lite';
import type { StageStats } from '../engine/stats.js';
import type { ClusterSize, Count, SizeBin } from './queries.js';
import type { ExclusionRow } from './gather.js';

/** The report's Vega-Lite specs: data in, spec out; svg.ts renders them. */

const WIDTH = 560;
const KEPT = '#1f77b4';
const EXCLUDED = '#d62728';
const barHeight = (n: number) => Math.max(60, 22 * n);

/** Records kept and excluded by each stage, `read` to `write`: each bar is what the stage took in. */
export function funnelSpec(stages: StageStats[]): TopLevelSpec {
  const order = stages.map((s) => s.stage);
  const values = stages.flatMap((s) => [
    { stage: s.stage, part: 'kept', records: s.records_out },
    { stage: s.stage, part: 'excluded', records: s.records_in - s.records_out },
  ]);
  return {
    title: 'Records through the stages',
    width: WIDTH,
    height: barHeight(order.length),
    data: { values },
    mark: 'bar',
    encoding: {
      y: { field: 'stage', type: 'nominal', sort: order, title: null },
      x: { field: 'records', type: 'quantitative', stack: 'zero', title: 'records taken in (kept + excluded)' },
      color: { field: 'part', type: 'nominal', title: null, scale: { domain: ['kept', 'excluded'], range: [KEPT, EXCLUDED] } },
      order: { field: 'part', sort: 'descending' },
    },
  };
}

/** Excluded records per reason, coloured by the stage that excluded them. */
export function exclusionsSpec(rows: ExclusionRow[]): TopLevelSpec {
  const values = rows.map((r) => ({ reason: r.reason, stage: r.stage, records: r.count }));
  return {
    title: 'Excluded records by reason',
    width: WIDTH,
    height: barHeight(new Set(rows.map((r) => r.reason)).size),
    data: { values },
    mark: 'bar',
    encoding: {
      y: { field: 'reason', type: 'nominal', sort: [...new Set(rows.map((r) => r.reason))], title: null },
      x: { field: 'records', type: 'quantitative', title: 'excluded records' },
      color: { field: 'stage', type: 'nominal', title: 'stage' },
    },
  };
}

/** Kept records per value of a column (top values, then `(other)`). */
export function countsSpec(title: string, counts: Count[]): TopLevelSpec {
  return {
    title,
    width: WIDTH,
    height: barHeight(counts.length),
    data: { values: counts.map((c) => ({ value: c.value, records: c.count })) },
    mark: { type: 'bar', color: KEPT },
    encoding: {
      y: { field: 'value', type: 'nominal', sort: counts.map((c) => c.value), title: null },
      x: { field: 'records', type: 'quantitative', title: 'kept records' },
    },
  };
}

/** `2^k` bytes as a short label: 512 B, 1 KiB, 64 MiB. */
export function bytesLabel(log2: number): string {
  if (log2 < 0) return '0 B';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  const u = Math.min(units.length - 1, Math.floor(log2 / 10));
  return `${2 ** (log2 - 10 * u)} ${units[u]}`;
}

/** Histogram of record sizes on log2 bins, kept beside excluded. */
export function sizesSpec(bins: SizeBin[]): TopLevelSpec {
  const logs = [...new Set(bins.map((b) => b.log2))].sort((a, b) => a - b);
  return {
    title: 'Record sizes (UTF-8 bytes of the content, log2 bins)',
    width: WIDTH,
    height: 240,
    data: { values: bins.map((b) => ({ bin: `≥ ${bytesLabel(b.log2)}`, group: b.group, records: b.count })) },
    mark: 'bar',
    encoding: {
      x: { field: 'bin', type: 'ordinal', sort: logs.map((l) => `≥ ${bytesLabel(l)}`), title: 'size (bin from)', axis: { labelAngle: -45 } },
      xOffset: { field: 'group', type: 'nominal', sort: ['kept', 'excluded'] },
      y: { field: 'records', type: 'quantitative', title: 'records' },
      color: { field: 'group', type: 'nominal', title: null, scale: { domain: ['kept', 'excluded'], range: [KEPT, EXCLUDED] } },
    },
  };
}

/** Cluster sizes binned as near_dedup's summary does: 2, 3-4, 5-8, ... */
export function clusterBin(size: number): { k: number; label: string } {
  const k = Math.ceil(Math.log2(size));
  return { k, label: k <= 1 ? String(size) : `${2 ** (k - 1) + 1}-${2 ** k}` };
}

/** Dedup clusters per size bin and dedup reason, clusters on a log axis (a long tail). */
export function clustersSpec(sizes: ClusterSize[]): TopLevelSpec {
  const bins = new Map<string, { k: number; label: string; reason: string; clusters: number }>();
  for (const s of sizes) {
    const b = clusterBin(s.size);
    const key = `${s.reason}\u0000${b.label}`;
    const into = bins.get(key) ?? { ...b, reason: s.reason, clusters: 0 };
    into.clusters += s.clusters;
    bins.set(key, into);
  }
  const values = [...bins.values()];
  // from 0.5, so that a bin of one cluster shows a bar; up to the next power of ten
  const top = 10 ** Math.ceil(Math.log10(Math.max(2, ...values.map((v) => v.clusters))));
  const labels = [...new Map(values.sort((a, b) => a.k - b.k).map((v) => [v.label, v.k])).keys()];
  return {
    title: 'Dedup cluster sizes (kept copy + removed copies)',
    width: WIDTH,
    height: 240,
    data: { values },
    mark: 'bar',
    encoding: {
      x: { field: 'label', type: 'ordinal', sort: labels, title: 'records in the cluster', axis: { labelAngle: 0 } },
      xOffset: { field: 'reason', type: 'nominal' },
      y: { field: 'clusters', type: 'quantitative', scale: { type: 'log', domain: [0.5, top] }, stack: null, title: 'clusters (log)' },
      color: { field: 'reason', type: 'nominal', title: null },
    },
  };
}

/** Time each stage took, summed over its tasks. */
export function timeSpec(stages: StageStats[]): TopLevelSpec {
  return {
    title: 'Time per stage (summed over tasks)',
    width: WIDTH,
    height: barHeight(stages.length),
    data: { values: stages.map((s) => ({ stage: s.stage, seconds: s.ms / 1000 })) },
    mark: { type: 'bar', color: '#7f7f7f' },
    encoding: {
      y: { field: 'stage', type: 'nominal', sort: stages.map((s) => s.stage), title: null },
      x: { field: 'seconds', type: 'quantitative', title: 'seconds' },
    },
  };
}
