import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { tempDir } from '../helpers/fixtures.js';
import { CLI } from '../helpers/cli.js';
import { jsonlPipeline, readManifest } from '../helpers/pools.js';

const jsonl = (n: number, prefix: string) => Array.from({ length: n }, (_, i) => JSON.stringify({ id: `${prefix}${i}`, text: `a photo of ${prefix} thing ${i}` })).join('\n') + '\n';

function run(pipeline: string): { status: number | null; stderr: string; signal: NodeJS.Signals | null } {
  const r = spawnSync(process.execPath, [CLI, 'run', pipeline, '-q'], { encoding: 'utf8', timeout: 30_000 });
  return { status: r.status, stderr: r.stderr, signal: r.signal };
}

test('a FIFO named as the input: one line, exit 1, no hang', () => {
  const dir = tempDir();
  const fifo = path.join(dir, 'pool.jsonl');
  assert.equal(spawnSync('mkfifo', [fifo]).status, 0);
  const r = run(jsonlPipeline(dir, fifo));
  assert.equal(r.signal, null, 'the run hung on the FIFO');
  assert.equal(r.status, 1);
  assert.equal(r.stderr, `thresher: ${fifo}: not a regular file (a FIFO)\n`);
});

test('an input folder with a BOM file, a FIFO and a symlink loop runs under quarantine and counts each', () => {
  const dir = tempDir();
  const input = path.join(dir, 'in');
  mkdirSync(input);
  writeFileSync(path.join(input, 'a.jsonl'), Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(jsonl(50, 'a'))]));
  writeFileSync(path.join(input, 'b.jsonl'), jsonl(20, 'b'));
  assert.equal(spawnSync('mkfifo', [path.join(input, 'c.jsonl')]).status, 0);
  symlinkSync('d.jsonl', path.join(input, 'd.jsonl'));
  const r = run(jsonlPipeline(dir, input, { tasks: 3 }));
  assert.equal(r.status, 0, r.stderr);
  const m = readManifest(path.join(dir, 'out', 'v1'));
  assert.equal(m.counts.output_records, 70, 'the BOM file loses no record');
  assert.deepEqual(m.counts.excluded, { special_file: 1, unreadable: 1 });
  assert.equal(m.counts.input_records, 72);
});
