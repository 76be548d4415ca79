import assert from 'node:assert/strict';
import { test } from 'node:test';
import { snapshotId, snapshotManifest, type SnapshotBranch } from '../../src/vcs/swhid.js';

// Worked examples from the swhid Rust crate's tests, whose comments say they were checked
// against Software Heritage's own implementation (swh-model).
const rev = (name: string, byte: number): SnapshotBranch => ({ name: Buffer.from(name), type: 'revision', target: Buffer.alloc(20, byte).toString('hex') });

test('snapshot id of no branches is the sha1 of "snapshot 0\\0"', () => {
  assert.equal(snapshotId([]), 'swh:1:snp:1a8893e6a86f444e8be8e7bda6cb34fb1735a00e');
});

test('snapshot of two revisions: manifest and id as swh-model computes them, whatever the input order', () => {
  const branches = [rev('refs/heads/main', 1), rev('refs/heads/develop', 2)];
  const expected = Buffer.concat([Buffer.from('revision refs/heads/develop\x0020:'), Buffer.alloc(20, 2), Buffer.from('revision refs/heads/main\x0020:'), Buffer.alloc(20, 1)]);
  assert.deepEqual(snapshotManifest(branches), expected);
  assert.equal(snapshotId(branches), 'swh:1:snp:870148a17e00ea8bd84b727cd26104b8c6ac6a72');
  assert.equal(snapshotId([...branches].reverse()), 'swh:1:snp:870148a17e00ea8bd84b727cd26104b8c6ac6a72');
});

test('an alias branch targets the name of another branch', () => {
  const branches = [rev('refs/heads/main', 1), rev('refs/heads/develop', 2), { name: Buffer.from('HEAD'), type: 'alias' as const, target: Buffer.from('refs/heads/main') }];
  const head = Buffer.from('alias HEAD\x0015:refs/heads/main');
  assert.deepEqual(snapshotManifest(branches).subarray(0, head.length), head);
  assert.equal(snapshotId(branches), 'swh:1:snp:9ecd7950d10ed3d02bfcf9c4a534f173697ab9f3');
});
