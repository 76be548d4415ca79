/**
 * Repositories made in the tests with the real git CLI (no fixtures checked in): fixed names,
 * e-mails and dates, so ids are the same on every run and machine.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { DataRecord } from '../../src/core/record.js';
import type { ExcludedRecord } from '../../src/core/record.js';
import type { Reader } from '../../src/io/types.js';

export function tmpDir(prefix: string): string {
  return mkdtempSync(path.join(os.tmpdir(), `thresher-${prefix}-`));
}

/** `git <args>` in `cwd` with a fixed identity; `date` (seconds) sets author and committer dates. */
export function git(cwd: string, args: string[], date = 1_700_000_000): string {
  const stamp = `@${date} +0000`;
  return execFileSync('git', ['-c', 'protocol.file.allow=always', '-c', 'init.defaultBranch=main', ...args], {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 'Ada',
      GIT_AUTHOR_EMAIL: 'ada@example.org',
      GIT_COMMITTER_NAME: 'Ada',
      GIT_COMMITTER_EMAIL: 'ada@example.org',
      GIT_AUTHOR_DATE: stamp,
      GIT_COMMITTER_DATE: stamp,
    },
  });
}

export function write(dir: string, rel: string | Buffer, text: string | Buffer): void {
  const abs = Buffer.isBuffer(rel) ? Buffer.concat([Buffer.from(dir + '/'), rel]) : path.join(dir, rel);
  mkdirSync(path.dirname(abs.toString('latin1')), { recursive: true });
  writeFileSync(abs, text);
}

export const LFS_POINTER = 'version https://git-lfs.github.com/spec/v1\noid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\nsize 12345\n';
/** "café.txt" in Latin-1: not UTF-8. */
export const LATIN1_NAME = Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x2e, 0x74, 0x78, 0x74]);

/** Commit times of the rich repository's three commits. */
export const T1 = 1_700_000_000;
export const T2 = 1_700_100_000;
export const T3 = 1_700_200_000;

/**
 * A repository with three commits: a rename, a deletion, a modification, a submodule, an LFS
 * pointer, a symlink, a binary file, an executable and a non-UTF-8 file name; a lightweight and
 * an annotated tag; remote "origin".
 */
export function richRepo(root: string): string {
  const sub = path.join(root, 'sub-src');
  mkdirSync(sub, { recursive: true });
  git(sub, ['init', '-q']);
  write(sub, 'lib.c', 'int lib(void) { return 1; }\n');
  git(sub, ['add', '-A']);
  git(sub, ['commit', '-qm', 'sub']);

  const dir = path.join(root, 'rich');
  mkdirSync(dir, { recursive: true });
  git(dir, ['init', '-q']);
  write(dir, 'README.md', '# rich\n');
  write(dir, 'src/old_name.py', 'print("hello")\n');
  write(dir, 'src/gone.py', 'x = 1\n');
  write(dir, 'src/change.py', 'v = 1\n');
  git(dir, ['add', '-A']);
  git(dir, ['commit', '-qm', 'one'], T1);

  git(dir, ['mv', 'src/old_name.py', 'src/new_name.py'], T2);
  git(dir, ['rm', '-q', 'src/gone.py'], T2);
  write(dir, 'src/change.py', 'v = 2\n');
  write(dir, 'model.bin', LFS_POINTER);
  write(dir, 'blob.dat', Buffer.from([1, 2, 0, 3]));
  write(dir, 'run.sh', '#!/bin/sh\necho hi\n');
  execFileSync('chmod', ['+x', path.join(dir, 'run.sh')]);
  write(dir, LATIN1_NAME, 'latin-1 name\n');
  execFileSync('ln', ['-s', 'README.md', path.join(dir, 'link.md')]);
  git(dir, ['add', '-A'], T2);
  git(dir, ['submodule', '--quiet', 'add', sub, 'vendor/sub'], T2);
  git(dir, ['commit', '-qm', 'two'], T2);
  git(dir, ['tag', 'light'], T2);

  write(dir, 'src/change.py', 'v = 3\n');
  git(dir, ['commit', '-qam', 'three'], T3);
  git(dir, ['tag', '-a', 'v1', '-m', 'release one'], T3);
  git(dir, ['remote', 'add', 'origin', 'https://example.org/ada/rich.git']);
  return dir;
}

/** A small repository with `files` (path → text) in one commit. */
export function simpleRepo(dir: string, files: Record<string, string>, opts: { bare?: boolean; remote?: string } = {}): string {
  mkdirSync(dir, { recursive: true });
  git(dir, ['init', '-q']);
  for (const [p, t] of Object.entries(files)) write(dir, p, t);
  git(dir, ['add', '-A']);
  git(dir, ['commit', '-qm', 'init']);
  if (opts.remote) git(dir, ['remote', 'add', 'origin', opts.remote]);
  if (!opts.bare) return dir;
  const bare = `${dir}.git`;
  git(path.dirname(dir), ['clone', '-q', '--bare', dir, bare]);
  return bare;
}

/** Everything a reader gives for its whole input, records and exclusions apart. */
export async function readAll(reader: Reader): Promise<{ records: DataRecord[]; excluded: ExcludedRecord[] }> {
  const files = await reader.listFiles();
  const records: DataRecord[] = [];
  const excluded: ExcludedRecord[] = [];
  for await (const item of reader.read(reader.slices(files, 0, 1), 'quarantine')) {
    if (item.record) records.push(item.record);
    else excluded.push(item.excluded);
  }
  return { records, excluded };
}
