import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync, symlinkSync, rmSync, chmodSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { DirectoryReader } from '../../src/io/readers/directory.js';
import { InputError } from '../../src/core/errors.js';
import { swhContentId } from '../../src/core/hashing.js';
import { collect, collectAllRanks, copyFromRepo, hasCommand, oneLineNaming, tempDir } from './helpers.js';

const REAL_FILES = [
  'node_modules/ms/index.js',
  'node_modules/ms/package.json',
  'node_modules/ms/readme.md',
  'node_modules/ms/license.md',
  'node_modules/@typescript-eslint/typescript-estree/package.json',
  'node_modules/@typescript-eslint/typescript-estree/node_modules/brace-expansion/package.json',
  'node_modules/@typescript-eslint/typescript-estree/node_modules/brace-expansion/dist/esm/package.json',
  'node_modules/@typescript-eslint/typescript-estree/node_modules/brace-expansion/dist/esm/index.js',
  'node_modules/fzstd/package.json',
  'node_modules/fzstd/lib/index.js',
];

function makeTree(root: string): void {
  copyFromRepo(root, REAL_FILES);
  // a git checkout: .git is never read, files belong to the checkout's folder
  mkdirSync(path.join(root, 'repos/alpha/.git/objects'), { recursive: true });
  writeFileSync(path.join(root, 'repos/alpha/.git/HEAD'), 'ref: refs/heads/main\n');
  mkdirSync(path.join(root, 'repos/alpha/src'), { recursive: true });
  writeFileSync(path.join(root, 'repos/alpha/src/main.ts'), 'export const x = 1;\n');
  mkdirSync(path.join(root, 'loose'), { recursive: true });
  writeFileSync(path.join(root, 'loose/notes.txt'), 'héllo wörld\n');
  writeFileSync(path.join(root, 'README'), 'top\n');
}

test('directory: one record per file, repo attribution, sorted byte-wise, content ids', async (t) => {
  const root = tempDir(t);
  makeTree(root);
  const reader = new DirectoryReader(root);
  const { records, excluded } = await collect(reader, 'fail');
  assert.equal(excluded.length, 0);
  const ids = records.map((r) => r.id);
  assert.deepEqual(
    ids,
    [...ids].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b))),
  );
  assert.ok(!ids.some((id) => id.includes('.git/')), '.git is skipped');
  assert.equal(records.length, REAL_FILES.length + 3);
  const byId = new Map(records.map((r) => [r.id, r]));
  const repo = (id: string) => byId.get(id)?.repo;
  assert.equal(repo('node_modules/ms/index.js'), 'ms@2.1.3');
  assert.equal(repo('node_modules/@typescript-eslint/typescript-estree/package.json'), '@typescript-eslint/typescript-estree@8.73.0');
  // nested node_modules, and a {"type":"module"} marker that is not a package
  assert.equal(repo('node_modules/@typescript-eslint/typescript-estree/node_modules/brace-expansion/dist/esm/index.js'), 'brace-expansion@5.0.13');
  assert.equal(repo('repos/alpha/src/main.ts'), 'repos/alpha');
  assert.equal(repo('loose/notes.txt'), 'loose');
  assert.equal(repo('README'), path.basename(root));

  const r = byId.get('node_modules/ms/index.js')!;
  const bytes = readFileSync(path.join(root, 'node_modules/ms/index.js'));
  assert.equal(r.source, r.id);
  assert.equal(r.path, r.id);
  assert.equal(r.source_row, null);
  assert.equal(r.size, bytes.length);
  assert.equal(r.content, bytes.toString('utf8'));
  assert.equal(r.content_id, swhContentId(bytes));
  if (hasCommand('git')) {
    const git = spawnSync('git', ['hash-object', path.join(root, 'loose/notes.txt')])
      .stdout.toString()
      .trim();
    assert.equal(byId.get('loose/notes.txt')!.content_id, `swh:1:cnt:${git}`);
  }
  assert.deepEqual(
    reader.columns.map((c) => c.name),
    ['id', 'source', 'source_row', 'content_id', 'path', 'repo', 'size', 'content'],
  );
});

test('directory: binary, oversize, invalid UTF-8, symlink and FIFO are exclusions, not records', async (t) => {
  const root = tempDir(t);
  mkdirSync(path.join(root, 'p'));
  writeFileSync(path.join(root, 'p/ok.txt'), 'fine\n');
  writeFileSync(path.join(root, 'p/image.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]));
  writeFileSync(path.join(root, 'p/big.txt'), 'x'.repeat(5000));
  writeFileSync(path.join(root, 'p/latin1.txt'), Buffer.from('caf\xe9\n', 'latin1'));
  symlinkSync('ok.txt', path.join(root, 'p/link.txt'));
  symlinkSync('/etc', path.join(root, 'p/dirlink'));
  const fifo = hasCommand('mkfifo') && spawnSync('mkfifo', [path.join(root, 'p/pipe')]).status === 0;
  const { records, excluded } = await collect(new DirectoryReader(root, { maxBytes: 4096 }), 'fail');
  assert.deepEqual(
    records.map((r) => r.id),
    ['p/ok.txt'],
  );
  const reasons = Object.fromEntries(excluded.map((e) => [e.id, e.reason]));
  assert.deepEqual(reasons, {
    'p/big.txt': 'too_large',
    'p/dirlink': 'symlink',
    'p/image.png': 'binary',
    'p/latin1.txt': 'invalid_utf8',
    'p/link.txt': 'symlink',
    ...(fifo ? { 'p/pipe': 'special_file' } : {}),
  });
  for (const e of excluded) {
    assert.equal(e.stage, 'read');
    assert.equal(e.source, e.id);
    assert.equal(e.source_row, null);
  }
  assert.equal(excluded.find((e) => e.id === 'p/big.txt')!.bytes, 5000);
  // messages name options by their pipeline key
  assert.equal(excluded.find((e) => e.id === 'p/big.txt')!.detail, '5000 bytes > max_bytes 4096');
});

test('directory: a large binary file is known by its head; a NUL past the head keeps a text file', async (t) => {
  const root = tempDir(t);
  const binary = Buffer.alloc(200_000, 0x41);
  binary[100] = 0; // in the first 8 KiB: binary, whatever follows
  writeFileSync(path.join(root, 'lib.so'), binary);
  const text = Buffer.alloc(200_000, 0x61);
  text[9000] = 0; // past the first 8 KiB: The Stack v2 and git call this text
  writeFileSync(path.join(root, 'late-nul.txt'), text);
  const { records, excluded } = await collect(new DirectoryReader(root));
  assert.deepEqual(
    excluded.map((e) => [e.id, e.reason, e.bytes, e.detail]),
    [['lib.so', 'binary', 200_000, 'NUL byte at offset 100']],
  );
  assert.deepEqual(
    records.map((r) => [r.id, r.size, r.content_id]),
    [['late-nul.txt', 200_000, swhContentId(text)]],
  );
  assert.equal(records[0].content, text.toString('latin1'));
});

test('directory: an entry that cannot be read fails under fail, is excluded under quarantine', async (t) => {
  const root = tempDir(t);
  writeFileSync(path.join(root, 'a.txt'), 'a\n');
  writeFileSync(path.join(root, 'odd.txt'), 'b\n');
  writeFileSync(path.join(root, 'z.txt'), 'c\n');
  // Tests run as root, where chmod 000 does not stop reads (see the next test): a file that
  // became a folder between listing and reading cannot be read as a file either.
  const reader = new DirectoryReader(root);
  const files = await reader.listFiles();
  rmSync(path.join(root, 'odd.txt'));
  mkdirSync(path.join(root, 'odd.txt'));
  const slices = reader.slices(files, 0, 1);
  await assert.rejects(
    async () => {
      for await (const it of reader.read(slices, 'fail')) assert.ok(it);
    },
    (err) => err instanceof InputError && err.file === 'odd.txt' && oneLineNaming(err, 'odd.txt') && /cannot list directory/.test(err.message),
  );
  const items = [];
  for await (const it of reader.read(slices, 'quarantine')) items.push(it);
  assert.deepEqual(
    items.map((i) => (i.record ? i.record.id : `${i.excluded!.id}:${i.excluded!.reason}`)),
    ['a.txt', 'odd.txt:unreadable', 'z.txt'],
  );
});

test('directory: a listed file that vanished or changed before it was read stops the read under either policy', async (t) => {
  const root = tempDir(t);
  for (const name of ['a.txt', 'gone.txt', 'grown.txt']) writeFileSync(path.join(root, name), `${name}\n`);
  const reader = new DirectoryReader(root);
  const files = await reader.listFiles();
  rmSync(path.join(root, 'gone.txt'));
  writeFileSync(path.join(root, 'grown.txt'), 'grown.txt, with more\n');
  for (const policy of ['fail', 'quarantine'] as const) {
    const seen: string[] = [];
    await assert.rejects(
      async () => {
        for await (const it of reader.read(reader.slices(files, 0, 1), policy)) seen.push(it.record?.id ?? `${it.excluded!.id}:${it.excluded!.reason}`);
      },
      (err) => err instanceof InputError && err.file === path.join(root, 'gone.txt') && /deleted since the run was planned/.test(err.message),
    );
    assert.deepEqual(seen, ['a.txt']);
    await assert.rejects(
      async () => {
        for await (const it of reader.read(
          reader.slices(
            files.filter((f) => f.path !== 'gone.txt'),
            0,
            1,
          ),
          policy,
        ))
          assert.ok(it);
      },
      (err) => err instanceof InputError && err.file === path.join(root, 'grown.txt') && /changed since the run was planned \(10 bytes when the run was planned, 21 now\)/.test(err.message),
    );
  }
});

test('directory: chmod 000 gives EACCES (as root: checked in a child that drops to nobody)', async (t) => {
  const root = tempDir(t);
  chmodSync(root, 0o755);
  writeFileSync(path.join(root, 'a.txt'), 'a\n');
  writeFileSync(path.join(root, 'secret.txt'), 's\n');
  chmodSync(path.join(root, 'secret.txt'), 0o000);
  if (process.getuid?.() !== 0) {
    await assert.rejects(collect(new DirectoryReader(root), 'fail'), (err) => err instanceof InputError && /EACCES/.test(err.message));
    const { excluded } = await collect(new DirectoryReader(root), 'quarantine');
    assert.equal(excluded[0].reason, 'unreadable');
    return;
  }
  // root reads through permission bits; a child process that switches to uid/gid 65534 does not
  const readerUrl = new URL('../../src/io/readers/directory.js', import.meta.url).href;
  const script = `
    process.setgid(65534); process.setuid(65534);
    const { DirectoryReader } = await import(${JSON.stringify(readerUrl)});
    const out = {};
    for (const policy of ['fail', 'quarantine']) {
      const r = new DirectoryReader(${JSON.stringify(root)});
      const files = await r.listFiles();
      try {
        const items = [];
        for await (const it of r.read(r.slices(files, 0, 1), policy)) items.push(it.record ? it.record.id : it.excluded.id + ':' + it.excluded.reason + ':' + it.excluded.detail);
        out[policy] = items;
      } catch (e) { out[policy] = 'ERR ' + e.name + ' ' + e.message; }
    }
    console.log(JSON.stringify(out));`;
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  if (child.status !== 0) {
    t.skip(`cannot switch to uid 65534 here: ${child.stderr.split('\n')[0]}`);
    return;
  }
  const out = JSON.parse(child.stdout) as { fail: string; quarantine: string[] };
  assert.match(out.fail, /^ERR InputError secret\.txt: unreadable: .*EACCES/);
  assert.ok(!out.fail.slice(4).includes('\n'));
  assert.equal(out.quarantine[0], 'a.txt');
  assert.match(out.quarantine[1], /^secret\.txt:unreadable:.*EACCES/);
});

test('directory: missing root is an InputError', async (t) => {
  const root = tempDir(t);
  await assert.rejects(new DirectoryReader(path.join(root, 'nope')).listFiles(), (err) => err instanceof InputError && oneLineNaming(err, 'nope'));
});

test('directory: include and exclude patterns', async (t) => {
  const root = tempDir(t);
  makeTree(root);
  const only = await collect(new DirectoryReader(root, { include: ['*.js'] }));
  assert.ok(only.records.length > 0);
  assert.ok(only.records.every((r) => (r.id as string).endsWith('.js')));
  const noNested = await collect(new DirectoryReader(root, { exclude: ['node_modules/*/*/node_modules', '*.md'] }));
  assert.ok(noNested.records.every((r) => !(r.id as string).includes('brace-expansion') && !(r.id as string).endsWith('.md')));
  assert.ok(noNested.records.some((r) => r.id === 'node_modules/ms/index.js'));
  const deep = await collect(new DirectoryReader(root, { include: ['node_modules/**/package.json'] }));
  assert.deepEqual(
    deep.records.map((r) => r.id),
    REAL_FILES.filter((f) => f.endsWith('package.json')).sort(),
  );
});

test('directory: ranks get contiguous, disjoint slices balanced by bytes, same for every call', async (t) => {
  const root = tempDir(t);
  makeTree(root);
  const reader = new DirectoryReader(root);
  const files = await reader.listFiles();
  const total = files.reduce((s, f) => s + f.bytes, 0);
  for (const world of [1, 2, 3, 5, 40]) {
    const parts = await collectAllRanks(reader, world);
    const ids = parts.flat().map((i) => (i.record ?? i.excluded)!.id);
    assert.deepEqual(
      ids,
      files.map((f) => f.path),
      `world ${world}`,
    );
    const again = reader.slices(files, world - 1, world).map((s) => s.file.path);
    assert.deepEqual(
      again,
      reader.slices(files, world - 1, world).map((s) => s.file.path),
    );
    if (world === 2) {
      const bytes = parts.map((p) => p.reduce((s, i) => s + (i.record ? (i.record.size as number) : 0), 0));
      const largest = Math.max(...files.map((f) => f.bytes));
      assert.ok(Math.abs(bytes[0] - bytes[1]) <= largest, `balanced: ${bytes} (total ${total})`);
    }
  }
  assert.equal(statSync(root).isDirectory(), true);
});
