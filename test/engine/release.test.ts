import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Manifest } from '../../src/release/manifest.js';
import { readShards } from '../../src/engine/shard-reader.js';
import { countFiles, makeCodeTree, NESTED_COPY, tempDir, writePipeline } from '../helpers/fixtures.js';
import { thresher } from '../helpers/cli.js';

const dir = tempDir();
const input = makeCodeTree(dir);
const pipeline = writePipeline(dir, input);
const out = path.join(dir, 'out');

test('a run on real code ends in a verified, versioned release', async (t) => {
  const run = thresher(['run', pipeline, '--workers', '2']);
  assert.equal(run.status, 0, run.stderr);
  const v1 = path.join(out, 'v1');
  assert.ok(existsSync(path.join(v1, 'manifest.json')));
  assert.ok(!existsSync(path.join(out, '.thresher', 'work')), 'work folder is removed after the release');
  const m = JSON.parse(readFileSync(path.join(v1, 'manifest.json'), 'utf8')) as Manifest;

  await t.test('the manifest accounts for every input file', () => {
    assert.equal(m.version, 'v1');
    assert.equal(m.input.files, countFiles(input));
    assert.equal(m.counts.input_records, m.input.files);
    const excluded = Object.values(m.counts.excluded).reduce((a, b) => a + b, 0);
    assert.equal(m.counts.output_records + excluded, m.counts.input_records, 'no record disappears without a reason');
    const dataRows = m.files.filter((f) => f.path.startsWith('data/')).reduce((a, f) => a + (f.rows ?? 0), 0);
    assert.equal(dataRows, m.counts.output_records);
    const excludedRows = m.files.filter((f) => f.path.startsWith('excluded/')).reduce((a, f) => a + (f.rows ?? 0), 0);
    assert.equal(excludedRows, excluded);
    assert.ok(m.files.every((f) => /^[0-9a-f]{64}$/.test(f.sha256) && f.bytes > 0));
    assert.equal(m.pipeline.sha256.length, 64);
    assert.ok(m.schema.some((c) => c.name === 'language'));
    assert.ok(readFileSync(path.join(v1, 'README.md'), 'utf8').includes(`records out | ${m.counts.output_records}`));
  });

  await t.test('exact dedup removed the nested copy and recorded the kept one', async () => {
    const dups = m.counts.excluded.duplicate ?? 0;
    const nestedFiles = countFiles(path.join(input, 'yaml', NESTED_COPY, 'commander'));
    // Every nested copy file is a duplicate unless a filter removed it first.
    assert.ok(dups >= nestedFiles * 0.5 && dups <= nestedFiles + 50, `duplicates ${dups}, nested files ${nestedFiles}`);
    const excludedFiles = m.files.filter((f) => f.path.startsWith('excluded/')).map((f) => path.join(v1, f.path));
    const kept = new Set<string>();
    for await (const r of readShards(m.files.filter((f) => f.path.startsWith('data/')).map((f) => path.join(v1, f.path)))) kept.add(r.id);
    let checked = 0;
    let nested = 0;
    for await (const r of readShards(excludedFiles)) {
      if (r.reason !== 'duplicate') continue;
      checked++;
      assert.ok(kept.has(String(r.detail)), `kept copy ${r.detail} of ${r.id} is in the release`);
      const id = String(r.id);
      const nestedPrefix = `yaml/${NESTED_COPY}/commander/`;
      if (id.startsWith(nestedPrefix)) {
        nested++;
        // Priority [repo, path]: the top-level package (commander@x) sorts before yaml@y.
        assert.equal(r.detail, id.replace(nestedPrefix, 'commander/'));
      }
    }
    assert.ok(nested > 0 && nested <= nestedFiles);
    assert.equal(checked, dups);
  });

  await t.test('verify passes, then names a damaged file and a stray one', () => {
    const ok = thresher(['verify', v1]);
    assert.equal(ok.status, 0, ok.stdout + ok.stderr);
    assert.match(ok.stdout, /OK/);
    const victim = m.files.find((f) => f.path.startsWith('data/'))!;
    appendFileSync(path.join(v1, victim.path), 'x');
    appendFileSync(path.join(v1, 'stray.txt'), 'x');
    const bad = thresher(['verify', v1]);
    assert.equal(bad.status, 1);
    assert.ok(bad.stdout.includes(`BAD ${path.join(v1, victim.path)}: size`), bad.stdout);
    assert.ok(bad.stdout.includes(`BAD ${path.join(v1, 'stray.txt')}: not in the manifest`), bad.stdout);
  });

  await t.test('a second run makes v2 and leaves v1 as it was', () => {
    const before = readFileSync(path.join(v1, 'manifest.json'), 'utf8');
    const again = thresher(['run', pipeline, '--workers', '1']);
    assert.equal(again.status, 0, again.stderr);
    assert.deepEqual(
      readdirSync(out)
        .filter((n) => /^v\d+$/.test(n))
        .sort(),
      ['v1', 'v2'],
    );
    assert.equal(readFileSync(path.join(v1, 'manifest.json'), 'utf8'), before);
    const m2 = JSON.parse(readFileSync(path.join(out, 'v2', 'manifest.json'), 'utf8')) as Manifest;
    assert.equal(m2.previous?.version, 'v1');
    assert.equal(m2.changes?.records_added, 0);
    assert.equal(m2.changes?.pipeline_changed, false);
    // One worker or two: the same bytes (but for times, in stats.json and shown in report.html with the version)
    const data = (x: Manifest) => x.files.filter((f) => f.path !== 'stats.json' && f.path !== 'report.html').map((f) => `${f.path} ${f.sha256}`);
    assert.deepEqual(data(m2), data(m));
  });
});
