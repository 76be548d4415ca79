import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Manifest } from '../../src/release/manifest.js';
import { gatherReport } from '../../src/report/gather.js';
import { entryCountsSpec } from '../../src/report/entry-counts.js';
import { renderSvg } from '../../src/report/svg.js';
import { reportSourceFromRelease } from '../../src/report/source.js';
import { tempDir } from '../helpers/fixtures.js';
import { thresher } from '../helpers/cli.js';
import { needsShared, sharedPath } from '../helpers/shared.js';

const METADATA = sharedPath('data', 'metaclip', 'metadata-wn30.json.gz');
const ALT = sharedPath('data', 'metaclip', 'web-alt-text-10k.jsonl.gz');

test('MetaCLIP: the report plots the released entry counts before and after balancing, with t', needsShared, async () => {
  const dir = tempDir();
  const file = path.join(dir, 'mc.yaml');
  const meta = JSON.stringify(METADATA);
  writeFileSync(
    file,
    `name: mc\ninput:\n  type: jsonl\n  path: ${JSON.stringify(ALT)}\n  content_field: TEXT\nstages:\n  - metaclip_match:\n      metadata: ${meta}\n  - metaclip_balance:\n      t: 60\n      metadata: ${meta}\noutput:\n  path: mc\nexecution:\n  tasks: 2\n  seed: 7\n`,
  );
  const run = thresher(['run', file, '-q']);
  assert.equal(run.status, 0, run.stderr);
  const v1 = path.join(dir, 'mc', 'v1');
  const m = JSON.parse(readFileSync(path.join(v1, 'manifest.json'), 'utf8')) as Manifest;
  const d = await gatherReport(v1, reportSourceFromRelease(v1));

  assert.equal(d.metaclip.length, 1);
  const [curve] = d.metaclip;
  assert.equal(curve.stage, '1-metaclip_balance');
  assert.equal(curve.t, 60);
  const artifacts = path.join(v1, 'artifacts', '1-metaclip_balance');
  const desc = (xs: number[]) => xs.filter((x) => x > 0).sort((a, b) => b - a);
  const before = Object.values(JSON.parse(readFileSync(path.join(artifacts, 'entry_counts.json'), 'utf8')) as Record<string, number>);
  const after = Object.values(JSON.parse(readFileSync(path.join(artifacts, 'entry_counts_after.json'), 'utf8')) as Record<string, number>);
  assert.deepEqual(desc(curve.before), desc(before));
  assert.deepEqual(desc(curve.after), desc(after));
  assert.ok(Math.max(...curve.after) < Math.max(...curve.before), 'balancing flattens the head');

  // a pool of texts: no language or licence column, sizes from the content field (TEXT)
  assert.equal(d.languages, null);
  assert.equal(d.licenseClasses, null);
  const kept = d.sizes.filter((b) => b.group === 'kept').reduce((a, b) => a + b.count, 0);
  assert.equal(kept, m.counts.output_records);
  const html = readFileSync(path.join(v1, 'report.html'), 'utf8');
  assert.ok(html.includes('Entry counts before and after balancing (t = 60)'));
  assert.match(html, /Y-axis titled 'texts matching the entry \(log\)' for a log scale/);
  // the report reuses the stage's plot: it must be the one the released counts draw
  const drawn = await renderSvg(entryCountsSpec(curve.before, curve.after, curve.t));
  assert.equal(curve.svg, drawn);
  assert.ok(html.includes(drawn));
});
