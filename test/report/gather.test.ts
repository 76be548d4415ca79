import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Manifest } from '../../src/release/manifest.js';
import type { RunStats } from '../../src/engine/stats.js';
import { readShards } from '../../src/engine/shard-reader.js';
import { gatherReport, EXAMPLES_PER_REASON, TOP_VALUES } from '../../src/report/gather.js';
import { reportSourceFromRelease } from '../../src/report/source.js';
import { renderReport } from '../../src/report/render.js';
import { clusterBin } from '../../src/report/charts.js';
import { makeCodeTree, tempDir, writePipeline } from '../helpers/fixtures.js';
import { thresher } from '../helpers/cli.js';

/** A small real run: installed packages as a code tree, with language, licence, filters, exact and near dedup. */
const dir = tempDir();
const input = makeCodeTree(dir, ['commander', 'yaml', 'zod']);
writePipeline(dir, input, {
  tasks: 3,
  stages: `  - language: {}
  - license: {}
  - file_filter: {}
  - dedup_exact:
      priority: [repo, path]
  - near_dedup:
      priority: [repo, path]`,
});
const v1 = path.join(dir, 'out', 'v1');
const run = thresher(['run', path.join(dir, 'pipeline.yaml'), '-q']);

async function records(m: Manifest, prefix: string): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  for await (const r of readShards(m.files.filter((f) => f.path.startsWith(prefix)).map((f) => path.join(v1, f.path)))) out.push(r);
  return out;
}

/** Counts per value, most first then by value, the top ones and `(other)`: what the report should show. */
function topCounts(values: string[]): { value: string; count: number }[] {
  const by = new Map<string, number>();
  for (const v of values) by.set(v, (by.get(v) ?? 0) + 1);
  const all = [...by].map(([value, count]) => ({ value, count })).sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
  if (all.length <= TOP_VALUES) return all;
  return [...all.slice(0, TOP_VALUES), { value: '(other)', count: all.slice(TOP_VALUES).reduce((a, b) => a + b.count, 0) }];
}

const log2Bin = (bytes: number) => (bytes <= 0 ? -1 : Math.floor(Math.log2(bytes)));

test('the report gathers from a real release what its records, stats and manifest say', async (t) => {
  assert.equal(run.status, 0, run.stderr);
  const m = JSON.parse(readFileSync(path.join(v1, 'manifest.json'), 'utf8')) as Manifest;
  const stats = JSON.parse(readFileSync(path.join(v1, 'stats.json'), 'utf8')) as RunStats;
  const d = await gatherReport(v1, reportSourceFromRelease(v1));
  const kept = await records(m, 'data/');
  const excluded = await records(m, 'excluded/');

  await t.test('funnel and exclusions are the stats of every stage, read to write', () => {
    assert.deepEqual(d.funnel, Object.values(stats.stages));
    assert.deepEqual(d.funnel, m.counts.stages);
    const byReason: Record<string, number> = {};
    for (const e of d.exclusions) byReason[e.reason] = (byReason[e.reason] ?? 0) + e.count;
    assert.deepEqual(byReason, m.counts.excluded);
    assert.ok((m.counts.excluded.duplicate ?? 0) > 0 && (m.counts.excluded.near_duplicate ?? 0) > 0, 'the run has both kinds of duplicates');
  });

  await t.test('languages and licences are counted over the kept records', () => {
    assert.deepEqual(d.languages, topCounts(kept.map((r) => String(r.language ?? '(none)'))));
    assert.deepEqual(d.licenseClasses, topCounts(kept.map((r) => String(r.license_class ?? '(none)'))));
    assert.deepEqual(d.licenses, topCounts(kept.map((r) => String(r.license ?? '(none)'))));
    assert.equal(
      d.languages!.reduce((a, c) => a + c.count, 0),
      m.counts.output_records,
    );
  });

  await t.test('sizes: a log2 histogram of kept content bytes and of excluded records', () => {
    const expect = new Map<string, number>();
    for (const r of kept) expect.set(`kept ${log2Bin(Buffer.byteLength(String(r.content)))}`, (expect.get(`kept ${log2Bin(Buffer.byteLength(String(r.content)))}`) ?? 0) + 1);
    for (const r of excluded) expect.set(`excluded ${log2Bin(Number(r.bytes))}`, (expect.get(`excluded ${log2Bin(Number(r.bytes))}`) ?? 0) + 1);
    assert.deepEqual(new Map(d.sizes.map((b) => [`${b.group} ${b.log2}`, b.count])), expect);
  });

  await t.test("sizes: the writers' counts in stats.json agree with measuring the data files (a release made before them)", async () => {
    const counted = stats.stages.write.size_log2;
    assert.ok(counted && Object.keys(counted).length > 3, 'the write stage counted sizes');
    const source = reportSourceFromRelease(v1);
    const write = { ...source.stats.stages.write };
    delete write.size_log2;
    const older = await gatherReport(v1, { ...source, stats: { ...source.stats, stages: { ...source.stats.stages, write } } });
    assert.deepEqual(older.sizes, d.sizes);
  });

  await t.test("dedup clusters: near_dedup's agree with the stage's own summary; exact ones add up to the duplicates", () => {
    const near = d.clusters.filter((c) => c.reason === 'near_duplicate');
    const binned: Record<string, number> = {};
    for (const c of near) binned[clusterBin(c.size).label] = (binned[clusterBin(c.size).label] ?? 0) + c.clusters;
    const summary = m.sections?.near_dedup?.data as { clusters: { clusters: number; cluster_sizes: Record<string, number> } };
    assert.deepEqual(binned, summary.clusters.cluster_sizes);
    const exact = d.clusters.filter((c) => c.reason === 'duplicate');
    assert.equal(
      exact.reduce((a, c) => a + c.clusters * (c.size - 1), 0),
      m.counts.excluded.duplicate,
    );
  });

  await t.test('examples: the first excluded records of every reason, by id', () => {
    const reasons = Object.keys(m.counts.excluded).sort();
    assert.deepEqual([...new Set(d.examples.map((e) => e.reason))], reasons);
    for (const reason of reasons) {
      const ids = excluded
        .filter((r) => r.reason === reason)
        .map((r) => String(r.id))
        .sort()
        .slice(0, EXAMPLES_PER_REASON);
      assert.deepEqual(
        d.examples.filter((e) => e.reason === reason).map((e) => e.id),
        ids,
      );
    }
  });

  await t.test('no MetaCLIP stage, no MetaCLIP curve', () => assert.deepEqual(d.metaclip, []));

  await t.test('report.html is in the manifest, linked from the card, and the same release renders the same bytes', async () => {
    assert.ok(m.files.some((f) => f.path === 'report.html'));
    assert.match(readFileSync(path.join(v1, 'README.md'), 'utf8'), /\]\(report\.html\)/);
    assert.equal(await renderReport(d), readFileSync(path.join(v1, 'report.html'), 'utf8'));
    const verify = thresher(['verify', v1]);
    assert.equal(verify.status, 0, verify.stdout + verify.stderr);
  });
});
