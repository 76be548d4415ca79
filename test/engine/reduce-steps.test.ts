import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { defineStage, type GlobalStage } from '../../src/core/stage.js';
import { planSteps } from '../../src/engine/plan.js';
import type { LoadedPipeline } from '../../src/pipeline/load.js';
import type { Manifest } from '../../src/release/manifest.js';
import { z } from 'zod';
import { tempDir } from '../helpers/fixtures.js';
import { thresher, thresherAsync } from '../helpers/cli.js';
import { makeVersionedTree } from '../helpers/near-dups.js';
import { readManifest } from '../helpers/pools.js';

function writePipeline(dir: string, input: string, stages: string, tasks: number): string {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'pipeline.yaml');
  writeFileSync(file, `name: steps\ninput:\n  type: directory\n  path: ${JSON.stringify(input)}\nstages:\n${stages}output:\n  path: out\nexecution:\n  tasks: ${tasks}\n`);
  return file;
}

const STAGES = `  - dedup_exact: {}\n  - near_dedup: {cc_rounds: 3}\n`;

test('a global stage declares a chain of reduce steps; a stage with one reduce keeps its step name', () => {
  const root = tempDir();
  const { dir } = makeVersionedTree(root, ['debug']);
  const plan = thresher(['plan', writePipeline(path.join(root, 'p'), dir, STAGES, 2)]);
  assert.equal(plan.status, 0, plan.stderr);
  const steps = (JSON.parse(plan.stdout) as { steps: { name: string; ranks: number }[] }).steps.map((s) => s.name);
  assert.deepEqual(steps, [
    'segment-0',
    'reduce-0-dedup_exact',
    'segment-1',
    'reduce-1-near_dedup-bands',
    'reduce-1-near_dedup-cc_1',
    'reduce-1-near_dedup-cc_2',
    'reduce-1-near_dedup-cc_3',
    'reduce-1-near_dedup-members',
    'reduce-1-near_dedup-attach',
    'reduce-1-near_dedup-decide',
    'segment-2',
  ]);
});

test('planning refuses a global stage with both reduce and reduceSteps, with neither, or with a bad step name', () => {
  const stage = (shape: Partial<GlobalStage>) =>
    defineStage({
      name: 'odd',
      description: 'test',
      kind: 'global',
      params: z.object({}),
      create: () => ({ kind: 'global', columns: [], observer: async () => ({ finish: async () => {} }), applier: async () => ({}), ...shape }) as GlobalStage,
    });
  const pipeline = (definition: ReturnType<typeof stage>) =>
    ({ shown: 'p.yaml', env: { contentColumn: 'text', baseDir: '.' }, stages: [{ index: 0, name: 'odd', definition, params: {}, at: ':3:5' }] }) as unknown as LoadedPipeline;
  const reduce = async () => ({});
  assert.throws(() => planSteps(pipeline(stage({ reduce, reduceSteps: [{ name: 'a', run: reduce }] }))), /p\.yaml:3:5: stage odd must give exactly one of reduce\(\) and reduceSteps/);
  assert.throws(() => planSteps(pipeline(stage({}))), /exactly one of/);
  assert.throws(() => planSteps(pipeline(stage({ reduceSteps: [] }))), /declares no reduce steps/);
  assert.throws(() => planSteps(pipeline(stage({ reduceSteps: [{ name: 'A-b', run: reduce }] }))), /"A-b" is repeated or not/);
  assert.throws(() => planSteps(pipeline(stage({ reduceSteps: ['x', 'x'].map((name) => ({ name, run: reduce })) }))), /"x" is repeated/);
  const steps = planSteps(pipeline(stage({ reduceSteps: ['one', 'two'].map((name) => ({ name, run: reduce })) })));
  assert.deepEqual(
    steps.map((s) => [s.name, s.kind === 'reduce' ? s.final : null]),
    [
      ['segment-0', null],
      ['reduce-0-odd-one', false],
      ['reduce-0-odd-two', true],
      ['segment-1', null],
    ],
  );
});

function markers(out: string): number {
  const steps = path.join(out, '.thresher', 'work', 'steps');
  if (!existsSync(steps)) return 0;
  return readdirSync(steps).reduce((n, s) => n + (existsSync(path.join(steps, s, 'done')) ? readdirSync(path.join(steps, s, 'done')).filter((f) => f.endsWith('.json')).length : 0), 0);
}

/** Start a run on one worker and SIGKILL it once `atMarkers` tasks are complete (the next task is then running). */
async function killAfter(pipeline: string, out: string, atMarkers: number): Promise<boolean> {
  const child = thresherAsync(['run', pipeline, '--workers', '1', '-q']);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  let done = false;
  void exited.then(() => (done = true));
  while (!done) {
    if (markers(out) >= atMarkers) {
      child.kill('SIGKILL');
      await exited;
      return true;
    }
    await new Promise((r) => setTimeout(r, 2));
  }
  return false;
}

// stats.json holds times, and report.html shows them: the only files that may differ between runs
const releaseFiles = (m: Manifest) => m.files.filter((f) => f.path !== 'stats.json' && f.path !== 'report.html').map((f) => `${f.path} ${f.sha256} ${f.rows}`);

test('killed with SIGKILL inside each reduce round of near_dedup, the resumed run makes a byte-identical release', async () => {
  const root = tempDir();
  const { dir } = makeVersionedTree(root, ['commander', 'debug', 'chalk', 'minimatch']);
  const ref = thresher(['run', writePipeline(path.join(root, 'ref'), dir, STAGES, 3), '-q']);
  assert.equal(ref.status, 0, ref.stderr);
  const pipeline = writePipeline(path.join(root, 'cut'), dir, STAGES, 3);
  const out = path.join(root, 'cut', 'out');
  // 3 ranks per step: segment-0, dedup_exact, segment-1 are markers 1-9; near_dedup's seven
  // reduce steps 10-30. Kill once one task of each has committed: its next task is running.
  const killed: boolean[] = [];
  for (const at of [10, 13, 16, 19, 22, 25, 28]) killed.push(await killAfter(pipeline, out, at));
  assert.ok(killed.filter(Boolean).length >= 6, `killed inside ${killed.filter(Boolean).length} of 7 rounds`);
  const resumed = thresher(['run', pipeline, '-q']);
  assert.equal(resumed.status, 0, resumed.stderr);
  const a = readManifest(path.join(root, 'ref', 'out', 'v1'));
  const b = readManifest(path.join(out, 'v1'));
  assert.ok(releaseFiles(a).some((f) => f.startsWith('artifacts/1-near_dedup/clusters.parquet')));
  assert.deepEqual(releaseFiles(b), releaseFiles(a));
  assert.deepEqual(b.counts.excluded, a.counts.excluded);
  assert.ok((a.counts.excluded.near_duplicate ?? 0) > 20);
  assert.equal(thresher(['verify', path.join(out, 'v1')]).status, 0);
});

test('reduceOneRank runs every reduce step in order in one process (benchmarks drive global stages so)', async () => {
  const { nearDedupStage } = await import('../../src/stages/near-dedup.js');
  const { BatchBuilder, allRows } = await import('../../src/core/batch.js');
  const { reduceOneRank } = await import('../../src/core/stage.js');
  const text = Array.from({ length: 300 }, (_, i) => `word${i % 97} value${i} item${i % 13}`).join(' ');
  const records = [
    { id: 'a', source: 'a', source_row: 0, content: text },
    { id: 'b', source: 'b', source_row: 0, content: text.replace('value7 ', 'value7x ') },
    { id: 'c', source: 'c', source_row: 0, content: 'something else entirely, with enough words to shingle' },
  ];
  const builder = new BatchBuilder(['id', 'source', 'source_row', 'content'], 10);
  for (const r of records) builder.add(r);
  const batch = builder.take();
  const stage = nearDedupStage.create(nearDedupStage.params.parse({}), { contentColumn: 'content', baseDir: '.' });
  const task = { step: 'test', rank: 0, worldSize: 1, seed: 0, stageDir: tempDir() };
  const observer = await stage.observer(task);
  observer.observeBatch!(batch, allRows(batch.length));
  await observer.finish();
  const counters = await reduceOneRank(stage, task);
  assert.equal(counters.clusters_decided, 1);
  assert.equal(counters.near_duplicates, 1);
  const excluded: string[] = [];
  (await stage.applier(task)).processBatch!(batch, allRows(batch.length), (row, why) => excluded.push(`${batch.column('id')![row]} ${why.reason} ${why.detail}`));
  assert.deepEqual(excluded, ['b near_duplicate a']);
  await assert.rejects(reduceOneRank(stage, { ...task, worldSize: 2 }), /several ranks need the engine's steps/);
});
