import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Manifest } from '../../src/release/manifest.js';
import { makeCodeTree, tempDir } from '../helpers/fixtures.js';
import { thresher } from '../helpers/cli.js';

test('demo prints files in and out, exclusions, duplicates, top languages and the release', () => {
  const dir = tempDir();
  const input = makeCodeTree(dir, ['commander', 'yaml']);
  const out = path.join(dir, 'demo');
  const run = thresher(['demo', '-i', input, '-o', out, '-w', '2', '-q']);
  assert.equal(run.status, 0, run.stderr);
  const m = JSON.parse(readFileSync(path.join(out, 'v1', 'manifest.json'), 'utf8')) as Manifest;
  const lines = run.stdout.trim().split('\n');
  assert.match(lines[0], /^release v1: .*demo\/v1 \(\d+\.\d s\)$/);
  assert.equal(lines[1].split(';')[0], `files in: ${m.counts.input_records} (${(m.input.bytes / 1e6).toFixed(1)} MB)`);
  assert.ok(lines[1].includes(`out: ${m.counts.output_records} `));
  assert.ok(lines.includes(`duplicates removed: ${m.counts.excluded.duplicate}`));
  assert.ok(m.counts.excluded.duplicate > 0);
  assert.match(lines[lines.length - 1], /^top languages: (JavaScript|TypeScript) \d+, /);
  assert.ok(existsSync(path.join(out, 'pipeline.yaml')), 'the demo pipeline is written beside its releases');
});
