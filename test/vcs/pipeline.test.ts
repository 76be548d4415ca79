import assert from 'node:assert/strict';
import { cpSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { REPO_ROOT, thresher } from '../helpers/cli.js';
import { readManifest, releasedIds } from '../helpers/pools.js';
import { git, readAll, simpleRepo, tmpDir } from './repos.js';
import { GitReader } from '../../src/io/readers/git.js';

let root: string;
before(() => {
  root = tmpDir('gitpipe');
  const shared = 'export function add(a: number, b: number): number {\n  return a + b;\n}\n';
  simpleRepo(path.join(root, 'repos', 'big', 'lib'), { 'src/add.ts': shared, 'README.md': '# lib\n' });
  simpleRepo(path.join(root, 'repos', 'small', 'copy'), { 'vendor/add.ts': shared, 'main.ts': 'console.log(1);\n' });
  // the copy's owner has more stars: priority [-repo_stars] keeps its file, whatever the names
  writeFileSync(
    path.join(root, 'repos.jsonl'),
    [
      { repo: 'big/lib', stars: 10, forks: 1 },
      { repo: 'small/copy', stars: 999, forks: 7 },
    ]
      .map((r) => JSON.stringify(r))
      .join('\n') + '\n',
  );
});
after(() => rmSync(root, { recursive: true, force: true }));

test('a pipeline on a folder of git repositories: exact dedup keeps the copy of the most-starred repository', async () => {
  const file = path.join(root, 'pipeline.yaml');
  writeFileSync(
    file,
    `name: git-folder
input:
  type: git
  path: repos
  metadata: { path: repos.jsonl }
stages:
  - dedup_exact:
      priority: [-repo_stars, repo, path]
output:
  path: out
  format: parquet
execution:
  tasks: 2
`,
  );
  const run = thresher(['run', file, '-w', '2', '-q']);
  assert.equal(run.status, 0, run.stderr);
  const release = path.join(root, 'out', 'v1');
  assert.deepEqual((await releasedIds(release)).sort(), ['big/lib/README.md', 'small/copy/main.ts', 'small/copy/vendor/add.ts']);
  const m = readManifest(release);
  assert.equal(m.counts.excluded.duplicate, 1);
});

test('the reader gives the same records on one rank or split over two', async () => {
  const reader = new GitReader(path.join(root, 'repos'));
  const files = await reader.listFiles();
  const ids: string[] = [];
  for (const rank of [0, 1]) for await (const it of reader.read(reader.slices(files, rank, 2), 'quarantine')) ids.push(it.record!.id);
  assert.deepEqual(
    ids,
    (await readAll(reader)).records.map((r) => r.id),
  );
});

test('examples/git-repos.yaml runs on a folder of real packages made into repositories', async () => {
  const dir = tmpDir('example');
  try {
    const pkgs = ['commander', 'fzstd', 'character-entities'];
    for (const p of pkgs) {
      const repo = path.join(dir, 'repos', p);
      cpSync(path.join(REPO_ROOT, 'node_modules', p), repo, { recursive: true });
      git(repo, ['init', '-q']);
      git(repo, ['add', '-A', '-f']);
      git(repo, ['commit', '-qm', 'import']);
    }
    // a vendored copy of one package's entry file in another repository, whose repository has more stars
    const copied = path.join(dir, 'repos', 'fzstd', 'vendor', 'commander.js');
    cpSync(path.join(REPO_ROOT, 'node_modules', 'commander', 'index.js'), copied);
    git(path.join(dir, 'repos', 'fzstd'), ['add', '-A', '-f']);
    git(path.join(dir, 'repos', 'fzstd'), ['commit', '-qm', 'vendor']);
    writeFileSync(path.join(dir, 'repos.jsonl'), pkgs.map((p, i) => JSON.stringify({ repo: p, stars: p === 'fzstd' ? 500 : i, forks: 0, license: 'MIT' })).join('\n') + '\n');
    cpSync(path.join(REPO_ROOT, 'examples', 'git-repos.yaml'), path.join(dir, 'pipeline.yaml'));
    const run = thresher(['run', path.join(dir, 'pipeline.yaml'), '-w', '2', '-q']);
    assert.equal(run.status, 0, run.stderr);
    const ids = await releasedIds(path.join(dir, 'out', 'v1'));
    assert.ok(ids.includes('fzstd/vendor/commander.js'), 'the copy in the best-starred repository is kept');
    assert.ok(!ids.includes('commander/index.js'), 'the other copy is removed as a duplicate');
    assert.ok(ids.some((id) => id.startsWith('character-entities/')));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
