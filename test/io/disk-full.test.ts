import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { JsonlWriter } from '../../src/io/writers/jsonl.js';
import { ParquetWriter } from '../../src/io/writers/parquet.js';
import type { RecordWriter } from '../../src/io/types.js';
import type { ColumnSpec } from '../../src/core/record.js';
import { tempDir } from './helpers.js';

const COLS: ColumnSpec[] = [
  { name: 'id', type: 'string' },
  { name: 'text', type: 'string' },
];

/** Runs `fn` on a 64 KiB tmpfs (a real ENOSPC, no stubs); skips when mounting is not allowed. */
async function onTinyTmpfs(t: TestContext, fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = tempDir(t, 'thresher-full-');
  if (spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', dir]).status !== 0) {
    t.skip('needs root to mount a tmpfs');
    return;
  }
  try {
    await fn(dir);
  } finally {
    spawnSync('umount', ['-l', dir]);
  }
}

/** Fails (instead of hanging the test run) when `p` takes longer than `ms`. */
function within<T>(ms: number, p: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`still pending after ${ms} ms`)), ms);
  });
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}

/**
 * Writes `n` incompressible records of 1.3 KiB until something rejects; aborts like a caller
 * would. 100 stay below the writers' buffers (the failure comes from close()), 2048 do not.
 */
async function fill(w: RecordWriter, n: number): Promise<unknown> {
  try {
    for (let i = 0; i < n; i++) await w.write({ id: `r${i}`, text: randomBytes(1024).toString('base64') });
    await w.close();
  } catch (err) {
    await w.abort();
    return err;
  }
  return undefined;
}

for (const [name, n] of [
  ['out.jsonl', 2048],
  ['out.jsonl', 100],
  ['out.jsonl.gz', 2048],
  ['out.jsonl.gz', 100],
] as const) {
  test(`disk full: ${name} writer (${n} records) rejects with ENOSPC naming the file, leaves no temp files`, async (t) => {
    await onTinyTmpfs(t, async (dir) => {
      const target = path.join(dir, name);
      const err = (await within(5000, fill(new JsonlWriter(COLS, () => target), n))) as NodeJS.ErrnoException;
      assert.ok(err instanceof Error, 'writing more than 64 KiB must fail');
      assert.equal(err.code, 'ENOSPC');
      assert.equal(err.path, target);
      assert.ok(err.message.includes(target) && !err.message.includes('\n'), err.message);
      assert.deepEqual(readdirSync(dir), []);
    });
  });
}

for (const n of [100, 2048]) {
  test(`disk full: parquet writer (${n} records) rejects naming the file, leaves no temp files`, async (t) => {
    await onTinyTmpfs(t, async (dir) => {
      const target = path.join(dir, 'out.parquet');
      const err = await within(5000, fill(new ParquetWriter(COLS, () => target, { maxRows: 512 }), n));
      assert.ok(err instanceof Error, 'writing more than 64 KiB must fail');
      assert.match(err.message, /No space left on device/i);
      assert.ok(err.message.includes(target) && !err.message.includes('\n'), err.message);
      assert.deepEqual(readdirSync(dir), []);
    });
  });
}
