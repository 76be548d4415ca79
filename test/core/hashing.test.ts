import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { sha256Hex, swhContentId, swhContentIdOfText } from '../../src/core/hashing.js';

function hasGit(): boolean {
  try {
    execFileSync('git', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function gitHashObject(file: string): string {
  return execFileSync('git', ['hash-object', '--no-filters', file], { encoding: 'utf8' }).trim();
}

test('swhContentId equals git hash-object on real files', { skip: !hasGit() && 'git not installed' }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'thresher-hash-'));
  try {
    const cases: Record<string, Uint8Array> = {
      empty: new Uint8Array(0),
      ascii: Buffer.from('hello world\n'),
      'no-trailing-newline': Buffer.from('int main(void) { return 0; }'),
      crlf: Buffer.from('line one\r\nline two\r\n'),
      'non-ascii': Buffer.from('héllo wörld — 数据 😀\n', 'utf8'),
      binary: Uint8Array.from({ length: 256 }, (_, i) => i),
      'nul-and-high-bytes': Uint8Array.from([0, 0, 255, 254, 0x80, 0x0a, 0x00, 0xc3]),
      large: Buffer.from('abc\n'.repeat(100_000)),
    };
    for (const [name, bytes] of Object.entries(cases)) {
      const file = join(dir, name);
      writeFileSync(file, bytes);
      const id = swhContentId(readFileSync(file));
      assert.match(id, /^swh:1:cnt:[0-9a-f]{40}$/, name);
      assert.equal(id, `swh:1:cnt:${gitHashObject(file)}`, name);
    }
    // well-known value: the empty blob
    assert.equal(swhContentId(new Uint8Array(0)), 'swh:1:cnt:e69de29bb2d1d6434b8b29ae775ad8c2e48c5391');
    // a file of this repository
    const self = fileURLToPath(new URL('../../../package.json', import.meta.url));
    assert.equal(swhContentId(readFileSync(self)), `swh:1:cnt:${gitHashObject(self)}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('swhContentId hashes bytes, not the string: a view into a larger buffer', () => {
  const whole = Buffer.from('xxhello\nyy');
  const view = new Uint8Array(whole.buffer, whole.byteOffset + 2, 6);
  assert.equal(swhContentId(view), swhContentId(Buffer.from('hello\n')));
  assert.equal(swhContentId(Buffer.from('hello\n')), 'swh:1:cnt:ce013625030ba8dba906f756967f9e9ca394464a');
});

test('sha256Hex of bytes and strings agree', () => {
  assert.equal(sha256Hex(''), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  assert.equal(sha256Hex('abc'), sha256Hex(Buffer.from('abc')));
});

test('the text form of the SWH id equals the bytes form, non-ASCII included', () => {
  for (const text of ['', 'hello\n', 'naïve café ☕ 北京 🐕', 'a\u0000b', 'x'.repeat(100_000)]) {
    assert.equal(swhContentIdOfText(text), swhContentId(Buffer.from(text, 'utf8')));
  }
});
