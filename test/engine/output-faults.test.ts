import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { tempDir } from '../helpers/fixtures.js';
import { thresher } from '../helpers/cli.js';
import { jsonlPipeline, readManifest, writeJsonlPool } from '../helpers/pools.js';

function mount(dir: string, options: string): boolean {
  mkdirSync(dir, { recursive: true });
  return spawnSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', dir]).status === 0;
}

function unmount(dir: string): void {
  spawnSync('umount', [dir]);
}

test('output folder equal to or inside the input folder is refused at validate, naming output.path', () => {
  const dir = tempDir();
  const input = path.join(dir, 'in');
  writeJsonlPool(path.join(input, 'pool.jsonl'), 10);
  for (const out of [input, path.join(input, 'out'), `${input}/./deeper/out`]) {
    const file = jsonlPipeline(dir, input, { output: out });
    const v = thresher(['validate', file]);
    assert.equal(v.status, 1, out);
    assert.match(v.stderr, /pipeline\.yaml:\d+:\d+: output\.path ".*" is inside input ".*in": runs would read their own output/);
  }
  const ok = thresher(['validate', jsonlPipeline(dir, input, { output: path.join(dir, 'input-out') })]);
  assert.equal(ok.status, 0, 'a sibling whose name starts like the input is fine');
});

test('an output path that is a file: one line naming it, exit 1', () => {
  const dir = tempDir();
  const pool = writeJsonlPool(path.join(dir, 'pool.jsonl'), 10);
  writeFileSync(path.join(dir, 'out'), 'not a folder');
  const run = thresher(['run', jsonlPipeline(dir, pool), '-q']);
  assert.equal(run.status, 1);
  assert.equal(run.stderr, `thresher: ${path.join(dir, 'out')}: output.path is a file, not a folder\n`);
});

for (const format of ['jsonl', 'jsonl.gz', 'parquet']) {
  test(`disk full while writing ${format} output: one line naming the file, exit 1, no hang, no lock left`, (t) => {
    const dir = tempDir();
    const mnt = path.join(dir, 'small');
    if (!mount(mnt, 'size=256k')) return t.skip('needs root to mount a tmpfs');
    try {
      const pool = writeJsonlPool(path.join(dir, 'pool.jsonl'), 30_000);
      const file = jsonlPipeline(dir, pool, { format, output: path.join(mnt, 'out'), stages: '  - file_filter: {}', tasks: 1 });
      const r = spawnSync(process.execPath, [path.resolve('dist/src/cli/main.js'), 'run', file, '-q'], { encoding: 'utf8', timeout: 60_000 });
      assert.notEqual(r.signal, 'SIGTERM', 'the run hung');
      assert.equal(r.status, 1, r.stderr);
      assert.match(r.stderr, /^thresher: .*small\/out\/.*: no space left on device|^thresher: .*No space left on device/);
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
      assert.ok(!existsSync(path.join(mnt, 'out', '.thresher', 'run.lock')), 'the run lock is released');
      assert.ok(!readdirSync(mnt).includes('v1'));
    } finally {
      unmount(mnt);
    }
  });
}

test('a read-only output folder: one line naming the path, exit 1', (t) => {
  const dir = tempDir();
  const mnt = path.join(dir, 'ro');
  if (!mount(mnt, 'size=64k,ro')) return t.skip('needs root to mount a tmpfs');
  try {
    const pool = writeJsonlPool(path.join(dir, 'pool.jsonl'), 10);
    const run = thresher(['run', jsonlPipeline(dir, pool, { output: path.join(mnt, 'out') }), '-q']);
    assert.equal(run.status, 1);
    assert.match(run.stderr, /^thresher: .*ro\/out.*: read-only file system \(EROFS in mkdir\)\n$/);
  } finally {
    unmount(mnt);
  }
});

test('a damaged input file is flagged: the totals say records after the damage are unknown; the summary counts records, not files', () => {
  const dir = tempDir();
  const input = path.join(dir, 'in');
  writeJsonlPool(path.join(input, 'a.jsonl'), 100);
  const gz = gzipSync(Buffer.from(Array.from({ length: 2000 }, (_, i) => JSON.stringify({ id: `g${i}`, text: `line ${i}` })).join('\n')));
  writeFileSync(path.join(input, 'b.jsonl.gz'), gz.subarray(0, gz.length >> 1));
  const run = thresher(['run', jsonlPipeline(dir, input, { tasks: 2 })]);
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stdout, /^records in: \d+/m);
  assert.match(run.stdout, /warning: 1 input file ended early \(truncated, corrupt or unreadable\): records after each damage point are lost/);
  const m = readManifest(path.join(dir, 'out', 'v1'));
  assert.equal(m.counts.stages.find((s) => s.stage === 'read')?.counters.damaged_inputs, 1);
});
