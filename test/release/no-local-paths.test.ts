import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { tempDir } from '../helpers/fixtures.js';
import { thresher } from '../helpers/cli.js';
import { jsonlPipeline, writeJsonlPool } from '../helpers/pools.js';

test('a release names no local absolute path: the manifest and card speak of the pipeline and inputs relative to the pipeline file', () => {
  const dir = tempDir();
  const pool = writeJsonlPool(path.join(dir, 'data', 'pool.jsonl'), 200);
  const pipeline = jsonlPipeline(dir, pool, { tasks: 2 });
  const run = thresher(['run', pipeline, '-q']);
  assert.equal(run.status, 0, run.stderr);
  const release = path.join(dir, 'out', 'v1');
  const manifest = JSON.parse(readFileSync(path.join(release, 'manifest.json'), 'utf8')) as { pipeline: { source: string } };
  assert.equal(manifest.pipeline.source, 'pipeline.yaml');
  for (const file of ['manifest.json', 'README.md']) {
    const text = readFileSync(path.join(release, file), 'utf8');
    assert.ok(!text.includes(dir), `${file} holds the local path ${dir}`);
  }
});
