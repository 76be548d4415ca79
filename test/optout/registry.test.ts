import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadRegistry, parseRegistry } from '../../src/optout/registry.js';
import { OptoutMatcher, queryEntries } from '../../src/optout/match.js';
import { tempDir } from '../helpers/fixtures.js';

const GOOD = `# requests handled by the data team
entries:
  - owner: octocat
    date: 2024-05-01
    reason: e-mail from the owner
  - repo: someone/Some-Repo
    date: 2024-06-02
    reason: issue #12
  - package: left-pad
    date: 2024-07-03
    reason: maintainer request
  - package: "@scope/tool"
    date: 2024-07-04
    reason: maintainer request
`;

test('a registry file: entries with kind, name, date, reason and line; the sha256 of its bytes', () => {
  const dir = tempDir();
  const file = path.join(dir, 'optout.yaml');
  writeFileSync(file, GOOD);
  const r = loadRegistry(file);
  assert.equal(r.sha256, createHash('sha256').update(GOOD).digest('hex'));
  assert.deepEqual(
    r.entries.map((e) => [e.kind, e.name, e.date, e.line]),
    [
      ['owner', 'octocat', '2024-05-01', 3],
      ['repo', 'someone/Some-Repo', '2024-06-02', 6],
      ['package', 'left-pad', '2024-07-03', 9],
      ['package', '@scope/tool', '2024-07-04', 12],
    ],
  );
  assert.equal(parseRegistry('{"entries": []}', 'r.json').entries.length, 0, 'JSON is YAML');
  assert.throws(() => loadRegistry(path.join(dir, 'missing.yaml')), /missing\.yaml: cannot read the opt-out registry \(no such file\)/);
});

test('registry errors name the file and the line of each bad entry', () => {
  const bad = `entries:
  - owner: octocat
    date: 2024-01-01
    reason: x
  - owner: someone
    date: 2024-02-30
    reason: x
  - owner: a
    repo: a/b
    date: 2024-01-01
    reason: x
  - package: left-pad@1.0.0
    date: 2024-01-01
    reason: x
  - owner: octocat2
    date: 2024-01-01
    reason: x
    note: hi
  - owner: OctoCat
    date: 2024-01-01
    reason: "  "
  - owner: Octocat
    date: 2024-01-01
    reason: again
`;
  assert.throws(
    () => parseRegistry(bad, 'optout.yaml'),
    (err: Error) => {
      const lines = err.message.split('\n');
      assert.deepEqual(lines, [
        'optout.yaml:5: entries[1]: date: expected a date YYYY-MM-DD',
        'optout.yaml:8: entries[2]: an entry names exactly one of owner, repo, package (found owner and repo)',
        'optout.yaml:12: entries[3]: package: a package is an npm name, e.g. left-pad or @scope/name (no version)',
        'optout.yaml:15: entries[4]: unknown key "note"',
        'optout.yaml:19: entries[5]: reason: give a reason (who asked, how)',
        'optout.yaml:22: entries[6]: owner Octocat is already listed at line 2',
      ]);
      return true;
    },
  );
  assert.throws(() => parseRegistry('entries:\n  - owner: [a\n', 'r.yaml'), /^ThresherError: r\.yaml:3: not valid YAML\/JSON/);
  assert.throws(() => parseRegistry('- owner: a\n', 'r.yaml'), /r\.yaml:1: an opt-out registry is a map with one key, entries/);
  assert.throws(() => parseRegistry('entries:\n  - octocat\n', 'r.yaml'), /r\.yaml:2: entries\[0\]: an entry is a map/);
});

test('matching: owners cover owner/* and @owner/*, repos owner/repo, packages every version', () => {
  const m = new OptoutMatcher(parseRegistry(GOOD, 'r').entries);
  const cases: [string, number][] = [
    ['octocat/hello-world', 0],
    ['OctoCat/x', 0],
    ['@octocat/cli@1.2.3', 0],
    ['octocat', -1], // a bare name is a package, not an owner
    ['octocat2/x', -1],
    ['someone/some-repo', 1],
    ['someone/Some-Repo/packages/a', 1],
    ['someone/some-repo2', -1],
    ['someone/other', -1],
    ['left-pad', 2],
    ['left-pad@1.3.0', 2],
    ['left-pad-extra@1.0.0', -1],
    ['@scope/left-pad@1.0.0', -1],
    ['@scope/tool@0.1.0', 3],
    ['@scope/tool', 3],
    ['@scope/tools@0.1.0', -1],
    ['', -1],
  ];
  for (const [value, want] of cases) assert.equal(m.match(value), want, value);
  // the first entry in registry order wins when several cover a value
  const both = new OptoutMatcher(parseRegistry('entries:\n  - repo: octocat/a\n    date: 2024-01-01\n    reason: x\n  - owner: octocat\n    date: 2024-01-01\n    reason: x\n', 'r').entries);
  assert.equal(both.match('octocat/a'), 0);
  assert.equal(both.match('octocat/b'), 1);
});

test('check queries: a bare name is an owner or a package, kind:name is explicit', () => {
  assert.deepEqual(queryEntries('zod'), [
    { kind: 'owner', name: 'zod' },
    { kind: 'package', name: 'zod' },
  ]);
  assert.deepEqual(queryEntries('a/b'), [{ kind: 'repo', name: 'a/b' }]);
  assert.deepEqual(queryEntries('@types/node'), [{ kind: 'package', name: '@types/node' }]);
  assert.deepEqual(queryEntries('owner:types'), [{ kind: 'owner', name: 'types' }]);
  assert.throws(() => queryEntries('a b'), /not an owner, owner\/repo or package name/);
  assert.equal(new OptoutMatcher(queryEntries('types')).match('@types/node@20.1.0'), 0, 'a bare name finds an npm scope too');
});
