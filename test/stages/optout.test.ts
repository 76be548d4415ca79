import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { readShards } from '../../src/engine/shard-reader.js';
import { optoutStage } from '../../src/stages/optout.js';
import type { MapStage } from '../../src/core/stage.js';
import { countFiles, makeCodeTree, tempDir, writePipeline } from '../helpers/fixtures.js';
import { thresher } from '../helpers/cli.js';
import { readManifest, releasedIds } from '../helpers/pools.js';

const entry = (kind: string, name: string) => `  - ${kind}: ${name}\n    date: 2024-05-01\n    reason: request by e-mail\n`;

test('an opt-out applied to a second release: v1 holds the package, v2 does not and says so, check tells them apart', async (t) => {
  const dir = tempDir();
  const input = makeCodeTree(dir, ['commander', 'yaml', 'cli-progress', 'fzstd']);
  const registry = path.join(dir, 'optout.yaml');
  writeFileSync(registry, 'entries: []\n');
  const pipeline = writePipeline(dir, input, {
    tasks: 3,
    stages: `  - optout: { registry: optout.yaml }
  - dedup_exact:
      priority: [repo, path]`,
  });
  const v1 = path.join(dir, 'out', 'v1');
  const v2 = path.join(dir, 'out', 'v2');
  const version = JSON.parse(readFileSync(path.join(input, 'cli-progress', 'package.json'), 'utf8')).version as string;
  const files = countFiles(path.join(input, 'cli-progress'));

  const first = thresher(['run', pipeline, '--workers', '2', '--quiet']);
  assert.equal(first.status, 0, first.stderr);
  const m1 = readManifest(v1);
  assert.equal(m1.sections?.optout.data.removed, 0);
  assert.ok(
    (await releasedIds(v1)).some((id) => id.startsWith('cli-progress/')),
    'v1 holds cli-progress',
  );

  await t.test('check finds the package in v1 and lists its files; exit 1', () => {
    const r = thresher(['optout', 'check', 'cli-progress', v1]);
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stdout, new RegExp(`cli-progress IS in this release: ${files} records in data/ from cli-progress@${version.replace(/\./g, '\\.')} \\(${files}\\)`));
    assert.match(r.stdout, /data\/part-\d{5}-\d{4}\.parquet\tcli-progress\/lib\/eta\.js/);
    const other = thresher(['optout', 'check', 'owner:cli-progress', v1]);
    assert.equal(other.status, 0, 'an owner entry does not cover a package of the same name');
  });

  writeFileSync(registry, `entries:\n${entry('package', 'cli-progress')}${entry('owner', 'nobody-here')}`);
  const second = thresher(['run', pipeline, '--workers', '2', '--quiet']);
  assert.equal(second.status, 0, second.stderr);
  const m2 = readManifest(v2);

  await t.test('v2 has no record of the package; the manifest and the card list the removals', async () => {
    assert.ok(!(await releasedIds(v2)).some((id) => id.startsWith('cli-progress/')));
    assert.equal(m2.counts.excluded.opted_out, files);
    const section = m2.sections!.optout;
    assert.equal(section.stage, '0-optout');
    assert.equal(section.artifacts, 'artifacts/0-optout/');
    assert.deepEqual(section.data, {
      registry: { file: 'optout.yaml', sha256: createHash('sha256').update(readFileSync(registry)).digest('hex'), entries: 2 },
      column: 'repo',
      removed: files,
      by_entry: { 'package:cli-progress': files },
      ids_file: 'artifacts/0-optout/removed.jsonl',
    });
    assert.ok(m2.files.some((f) => f.path === 'artifacts/0-optout/removed.jsonl'));
    const removed = readFileSync(path.join(v2, 'artifacts', '0-optout', 'removed.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    assert.equal(removed.length, files);
    assert.ok(removed.every((r) => r.entry === 'package:cli-progress' && r.repo === `cli-progress@${version}` && r.id.startsWith('cli-progress/')));
    const excluded: string[] = [];
    for await (const r of readShards(m2.files.filter((f) => f.path.startsWith('excluded/')).map((f) => path.join(v2, f.path)))) {
      if (r.reason === 'opted_out') {
        excluded.push(r.id);
        assert.equal(r.detail, `package:cli-progress matched cli-progress@${version}`);
      }
    }
    assert.deepEqual(excluded.sort(), removed.map((r) => r.id).sort());
    const card = readFileSync(path.join(v2, 'README.md'), 'utf8');
    assert.match(card, /## Opt-out/);
    assert.ok(card.includes(`| \`package:cli-progress\` | ${files} |`), card);
    assert.ok(card.includes('`artifacts/0-optout/removed.jsonl`'));
    assert.ok(!card.includes('nobody-here'), 'entries that removed nothing are not named');
    const verify = thresher(['verify', v2]);
    assert.equal(verify.status, 0, verify.stdout);
  });

  await t.test('check: v2 exit 0 with the removals listed, v1 still exit 1', () => {
    const r = thresher(['optout', 'check', 'cli-progress', v2]);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /nothing of cli-progress in this release's data/);
    assert.match(r.stdout, new RegExp(`${files} records of cli-progress removed by opt-out \\(package:cli-progress\\)`));
    assert.match(r.stdout, /cli-progress\/lib\/eta\.js\tcli-progress@/);
    assert.equal(thresher(['optout', 'check', 'cli-progress', v1]).status, 1);
    assert.equal(thresher(['optout', 'check', 'commander', v2]).status, 1, 'others are still there');
  });

  await t.test('a bad registry stops the run with its file and line', () => {
    writeFileSync(registry, `entries:\n${entry('package', 'cli-progress')}  - owner: x\n    date: yesterday\n    reason: r\n`);
    const r = thresher(['run', pipeline, '--workers', '1', '--quiet']);
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /optout\.yaml:5: entries\[1\]: date: expected a date YYYY-MM-DD/);
    assert.ok(!existsSync(path.join(dir, 'out', 'v3')));
  });
});

test('a resumed run must apply the registry its first tasks applied', async () => {
  const dir = tempDir();
  const registry = path.join(dir, 'optout.yaml');
  writeFileSync(registry, `entries:\n${entry('owner', 'a')}`);
  const stageDir = path.join(dir, 'stage');
  const open = () =>
    (optoutStage.create(optoutStage.params.parse({ registry: 'optout.yaml' }), { contentColumn: 'content', baseDir: dir }) as MapStage).open!({
      step: 'segment-0',
      rank: 0,
      worldSize: 2,
      seed: 0,
      stageDir,
    });
  await open();
  await open(); // the same registry: fine
  writeFileSync(registry, `entries:\n${entry('owner', 'b')}`);
  await assert.rejects(open(), /optout\.yaml: the opt-out registry changed since this run began .*rerun with --fresh/);
});
