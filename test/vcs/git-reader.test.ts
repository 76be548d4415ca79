import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { GitReader } from '../../src/io/readers/git.js';
import { directoryId } from '../../src/vcs/swhid.js';
import { LATIN1_NAME, T1, T2, T3, git, readAll, richRepo, simpleRepo, tmpDir } from './repos.js';

let root: string;
let repo: string;

before(() => {
  root = tmpDir('git');
  repo = richRepo(root);
});
after(() => rmSync(root, { recursive: true, force: true }));

test('snapshot at HEAD: every file once, ids equal git object ids', async () => {
  const { records, excluded } = await readAll(new GitReader(repo));
  const paths = records.map((r) => r.path);
  // sorted by path bytes: the Latin-1 name (c a f 0xE9) after 'README.md'
  assert.deepEqual(paths, ['.gitmodules', 'README.md', '"caf\\351.txt"', 'run.sh', 'src/change.py', 'src/new_name.py']);
  const head = git(repo, ['rev-parse', 'HEAD']).trim();
  const tree = git(repo, ['rev-parse', 'HEAD^{tree}']).trim();
  for (const r of records) {
    assert.equal(r.swh_rev, `swh:1:rev:${head}`);
    assert.equal(r.swh_dir, `swh:1:dir:${tree}`);
    assert.equal(r.repo, 'rich');
    assert.equal(r.origin, 'https://example.org/ada/rich.git');
    assert.equal(r.id, `rich/${r.path}`);
  }
  const change = records.find((r) => r.path === 'src/change.py')!;
  assert.equal(change.content, 'v = 3\n');
  assert.equal(change.content_id, `swh:1:cnt:${git(repo, ['rev-parse', 'HEAD:src/change.py']).trim()}`);
  assert.equal(records.find((r) => r.path === '"caf\\351.txt"')!.content, 'latin-1 name\n');
  // submodule, LFS pointer, symlink and binary file are excluded with their reason
  const reasons = Object.fromEntries(excluded.map((e) => [e.id, e.reason]));
  assert.deepEqual(reasons, { 'rich/blob.dat': 'binary', 'rich/link.md': 'symlink', 'rich/model.bin': 'lfs_pointer', 'rich/vendor/sub': 'submodule' });
  assert.match(excluded.find((e) => e.reason === 'lfs_pointer')!.detail!, /sha256:4d7a2146.* \(12345 bytes\)/);
  // every entry has its own (source, source_row): dedup addresses removals by position
  const rows = [...records, ...excluded].map((r) => `${r.source}#${r.source_row}`);
  assert.equal(new Set(rows).size, rows.length);
});

test('snapshot id from the repository refs, computed independently from git for-each-ref', async () => {
  const { records } = await readAll(new GitReader(repo));
  // manifest by hand: refs sorted by name, annotated tag as a release, HEAD an alias
  const lines = git(repo, ['for-each-ref', '--format=%(objectname) %(objecttype) %(refname)']).trim().split('\n');
  const branches = lines.map((l) => {
    const [sha, type, name] = l.split(' ');
    return { name, type: type === 'tag' ? 'release' : 'revision', target: Buffer.from(sha, 'hex') };
  });
  branches.push({ name: 'HEAD', type: 'alias', target: Buffer.from(git(repo, ['symbolic-ref', 'HEAD']).trim()) });
  branches.sort((a, b) => (a.name < b.name ? -1 : 1));
  assert.ok(branches.some((b) => b.type === 'release'));
  const manifest = Buffer.concat(branches.flatMap((b) => [Buffer.from(`${b.type} ${b.name}\0${b.target.length}:`), b.target]));
  const expected = createHash('sha1').update(`snapshot ${manifest.length}\0`).update(manifest).digest('hex');
  assert.equal(records[0].swh_snp, `swh:1:snp:${expected}`);
});

test('directory ids computed from a file list equal git tree ids (as used for hg and svn)', () => {
  const entries = git(repo, ['ls-tree', '-r', '-z', 'HEAD'])
    .split('\0')
    .filter(Boolean)
    .map((e) => {
      const [meta, p] = e.split('\t');
      const [mode, , sha] = meta.split(' ');
      return { path: p === 'café.txt' ? LATIN1_NAME : Buffer.from(p, 'latin1'), mode: mode as '100644', sha };
    });
  // ls-tree output was decoded as UTF-8 by execFileSync: recover the raw Latin-1 name
  const fixed = entries.map((e) => (e.path.toString('latin1').startsWith('caf') ? { ...e, path: LATIN1_NAME } : e));
  assert.equal(directoryId(fixed), `swh:1:dir:${git(repo, ['rev-parse', 'HEAD^{tree}']).trim()}`);
});

test('a ref and a date: the last commit before the date on that ref', async () => {
  const first = git(repo, ['rev-list', '--max-parents=0', 'HEAD']).trim();
  const { records } = await readAll(new GitReader(repo, { date: new Date((T1 + 10) * 1000).toISOString() }));
  assert.deepEqual(
    records.map((r) => r.path),
    ['README.md', 'src/change.py', 'src/gone.py', 'src/old_name.py'],
  );
  assert.equal(records[0].swh_rev, `swh:1:rev:${first}`);
  const tagged = await readAll(new GitReader(repo, { ref: 'light' }));
  assert.equal(tagged.records.find((r) => r.path === 'src/change.py')!.content, 'v = 2\n');
  // an annotated tag is peeled to its commit; an expression goes to git
  const annotated = await readAll(new GitReader(repo, { ref: 'v1' }));
  assert.equal(annotated.records[0].swh_rev, `swh:1:rev:${git(repo, ['rev-parse', 'HEAD']).trim()}`);
  const back = await readAll(new GitReader(repo, { ref: 'HEAD~2' }));
  assert.equal(back.records[0].swh_rev, `swh:1:rev:${first}`);
});

test('last commit, time and author of each file: the newest commit that touched it', async () => {
  const { records } = await readAll(new GitReader(repo, { lastCommit: true }));
  for (const r of records) {
    const [sha, time, author] = git(repo, ['log', '-1', '--format=%H %at %an <%ae>', '--', r.path === '"caf\\351.txt"' ? ':(glob)caf?.txt' : (r.path as string)])
      .trim()
      .split(/ (?=\S+ )|(?<=^\S+ \d+) /);
    assert.equal(r.last_commit, sha, `${r.path}`);
    assert.equal(r.last_commit_time, Number(time));
    assert.equal(r.last_author, author);
  }
  assert.equal(records.find((r) => r.path === 'README.md')!.last_commit_time, T1);
  assert.equal(records.find((r) => r.path === 'src/change.py')!.last_commit_time, T3);
});

test('history mode: every version of every file, oldest first, with commit, parent and author time', async () => {
  const { records, excluded } = await readAll(new GitReader(repo, { history: true }));
  const change = records.filter((r) => r.path === 'src/change.py');
  assert.deepEqual(
    change.map((r) => [r.content, r.author_time]),
    [
      ['v = 1\n', T1],
      ['v = 2\n', T2],
      ['v = 3\n', T3],
    ],
  );
  const commits = git(repo, ['rev-list', '--reverse', 'HEAD']).trim().split('\n');
  assert.deepEqual(
    change.map((r) => [r.commit, r.parent]),
    [
      [commits[0], null],
      [commits[1], commits[0]],
      [commits[2], commits[1]],
    ],
  );
  assert.equal(change[1].id, `rich/src/change.py@${commits[1]}`);
  assert.equal(change[1].swh_dir, `swh:1:dir:${git(repo, ['rev-parse', `${commits[1]}^{tree}`]).trim()}`);
  // a rename is a new path with the same blob: exact dedup on content_id makes it free
  const oldName = records.find((r) => r.path === 'src/old_name.py')!;
  const newName = records.find((r) => r.path === 'src/new_name.py')!;
  assert.equal(oldName.content_id, newName.content_id);
  // versions = the added or changed paths git log --raw reports (deleted ones have no content)
  const raw = git(repo, ['log', '--no-renames', '--raw', '--format=', 'HEAD'])
    .trim()
    .split('\n')
    .filter((l) => l.startsWith(':') && !/\tD?\s*$/.test(l) && !/ D\t/.test(l));
  assert.equal(records.length + excluded.length, raw.length);
  // a range: only the last commit's versions
  const last = await readAll(new GitReader(repo, { history: true, from: 'HEAD~1' }));
  assert.deepEqual(
    last.records.map((r) => [r.path, r.content]),
    [['src/change.py', 'v = 3\n']],
  );
});

test('a folder of repositories: work trees and bare ones, named by their folder', async () => {
  const many = path.join(root, 'many');
  simpleRepo(path.join(many, 'alice', 'one'), { 'a.py': 'a = 1\n' }, { remote: 'git@example.org:alice/one.git' });
  simpleRepo(path.join(many, 'bob', 'two'), { 'b.py': 'b = 2\n', 'docs/x.md': 'x\n' }, { bare: true });
  rmSync(path.join(many, 'bob', 'two'), { recursive: true, force: true }); // keep only the bare clone
  const reader = new GitReader(many);
  const files = await reader.listFiles();
  assert.deepEqual(
    files.map((f) => f.path),
    ['alice/one', 'bob/two'],
  );
  const { records } = await readAll(reader);
  assert.deepEqual(
    records.map((r) => r.id),
    ['alice/one/a.py', 'bob/two/b.py', 'bob/two/docs/x.md'],
  );
  assert.equal(records[0].origin, 'git@example.org:alice/one.git');
  // a repository whose HEAD names no branch is one exclusion; the others sharing its cat-file process are read
  simpleRepo(path.join(many, 'carol', 'broken'), { 'c.py': 'c = 3\n' });
  git(path.join(many, 'carol', 'broken'), ['symbolic-ref', 'HEAD', 'refs/heads/nowhere']);
  const withBroken = await readAll(new GitReader(many));
  assert.deepEqual(
    withBroken.records.map((r) => r.id),
    ['alice/one/a.py', 'bob/two/b.py', 'bob/two/docs/x.md'],
  );
  assert.deepEqual(
    withBroken.excluded.map((e) => [e.id, e.reason]),
    [['carol/broken', 'unreadable']],
  );
  rmSync(path.join(many, 'carol'), { recursive: true, force: true });
  // a repository git cannot even open (broken config) heads the shared process: it alone is unreadable
  simpleRepo(path.join(many, 'aaa', 'bad'), { 'z.py': 'z = 0\n' });
  writeFileSync(path.join(many, 'aaa', 'bad', '.git', 'config'), '[core\nbroken');
  const withBad = await readAll(new GitReader(many));
  assert.deepEqual(
    withBad.records.map((r) => r.id),
    ['alice/one/a.py', 'bob/two/b.py', 'bob/two/docs/x.md'],
  );
  assert.deepEqual(
    withBad.excluded.map((e) => [e.id, e.reason]),
    [['aaa/bad', 'unreadable']],
  );
  rmSync(path.join(many, 'aaa'), { recursive: true, force: true });
  // two ranks split the repositories between them
  assert.deepEqual(
    [0, 1].map((rank) => reader.slices(files, rank, 2).map((s) => s.file.path)),
    [['alice/one'], ['bob/two']],
  );
});

test('a missing ref is one exclusion for the repository under quarantine, an error under fail', async () => {
  const reader = new GitReader(repo, { ref: 'no-such-branch' });
  const { records, excluded } = await readAll(reader);
  assert.equal(records.length, 0);
  assert.equal(excluded.length, 1);
  assert.equal(excluded[0].reason, 'unreadable');
  const files = await reader.listFiles();
  await assert.rejects(async () => {
    const it = reader.read(reader.slices(files, 0, 1), 'fail')[Symbol.asyncIterator]();
    while (!(await it.next()).done);
  }, /no commit no-such-branch/);
});
