import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, test } from 'node:test';
import { VcsExportReader } from '../../src/io/readers/vcs-export.js';
import { hasCli } from '../../src/vcs/git-run.js';
import { git, readAll, tmpDir, write } from './repos.js';

// CI installs both (.ci/run) and runs with CI=true: there a missing CLI fails the test instead of skipping it
const ci = process.env.CI === 'true';
const noHg = hasCli('hg') || ci ? false : 'skipped: the hg command is absent (Debian: apt-get install mercurial; .ci/run installs it)';
const noSvn = (hasCli('svn') && hasCli('svnadmin')) || ci ? false : 'skipped: the svn/svnadmin commands are absent (Debian: apt-get install subversion; .ci/run installs it)';

let root: string;
before(() => void (root = tmpDir('hgsvn')));
after(() => rmSync(root, { recursive: true, force: true }));

function run(cmd: string, args: string[], cwd: string): string {
  return execFileSync(cmd, args, { cwd, encoding: 'utf8', env: { ...process.env, HGPLAIN: '1', HGUSER: 'Ada <ada@example.org>' } });
}

/** The tree id git gives the same files: what SWH's directory id is for any tree. */
function gitTreeOf(files: Record<string, string>, exec: string[] = []): string {
  const dir = tmpDir('tree');
  git(dir, ['init', '-q']);
  for (const [p, t] of Object.entries(files)) write(dir, p, t);
  for (const p of exec) execFileSync('chmod', ['+x', path.join(dir, p)]);
  git(dir, ['add', '-A']);
  const tree = git(dir, ['write-tree']).trim();
  rmSync(dir, { recursive: true, force: true });
  return `swh:1:dir:${tree}`;
}

test('Mercurial: files at tip and at an older revision, with the changeset id and SWH directory id', { skip: noHg }, async () => {
  const repo = path.join(root, 'hgrepo');
  mkdirSync(repo);
  run('hg', ['init'], repo);
  write(repo, 'a.py', 'a = 1\n');
  write(repo, 'lib/b.py', 'b = 1\n');
  run('hg', ['add', '-q'], repo);
  run('hg', ['commit', '-q', '-m', 'one'], repo);
  write(repo, 'a.py', 'a = 2\n');
  run('hg', ['rm', '-q', 'lib/b.py'], repo);
  write(repo, 'c.sh', '#!/bin/sh\n');
  execFileSync('chmod', ['+x', path.join(repo, 'c.sh')]);
  run('hg', ['add', '-q'], repo);
  run('hg', ['commit', '-q', '-m', 'two'], repo);

  const tip = await readAll(new VcsExportReader('hg', repo));
  assert.deepEqual(
    tip.records.map((r) => [r.path, r.content]),
    [
      ['a.py', 'a = 2\n'],
      ['c.sh', '#!/bin/sh\n'],
    ],
  );
  assert.equal(tip.records[0].revision, run('hg', ['log', '-r', 'tip', '-T', '{node}'], repo));
  assert.equal(tip.records[0].swh_dir, gitTreeOf({ 'a.py': 'a = 2\n', 'c.sh': '#!/bin/sh\n' }, ['c.sh']));
  assert.equal(tip.records[0].content_id, `swh:1:cnt:${execFileSync('git', ['hash-object', '--stdin'], { input: 'a = 2\n', encoding: 'utf8' }).trim()}`);
  const first = await readAll(new VcsExportReader('hg', repo, { revision: '0' }));
  assert.deepEqual(
    first.records.map((r) => [r.id, r.content]),
    [
      ['hgrepo/a.py', 'a = 1\n'],
      ['hgrepo/lib/b.py', 'b = 1\n'],
    ],
  );
});

test('Subversion: an svnadmin repository at HEAD and at revision 1', { skip: noSvn }, async () => {
  const repo = path.join(root, 'svnrepo');
  run('svnadmin', ['create', repo], root);
  const wc = path.join(root, 'svnwc');
  run('svn', ['checkout', '-q', pathToFileURL(repo).href, wc], root);
  write(wc, 'trunk/main.c', 'int main(void) { return 0; }\n');
  write(wc, 'trunk/util.h', '#pragma once\n');
  run('svn', ['add', '-q', 'trunk'], wc);
  run('svn', ['commit', '-q', '-m', 'one', '--username', 'ada'], wc);
  write(wc, 'trunk/main.c', 'int main(void) { return 1; }\n');
  run('svn', ['commit', '-q', '-m', 'two', '--username', 'ada'], wc);

  const head = await readAll(new VcsExportReader('svn', repo));
  assert.deepEqual(
    head.records.map((r) => [r.path, r.content, r.revision]),
    [
      ['trunk/main.c', 'int main(void) { return 1; }\n', '2'],
      ['trunk/util.h', '#pragma once\n', '2'],
    ],
  );
  assert.equal(head.records[0].swh_dir, gitTreeOf({ 'trunk/main.c': 'int main(void) { return 1; }\n', 'trunk/util.h': '#pragma once\n' }));
  const r1 = await readAll(new VcsExportReader('svn', repo, { revision: '1' }));
  assert.equal(r1.records[0].content, 'int main(void) { return 0; }\n');
  // a working copy reads through its URL
  const fromWc = await readAll(new VcsExportReader('svn', wc));
  assert.equal(fromWc.records.length, 2);
});
