import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { test } from 'node:test';
import { GitReader } from '../../src/io/readers/git.js';
import { REPO_ROOT } from '../helpers/cli.js';
import { readAll } from './repos.js';

// This checkout's own history: real commits, real files. A tarball has no .git: then it skips.
const hasGit = statSync(`${REPO_ROOT}/.git`, { throwIfNoEntry: false }) !== undefined;
const skip = hasGit ? false : `skipped: ${REPO_ROOT} has no .git (not a git checkout, e.g. a tarball)`;
const gitHere = (args: string[]) => execFileSync('git', args, { cwd: REPO_ROOT, encoding: 'utf8', maxBuffer: 1 << 28 });

test('this repository at HEAD: one record or exclusion per tracked file, ids equal git object ids', { skip }, async () => {
  const { records, excluded } = await readAll(new GitReader(REPO_ROOT));
  const tracked = gitHere(['ls-tree', '-r', '-z', 'HEAD']).split('\0').filter(Boolean);
  assert.equal(records.length + excluded.length, tracked.length);
  const blobOf = new Map(tracked.map((l) => [l.split('\t')[1], l.split(' ')[2].split('\t')[0]]));
  for (const r of records) assert.equal(r.content_id, `swh:1:cnt:${blobOf.get(r.path as string)}`, r.path as string);
  const head = gitHere(['rev-parse', 'HEAD', 'HEAD^{tree}']).trim().split('\n');
  assert.equal(records[0].swh_rev, `swh:1:rev:${head[0]}`);
  assert.equal(records[0].swh_dir, `swh:1:dir:${head[1]}`);
  assert.ok(records.some((r) => r.path === 'package.json' && (r.content as string).includes('"name": "thresher"')));
});

test('this repository history, last 30 commits: every added or changed file once per commit', { skip }, async () => {
  const count = Number(gitHere(['rev-list', '--count', 'HEAD']).trim());
  const from = count > 30 ? 'HEAD~30' : undefined;
  const { records, excluded } = await readAll(new GitReader(REPO_ROOT, { history: true, ...(from ? { from } : {}) }));
  const raw = gitHere(['log', '--no-renames', '--raw', '--format=', from ? `${from}..HEAD` : 'HEAD']).split('\n');
  const versions = raw.filter((l) => l.startsWith(':') && !/ D\t/.test(l));
  assert.equal(records.length + excluded.length, versions.length);
  const commits = new Set(
    gitHere(['rev-list', from ? `${from}..HEAD` : 'HEAD'])
      .trim()
      .split('\n'),
  );
  for (const r of records) {
    assert.ok(commits.has(r.commit as string));
    assert.equal(r.swh_rev, `swh:1:rev:${r.commit}`);
    assert.ok(typeof r.author_time === 'number' && r.author_time > 1.5e9);
  }
  // oldest first: author times never go back by much (rebases can reorder a little)
  assert.ok((records[0].author_time as number) <= (records[records.length - 1].author_time as number));
});
