/**
 * A `directory` input under an s3:// prefix: the same tree of real package files read locally
 * and from the store (s3rver in this process) gives the same release (data files, exclusions
 * by reason, `repo` by package.json and by `.git`), through language, file_filter and exact
 * dedup; the same with the work folder on the store too.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { tempDir, writePipeline } from '../helpers/fixtures.js';
import { REPO_ROOT } from '../helpers/cli.js';
import { dataFingerprint, readManifest } from '../helpers/pools.js';
import { filesBelow } from '../../src/engine/remote-files.js';
import { S3Store } from '../../src/io/storage/s3.js';
import { readAll } from '../../src/io/storage/types.js';
import type { Manifest } from '../../src/release/manifest.js';
import { readShards } from '../../src/engine/shard-reader.js';
import { cli, startS3, type TestS3 } from './server.js';

let s3: TestS3;
let root = '';
let tree = '';

before(async () => {
  s3 = await startS3();
  for (const b of ['trees', 'out']) await s3.createBucket(b);
  root = tempDir('thresher-s3-dir-');
  tree = path.join(root, 'tree');
  // real packages, not under node_modules/ (Linguist calls everything there vendored, and file_filter would drop it)
  for (const p of ['commander', 'yaml', 'fzstd']) cpSync(path.join(REPO_ROOT, 'node_modules', p), path.join(tree, 'packages', p), { recursive: true });
  cpSync(path.join(REPO_ROOT, 'node_modules', 'fzstd'), path.join(tree, 'packages', 'yaml', 'bundled', 'fzstd'), { recursive: true }); // exact duplicates
  // a repository without package.json (repo from `.git`), a binary and a non-UTF-8 file, one over max_bytes
  mkdirSync(path.join(tree, 'tools', '.git'), { recursive: true });
  writeFileSync(path.join(tree, 'tools', '.git', 'HEAD'), 'ref: refs/heads/main\n');
  writeFileSync(path.join(tree, 'tools', 'build.sh'), '#!/bin/sh\necho building\n');
  writeFileSync(path.join(tree, 'tools', 'logo.bin'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 1, 2]));
  writeFileSync(path.join(tree, 'tools', 'latin1.txt'), Buffer.from('caf\xe9 cr\xe8me\n', 'latin1'));
  writeFileSync(path.join(tree, 'top.md'), '# a file at the top\n');
  writeFileSync(path.join(tree, 'big.txt'), 'x'.repeat(300_000));
  for (const rel of filesBelow(tree).concat('tools/.git/HEAD')) {
    await s3.client.send(new PutObjectCommand({ Bucket: 'trees', Key: `pools/tree/${rel}`, Body: readFileSync(path.join(tree, rel)) }));
  }
});

after(async () => {
  await s3?.stop();
});

function pipelineIn(dir: string, input: string, output: string, execution = ''): string {
  mkdirSync(dir, { recursive: true });
  const file = writePipeline(dir, input, { output: JSON.stringify(output) });
  const text = readFileSync(file, 'utf8')
    .replace('  path:', '  max_bytes: 200000\n  path:')
    .replace(/execution:\n/, `execution:\n${execution}`);
  writeFileSync(file, text.replace('output:\n', 'output:\n  excluded: true\n'));
  return file;
}

async function storedRelease(prefix: string): Promise<{ manifest: Manifest; ids: string[] }> {
  const store = new S3Store('out');
  const manifest = JSON.parse((await readAll(store, `${prefix}/v1/manifest.json`)).toString('utf8')) as Manifest;
  const dir = tempDir();
  const files: string[] = [];
  for (const f of manifest.files.filter((x) => x.path.startsWith('data/'))) {
    const local = path.join(dir, path.basename(f.path));
    writeFileSync(local, await readAll(store, `${prefix}/v1/${f.path}`));
    files.push(local);
  }
  return { manifest, ids: await idsAndRepos(files) };
}

async function idsAndRepos(files: string[]): Promise<string[]> {
  const ids: string[] = [];
  for await (const r of readShards(files)) ids.push(`${r.id}\t${r.repo}`);
  return ids;
}

test('a directory input on S3 gives the release of the same tree read locally', async () => {
  const local = await cli(['run', pipelineIn(path.join(root, 'local'), tree, 'out'), '-q']);
  assert.equal(local.status, 0, local.stderr);
  const want = readManifest(path.join(root, 'local', 'out', 'v1'));
  const wantIds = await idsAndRepos(want.files.filter((f) => f.path.startsWith('data/')).map((f) => path.join(root, 'local', 'out', 'v1', f.path)));
  assert.ok(want.counts.output_records > 100);
  for (const reason of ['binary', 'invalid_utf8', 'too_large']) assert.ok((want.counts.excluded[reason] ?? 0) >= 1, `the tree has a ${reason} file`);

  for (const [name, execution] of [
    ['remote', ''],
    ['remote-work', '  s3:\n    work_dir: s3://out/work-dir/\n'],
  ]) {
    const run = await cli(['run', pipelineIn(path.join(root, name), 's3://trees/pools/tree/', `s3://out/${name}`, execution), '-q']);
    assert.equal(run.status, 0, run.stderr);
    const { manifest, ids } = await storedRelease(name);
    assert.deepEqual(dataFingerprint(manifest), dataFingerprint(want), `${name}: the same data files`);
    const noTimes = (c: Manifest['counts']) => ({ ...c, stages: c.stages.map((st) => ({ ...st, ms: 0 })) });
    assert.deepEqual(noTimes(manifest.counts), noTimes(want.counts), `${name}: the same counts and exclusions`);
    assert.deepEqual(ids, wantIds, `${name}: the same records with the same repo`);
    assert.ok(ids.includes('tools/build.sh\ttools'), 'repo from .git');
    assert.ok(
      ids.some((x) => /^packages\/yaml\/.*\tyaml@/.test(x)),
      'repo from package.json',
    );
    assert.ok(ids.includes('top.md\ttree'), 'a file at the top belongs to the root');
  }
});
