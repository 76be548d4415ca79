import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { tempDir } from '../helpers/fixtures.js';
import { thresher } from '../helpers/cli.js';

/** A planned directory run whose reader holds each file to its listed size and mtime. */
function planned(): { pipeline: string; tree: string } {
  const dir = tempDir();
  const tree = path.join(dir, 'tree');
  mkdirSync(path.join(tree, 'src'), { recursive: true });
  for (let i = 0; i < 20; i++) writeFileSync(path.join(tree, 'src', `f${i}.js`), `export const v${i} = ${i};\n`);
  const pipeline = path.join(dir, 'pipeline.yaml');
  writeFileSync(
    pipeline,
    `input:\n  type: directory\n  path: ${JSON.stringify(tree)}\nstages:\n  - dedup_exact: {}\noutput:\n  path: ${JSON.stringify(path.join(dir, 'out'))}\nexecution:\n  tasks: 2\n`,
  );
  assert.equal(thresher(['plan', pipeline]).status, 0);
  return { pipeline, tree };
}

function expectStop(pipeline: string, pattern: RegExp): void {
  const run = thresher(['run', pipeline, '-q']);
  assert.equal(run.status, 1, run.stderr);
  assert.match(run.stderr, pattern);
  assert.equal(run.stderr.trim().split('\n').length, 1, run.stderr);
}

test('a directory file rewritten after planning stops the run, naming it', () => {
  const { pipeline, tree } = planned();
  const file = path.join(tree, 'src', 'f7.js');
  writeFileSync(file, 'export const v7 = 8;\n'); // same size
  utimesSync(file, new Date(), new Date(Date.now() + 5000));
  expectStop(pipeline, new RegExp(`^thresher: ${file.replace(/[/.]/g, '\\$&')}: changed since the run was planned \\(modified at .*\\); rerun with --fresh`));
  assert.equal(thresher(['run', pipeline, '-q', '--fresh']).status, 0);
});

test('a directory file grown or deleted after planning stops the run; it is not read or counted as unreadable', () => {
  const { pipeline, tree } = planned();
  writeFileSync(path.join(tree, 'src', 'f3.js'), 'export const v3 = 3; // longer now\n');
  expectStop(pipeline, /f3\.js: changed since the run was planned \(\d+ bytes when the run was planned, \d+ now\)/);
  const second = planned();
  rmSync(path.join(second.tree, 'src', 'f12.js'));
  expectStop(second.pipeline, /f12\.js: deleted since the run was planned; rerun with --fresh/);
});

test('a file added to the folder after planning stops the release of `run`, whose listing runs while the later steps do', () => {
  const { pipeline, tree } = planned();
  writeFileSync(path.join(tree, 'src', 'late.js'), 'export const late = 1;\n');
  const run = thresher(['run', pipeline, '-q']);
  assert.equal(run.status, 1, run.stderr);
  assert.match(run.stderr, /the input changed since the run was planned: 1 added \(.*late\.js\); rerun with --fresh/);
  assert.equal(run.stderr.trim().split('\n').length, 1, run.stderr);
});
