import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { thresher } from '../helpers/cli.js';
import { simpleRepo, tmpDir } from './repos.js';

test('thresher demo --git runs the demo pipeline on a folder of git repositories', () => {
  const root = tmpDir('thresher-demo-git-');
  const repos = path.join(root, 'repos');
  const shared = 'export function add(a, b) {\n  return a + b;\n}\n';
  simpleRepo(path.join(repos, 'alpha'), { 'src/add.js': shared, 'README.md': '# alpha\n\nA small library.\n', LICENSE: 'MIT License\n\nCopyright (c) 2024 Alpha\n' });
  simpleRepo(path.join(repos, 'beta'), { 'lib/add.js': shared, 'lib/sub.py': 'def sub(a, b):\n    return a - b\n' });
  const out = path.join(root, 'demo');
  const run = thresher(['demo', '--git', '-i', repos, '-o', out, '-w', '1', '-t', '2', '-q']);
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stdout, /^release v1: /m);
  const manifest = JSON.parse(readFileSync(path.join(out, 'v1', 'manifest.json'), 'utf8')) as { input: { type: string }; schema: { name: string }[]; counts: { input_records: number } };
  assert.equal(manifest.input.type, 'git');
  assert.ok(
    manifest.schema.some((c) => c.name === 'swh_rev'),
    'records carry their Software Heritage revision',
  );
  assert.equal(manifest.counts.input_records, 5);
  assert.match(run.stdout, /dedup_exact/);
  const noRepos = thresher(['demo', '--git', '-o', path.join(root, 'x'), '-q']);
  assert.equal(noRepos.status, 1);
  assert.match(noRepos.stderr, /--git needs --input/);
});
