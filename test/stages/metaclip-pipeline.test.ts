import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { Manifest } from '../../src/release/manifest.js';
import { readShards } from '../../src/engine/shard-reader.js';
import { entryProbabilities } from '../../src/metaclip/index.js';
import { tempDir } from '../helpers/fixtures.js';
import { thresher } from '../helpers/cli.js';
import { needsShared, sharedPath } from '../helpers/shared.js';

const DATA = sharedPath('data', 'metaclip');
const METADATA = path.join(DATA, 'metadata-wn30.json.gz');
const ALT = path.join(DATA, 'web-alt-text-10k.jsonl.gz');

function pipeline(dir: string, name: string, stages: string, tasks: number): string {
  const file = path.join(dir, `${name}.yaml`);
  writeFileSync(
    file,
    `name: ${name}\ninput:\n  type: jsonl\n  path: ${JSON.stringify(ALT)}\n  content_field: TEXT\nstages:\n${stages}\noutput:\n  path: ${name}\nexecution:\n  tasks: ${tasks}\n  seed: 7\n`,
  );
  return file;
}

async function release(dir: string): Promise<{ m: Manifest; rows: Record<string, unknown>[]; excluded: Record<string, unknown>[] }> {
  const m = JSON.parse(readFileSync(path.join(dir, 'v1', 'manifest.json'), 'utf8')) as Manifest;
  const rows = [];
  for await (const r of readShards(m.files.filter((f) => f.path.startsWith('data/')).map((f) => path.join(dir, 'v1', f.path)))) rows.push(r);
  const excluded = [];
  for await (const r of readShards(m.files.filter((f) => f.path.startsWith('excluded/')).map((f) => path.join(dir, 'v1', f.path)))) excluded.push(r);
  return { m, rows, excluded };
}

const match = `  - metaclip_match:\n      metadata: ${JSON.stringify(METADATA)}\n`;
const balance = (t: number) => `  - metaclip_balance:\n      t: ${t}\n      metadata: ${JSON.stringify(METADATA)}\n`;

test('metaclip_match in a pipeline returns the reference ids for all 10,000 real alt-texts', needsShared, async () => {
  const dir = tempDir();
  assert.equal(thresher(['run', pipeline(dir, 'match', match, 3), '-q']).status, 0);
  const { rows } = await release(path.join(dir, 'match'));
  assert.equal(rows.length, 10_000);
  const reference = gunzipSync(readFileSync(path.join(DATA, 'reference', 'web-alt-text-10k.matches.jsonl.gz')))
    .toString('utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { id: string; matches: number[] });
  // The reference is keyed by the dataset's own index column (row 10 of the original is absent).
  const byRow = new Map(rows.map((r) => [r.__index_level_0__ as number, r.metaclip_matches as number[]]));
  let same = 0;
  for (const ref of reference) {
    assert.deepEqual(byRow.get(Number(ref.id)), ref.matches, `row ${ref.id}`);
    same++;
  }
  assert.equal(same, reference.length);
});

test('balancing: tail always kept, unmatched never, kept ≈ expected, same records for any sharding and workers', needsShared, async () => {
  const dir = tempDir();
  const t = 60;
  const a = thresher(['run', pipeline(dir, 'b3', match + balance(t), 3), '-w', '1', '-q']);
  assert.equal(a.status, 0, a.stderr);
  const b = thresher(['run', pipeline(dir, 'b7', match + balance(t), 7), '-w', '2', '-q']);
  assert.equal(b.status, 0, b.stderr);
  const ra = await release(path.join(dir, 'b3'));
  const rb = await release(path.join(dir, 'b7'));
  const ids = (rows: Record<string, unknown>[]) => rows.map((r) => String(r.id)).sort();
  assert.deepEqual(ids(rb.rows), ids(ra.rows), 'the same records whatever the sharding and worker count');

  const summary = JSON.parse(readFileSync(path.join(dir, 'b3', 'v1', 'artifacts', '1-metaclip_balance', 'summary.json'), 'utf8')) as {
    t: number;
    kept: number;
    expected_kept: number;
    matched_texts: number;
    unmatched_texts: number;
    entries_over_t: number;
  };
  assert.equal(summary.t, t);
  assert.ok(summary.entries_over_t > 0, 'the threshold cuts some head entries');
  // Expected kept is a sum of independent Bernoulli draws: within 4 standard deviations.
  const sd = Math.sqrt(summary.expected_kept);
  assert.ok(Math.abs(summary.kept - summary.expected_kept) < 4 * sd, `kept ${summary.kept}, expected ${summary.expected_kept.toFixed(1)}`);
  assert.equal(summary.kept, ra.rows.length);

  // Counts from the released entry_counts.json decide which entries are tail entries.
  const counts = JSON.parse(readFileSync(path.join(dir, 'b3', 'v1', 'artifacts', '1-metaclip_balance', 'entry_counts.json'), 'utf8')) as Record<string, number>;
  const entries = JSON.parse(gunzipSync(readFileSync(METADATA)).toString('utf8')) as string[];
  const countArray = entries.map((e) => counts[e] ?? 0);
  const p = entryProbabilities(countArray, t);
  const keptIds = new Set(ids(ra.rows));
  let tailTexts = 0;
  for (const r of [...ra.rows, ...ra.excluded]) {
    const m = (r.metaclip_matches as number[] | undefined) ?? null;
    if (r.reason === 'no_match') assert.ok(!keptIds.has(String(r.id)));
    if (m && m.some((e) => p[e] === 1)) {
      tailTexts++;
      assert.ok(keptIds.has(String(r.id)), `text ${r.id} has a tail entry and is kept`);
    }
  }
  assert.ok(tailTexts > 1000, `${tailTexts} kept texts with a tail entry`);
  const reasons = ra.m.counts.excluded;
  assert.equal(reasons.no_match, summary.unmatched_texts);
  assert.equal(ra.rows.length + (reasons.balanced_out ?? 0), summary.matched_texts);
  const svg = readFileSync(path.join(dir, 'b3', 'v1', 'artifacts', '1-metaclip_balance', 'entry-counts.svg'), 'utf8');
  // vega's SVG names what it drew: two curves on log-log axes, the rule at t, and rank 1 of the
  // pool's curve is the largest count of entry_counts.json
  assert.match(svg, /^<svg /);
  assert.equal(svg.match(/aria-roledescription="line mark"/g)?.length, 2);
  assert.match(svg, /X-axis titled 'entry rank \(by count, log\)' for a log scale/);
  assert.match(svg, /Y-axis titled 'texts matching the entry \(log\)' for a log scale/);
  assert.ok(svg.includes(`aria-label="t: ${t}"`));
  const top = /entry rank \(by count, log\): 1; texts matching the entry \(log\): ([\d,]+); curve: before \(pool\)/.exec(svg);
  assert.equal(Number(top?.[1].replace(/,/g, '')), Math.max(...Object.values(counts)));
});

test('t from a target size or a tail share, chosen from the global counts', needsShared, async () => {
  const dir = tempDir();
  const target = 3000;
  const bySize = `  - metaclip_balance:\n      target_size: ${target}\n`;
  assert.equal(thresher(['run', pipeline(dir, 'size', match + bySize, 4), '-q']).status, 0);
  const s = JSON.parse(readFileSync(path.join(dir, 'size', 'v1', 'artifacts', '1-metaclip_balance', 'summary.json'), 'utf8')) as { t: number; expected_kept: number; kept: number };
  assert.ok(s.expected_kept >= target, `expected ${s.expected_kept} reaches the target`);
  assert.ok(Math.abs(s.kept - target) < 4 * Math.sqrt(target) + 0.02 * target, `kept ${s.kept} near ${target}`);
  // t - 1 would fall short: t is the smallest that reaches the target.
  const below = `  - metaclip_balance:\n      t: ${s.t - 1}\n`;
  assert.equal(thresher(['run', pipeline(dir, 'below', match + below, 4), '-q']).status, 0);
  const b = JSON.parse(readFileSync(path.join(dir, 'below', 'v1', 'artifacts', '1-metaclip_balance', 'summary.json'), 'utf8')) as { expected_kept: number };
  assert.ok(b.expected_kept < target, `t-1 gives ${b.expected_kept}`);

  const byShare = `  - metaclip_balance:\n      tail_share: 0.5\n`;
  assert.equal(thresher(['run', pipeline(dir, 'share', match + byShare, 4), '-q']).status, 0);
  const p = JSON.parse(readFileSync(path.join(dir, 'share', 'v1', 'artifacts', '1-metaclip_balance', 'summary.json'), 'utf8')) as { tail_share: number };
  assert.ok(Math.abs(p.tail_share - 0.5) < 0.05, `tail share ${p.tail_share}`);
});
