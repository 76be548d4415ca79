import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { readShards } from '../../src/engine/shard-reader.js';
import { runInline } from '../../src/executors/inline.js';
import { jaccard, shingleSet, type ShingleOptions } from '../../src/dedup/minhash.js';
import type { Manifest } from '../../src/release/manifest.js';
import { tempDir } from '../helpers/fixtures.js';
import { thresher } from '../helpers/cli.js';
import { makeVersionedTree } from '../helpers/near-dups.js';
import { readManifest } from '../helpers/pools.js';

const PACKAGES = ['commander', 'cli-progress', 'minimatch', 'debug', 'chalk', 'fzstd'];
const WORDS: ShingleOptions = { unit: 'words', ngram: 5, lowercase: true, emptyWords: false };

function writeNearPipeline(dir: string, input: string, tasks: number, params = '{}'): string {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'pipeline.yaml');
  writeFileSync(file, `name: near\ninput:\n  type: directory\n  path: ${JSON.stringify(input)}\nstages:\n  - near_dedup: ${params}\noutput:\n  path: out\nexecution:\n  tasks: ${tasks}\n`);
  return file;
}

interface ClusterRow {
  id: string;
  source: string;
  cluster_id: string;
  cluster_size: number;
  kept: boolean;
  kept_id: string;
}

async function rowsOf(release: string, prefix: string): Promise<Record<string, unknown>[]> {
  const m = readManifest(release);
  const out: Record<string, unknown>[] = [];
  for await (const r of readShards(m.files.filter((f) => f.path.startsWith(prefix)).map((f) => path.join(release, f.path)))) out.push(r);
  return out;
}

/** What two runs of the same input must share: the cluster table and summary bytes, kept ids, removals. */
async function outcome(release: string): Promise<{ table: string; summary: string; kept: string[]; removed: string[] }> {
  const m: Manifest = readManifest(release);
  const sha = (p: string) => m.files.find((f) => f.path === p)?.sha256 ?? 'absent';
  const kept = (await rowsOf(release, 'data/')).map((r) => String(r.id)).sort();
  const removed = (await rowsOf(release, 'excluded/')).map((r) => `${r.id} ${r.reason} ${r.detail}`).sort();
  return { table: sha('artifacts/0-near_dedup/clusters.parquet'), summary: sha('artifacts/0-near_dedup/summary.json'), kept, removed };
}

const tree = (() => {
  let made: ReturnType<typeof makeVersionedTree> | undefined;
  return () => (made ??= makeVersionedTree(tempDir('thresher-near-'), PACKAGES));
})();

test('the same file in two versions of a package lands in one cluster; the table names every member and the kept id', async () => {
  const { dir, pairs } = tree();
  const result = await runInline(writeNearPipeline(path.join(tempDir(), 'run'), dir, 3, '{priority: [-path]}'));
  const table = (await rowsOf(result.dir, 'artifacts/0-near_dedup/clusters')) as unknown as ClusterRow[];
  const clusterOf = new Map(table.map((r) => [r.id, r.cluster_id]));
  const text = (rel: string) => readFileSync(path.join(dir, rel), 'utf8');
  let high = 0;
  for (const [v1, v2] of pairs) {
    const j = jaccard(shingleSet(text(v1), WORDS), shingleSet(text(v2), WORDS));
    if (j < 0.85) continue; // a candidate with probability 1 − (1 − 0.85^10)^25 ≥ 0.996
    high++;
    assert.ok(clusterOf.has(v1) && clusterOf.get(v1) === clusterOf.get(v2), `${v1} and ${v2} (Jaccard ${j.toFixed(3)}) in one cluster`);
  }
  assert.ok(high >= 40, `${high} edited pairs with Jaccard ≥ 0.85`);
  // one kept record per cluster, sizes right, priority -path keeps the later version
  const byCluster = new Map<string, ClusterRow[]>();
  for (const r of table) byCluster.set(r.cluster_id, [...(byCluster.get(r.cluster_id) ?? []), r]);
  for (const rows of byCluster.values()) {
    const kept = rows.filter((r) => r.kept);
    assert.equal(kept.length, 1);
    assert.ok(rows.every((r) => r.cluster_size === rows.length && r.kept_id === kept[0].id));
    assert.ok(
      rows.every((r) => r.source <= kept[0].source),
      'the largest path is kept (priority: [-path])',
    );
  }
  // removed records: excluded with reason near_duplicate and the kept id; similar to what was kept
  const excluded = await rowsOf(result.dir, 'excluded/');
  const removed = table.filter((r) => !r.kept);
  assert.equal(excluded.length, removed.length);
  const detail = new Map(excluded.map((e) => [String(e.id), `${e.reason} ${e.detail}`]));
  for (const r of removed) assert.equal(detail.get(r.id), `near_duplicate ${r.kept_id}`);
  const similar = removed.filter((r) => jaccard(shingleSet(text(r.id), WORDS), shingleSet(text(r.kept_id), WORDS)) >= 0.5).length;
  assert.ok(similar >= 0.95 * removed.length, `${similar} of ${removed.length} removed records have Jaccard ≥ 0.5 with the kept one`);
  assert.equal(result.stats.stages['0:near_dedup'].excluded.near_duplicate, removed.length);
  const summary = JSON.parse(readFileSync(path.join(result.dir, 'artifacts', '0-near_dedup', 'summary.json'), 'utf8'));
  assert.deepEqual([summary.settings.bands, summary.settings.rows, summary.settings.ngram], [25, 10, 5], "The Stack v2's defaults");
  assert.equal(summary.clusters.near_duplicates, removed.length);
  const manifest = JSON.parse(readFileSync(path.join(result.dir, 'manifest.json'), 'utf8')) as Manifest;
  const section = manifest.sections!.near_dedup;
  assert.equal((section.data.clusters as { near_duplicates: number }).near_duplicates, removed.length);
  const card = readFileSync(path.join(result.dir, 'README.md'), 'utf8');
  assert.match(card, new RegExp(`${removed.length} removed from ${byCluster.size} clusters`));
  assert.match(card, /artifacts\/0-near_dedup\/clusters\.parquet/);
});

test('the same clusters, kept records and table bytes for 1, 2 or 5 tasks in process and for 1 or 2 worker threads', async () => {
  const { dir } = tree();
  const root = tempDir();
  const reference = await outcome((await runInline(writeNearPipeline(path.join(root, 't1'), dir, 1))).dir);
  assert.ok(reference.removed.length > 50);
  for (const tasks of [2, 5]) assert.deepEqual(await outcome((await runInline(writeNearPipeline(path.join(root, `t${tasks}`), dir, tasks))).dir), reference, `${tasks} tasks`);
  for (const workers of ['1', '2']) {
    const file = writeNearPipeline(path.join(root, `w${workers}`), dir, 4);
    const run = thresher(['run', file, '-w', workers, '-q']);
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(await outcome(path.join(root, `w${workers}`, 'out', 'v1')), reference, `${workers} workers`);
  }
});

test('a memory budget far below the input spills every round to files: the same release', async () => {
  const { dir } = tree();
  const root = tempDir();
  const normal = await runInline(writeNearPipeline(path.join(root, 'normal'), dir, 2));
  const tiny = await runInline(writeNearPipeline(path.join(root, 'tiny'), dir, 2, '{memory_mb: 0.02}'));
  assert.deepEqual(await outcome(tiny.dir), await outcome(normal.dir));
});

test('verify keeps only candidate pairs whose exact Jaccard reaches the threshold and counts the LSH false positives', async () => {
  const { dir } = tree();
  const root = tempDir();
  // 50 bands of 3 rows: a loose LSH that lets many pairs below 0.7 through
  const loose = await runInline(writeNearPipeline(path.join(root, 'loose'), dir, 3, '{bands: 50, rows: 3}'));
  const checked = await runInline(writeNearPipeline(path.join(root, 'checked'), dir, 3, '{bands: 50, rows: 3, verify: true}'));
  const c = checked.stats.stages['0:near_dedup'].counters;
  assert.ok(c.false_positive_pairs > 0, 'the loose bands made false positives');
  assert.equal(c.candidate_pairs, c.verified_pairs + c.false_positive_pairs);
  const removed = (r: typeof loose) => r.stats.stages['0:near_dedup'].excluded.near_duplicate ?? 0;
  assert.ok(removed(checked) < removed(loose), `verify removes fewer (${removed(checked)} < ${removed(loose)})`);
  // every verified cluster lies inside one cluster of the unverified run
  const clusters = async (r: typeof loose) => (await rowsOf(r.dir, 'artifacts/0-near_dedup/clusters')) as unknown as ClusterRow[];
  const looseOf = new Map((await clusters(loose)).map((r) => [r.id, r.cluster_id]));
  const inside = new Map<string, Set<string | undefined>>();
  for (const r of await clusters(checked)) inside.set(r.cluster_id, (inside.get(r.cluster_id) ?? new Set()).add(looseOf.get(r.id)));
  for (const [id, outer] of inside) assert.equal(outer.size, 1, `cluster ${id} spans ${outer.size} loose clusters`);
});

test('character shingles (NeMo: 24-grams) and 16-bit signatures find the same versioned files', async () => {
  const { dir, pairs } = tree();
  const result = await runInline(writeNearPipeline(path.join(tempDir(), 'chars'), dir, 2, '{shingles: chars, hash_bits: 16}'));
  const table = (await rowsOf(result.dir, 'artifacts/0-near_dedup/clusters')) as unknown as ClusterRow[];
  const clusterOf = new Map(table.map((r) => [r.id, r.cluster_id]));
  const together = pairs.filter(([a, b]) => clusterOf.has(a) && clusterOf.get(a) === clusterOf.get(b)).length;
  assert.ok(together >= 0.8 * pairs.length, `${together} of ${pairs.length} pairs clustered`);
  const summary = JSON.parse(readFileSync(path.join(result.dir, 'artifacts', '0-near_dedup', 'summary.json'), 'utf8'));
  assert.deepEqual([summary.settings.unit, summary.settings.ngram, summary.settings.lowercase], ['chars', 24, false]);
});
