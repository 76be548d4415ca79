import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { fingerprintInputs } from '../../src/engine/run-state.js';
import type { InputFile } from '../../src/io/types.js';

/** The definition runs and releases recorded: sha256 of every `path\tbytes\tmtime` line joined by newlines. */
const byDefinition = (files: InputFile[]) =>
  createHash('sha256')
    .update(files.map((f) => `${f.path}\t${f.bytes}\t${Math.round(f.mtimeMs)}`).join('\n'))
    .digest('hex');

test('the input fingerprint is the hash of the whole listing, however it is fed to the hash', () => {
  const files: InputFile[] = Array.from({ length: 9000 }, (_, i) => ({
    path: `pkg-${i % 97}/src/ƒile-${i}.js`,
    absPath: `/in/pkg-${i % 97}/src/ƒile-${i}.js`,
    bytes: i * 37,
    mtimeMs: 1.7e12 + i * 1000.4,
  }));
  for (const n of [0, 1, 4095, 4096, 4097, 8192, 9000]) assert.equal(fingerprintInputs(files.slice(0, n)), byDefinition(files.slice(0, n)), `${n} files`);
  const changed = files.map((f, i) => (i === 5000 ? { ...f, bytes: f.bytes + 1 } : f));
  assert.notEqual(fingerprintInputs(changed), fingerprintInputs(files));
});
