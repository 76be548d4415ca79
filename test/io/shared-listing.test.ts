import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DirectoryReader } from '../../src/io/readers/directory.js';
import { packFiles, type SubtreeJob } from '../../src/io/readers/shared-listing.js';
import { createWorkerPool, destroyPool, listingHelpers } from '../../src/executors/pool.js';
import { makeCodeTree, tempDir } from '../helpers/fixtures.js';

/** Installed packages plus what a listing must treat alike on every thread: links, .git, excluded and unlisted files, deep and shallow files. */
function tree(): { root: string; pipelineFile: string } {
  const dir = tempDir();
  const root = makeCodeTree(dir, ['commander', 'yaml', 'zod', 'fzstd']);
  writeFileSync(path.join(root, 'top.txt'), 'at depth one\n');
  mkdirSync(path.join(root, 'yaml', '.git', 'objects'), { recursive: true });
  writeFileSync(path.join(root, 'yaml', '.git', 'objects', 'x'), 'never listed\n');
  symlinkSync('../commander', path.join(root, 'zod', 'link-to-commander'));
  mkdirSync(path.join(root, 'zod', 'deep', 'er', 'est'), { recursive: true });
  writeFileSync(path.join(root, 'zod', 'deep', 'er', 'est', 'leaf.ts'), 'export const leaf = 1;\n');
  writeFileSync(path.join(root, 'zod', 'deep', 'skip.log'), 'excluded\n');
  const pipelineFile = path.join(dir, 'pipeline.yaml');
  writeFileSync(pipelineFile, `name: t\ninput:\n  type: directory\n  path: ${JSON.stringify(root)}\n  exclude: ['*.log']\nstages: []\noutput:\n  path: ${JSON.stringify(path.join(dir, 'out'))}\n`);
  return { root, pipelineFile };
}

test('a listing shared with helper threads lists exactly what one thread lists', async (t) => {
  const { root, pipelineFile } = tree();
  const reader = new DirectoryReader(root, { exclude: ['*.log'] });
  const alone = await reader.listFiles();
  assert.ok(alone.length > 300, `a tree of some size (${alone.length} files)`);
  assert.ok(alone.some((f) => f.path === 'zod/deep/er/est/leaf.ts') && alone.some((f) => f.path === 'top.txt') && alone.some((f) => f.path === 'zod/link-to-commander'));
  assert.ok(!alone.some((f) => f.path.includes('.git/') || f.path.endsWith('.log')));

  await t.test('an in-thread helper that claims every subtree: the parts come back through the packed form', async () => {
    let listed = 0;
    const helper = async (job: SubtreeJob) => {
      const files = new DirectoryReader(root, { exclude: ['*.log'] }).listClaimed(job);
      listed += files.length;
      return packFiles(root, files);
    };
    assert.deepEqual(await reader.listFiles({ helpers: [helper] }), alone);
    assert.ok(listed > alone.length / 2, `the helper listed the subtrees (${listed} files)`);
  });

  await t.test("the run's worker threads as helpers", async () => {
    const pool = createWorkerPool(2, 2);
    try {
      assert.deepEqual(await reader.listFiles({ helpers: listingHelpers(pool, pipelineFile) }), alone);
    } finally {
      await destroyPool(pool);
    }
  });
});
