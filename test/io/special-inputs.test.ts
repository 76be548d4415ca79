import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { InputError } from '../../src/core/errors.js';
import type { ExcludedRecord } from '../../src/core/record.js';
import { JsonDocumentReader } from '../../src/io/readers/json-document.js';
import { JsonlReader } from '../../src/io/readers/jsonl.js';
import { ParquetReader } from '../../src/io/readers/parquet.js';
import type { BadInputPolicy, InputFile, ReadItem, Reader } from '../../src/io/types.js';
import { ParquetWriter } from '../../src/io/writers/parquet.js';
import { hasCommand, oneLineNaming, run, tempDir } from './helpers.js';

/** Fails (instead of hanging the test run) when `p` takes longer than `ms`: a FIFO blocks an open. */
function within<T>(ms: number, p: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`still pending after ${ms} ms`)), ms);
  });
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}

/** One good file of each format, with a reader for a folder of that format. */
const FORMATS: { ext: string; make: (file: string) => Promise<void>; reader: (input: string) => Reader }[] = [
  { ext: 'jsonl', make: async (f) => writeFileSync(f, '{"text":"good"}\n'), reader: (i) => new JsonlReader(i) },
  { ext: 'json', make: async (f) => writeFileSync(f, '[{"text":"good"}]'), reader: (i) => new JsonDocumentReader(i) },
  {
    ext: 'parquet',
    make: async (f) => {
      const w = new ParquetWriter([{ name: 'text', type: 'string' }], () => f);
      await w.write({ id: 'g', text: 'good' });
      await w.close();
    },
    reader: (i) => new ParquetReader(i),
  },
];

/** Lists, then reads from the listing as the engine does (a JSON round trip), all in 5 s. */
async function readAll(reader: Reader, policy: BadInputPolicy): Promise<{ files: InputFile[]; items: ReadItem[] }> {
  return within(
    5000,
    (async () => {
      const files = JSON.parse(JSON.stringify(await reader.listFiles())) as InputFile[];
      const items: ReadItem[] = [];
      for await (const it of reader.read(reader.slices(files, 0, 1), policy)) items.push(it);
      return { files, items };
    })(),
  );
}

function exclusions(items: ReadItem[]): Pick<ExcludedRecord, 'source' | 'reason' | 'detail'>[] {
  return items.flatMap((i) => (i.excluded ? [{ source: i.excluded.source, reason: i.excluded.reason, detail: i.excluded.detail }] : []));
}

/** A unix socket at `file`, closed after the test. */
async function socketAt(t: TestContext, file: string): Promise<void> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(file, resolve));
  t.after(() => server.close());
}

test('inputs: a FIFO, socket or device named as an input is an InputError naming it, for every reader', async (t) => {
  if (!hasCommand('mkfifo')) return t.skip('needs mkfifo');
  const dir = tempDir(t);
  const fifo = path.join(dir, 'pipe.jsonl');
  run('mkfifo', [fifo]);
  const sock = path.join(dir, 'sock.jsonl');
  await socketAt(t, sock);
  for (const { reader } of FORMATS) {
    for (const [input, kind] of [
      [fifo, 'a FIFO'],
      [sock, 'a socket'],
      ['/dev/null', 'a character device'],
    ]) {
      await assert.rejects(within(5000, reader(input).listFiles()), (err) => {
        assert.ok(err instanceof InputError && oneLineNaming(err, input));
        assert.equal(err.message, `${input}: not a regular file (${kind})`);
        return true;
      });
    }
  }
});

test('inputs: FIFOs and sockets in an input folder are listed and each excluded as special_file, under both policies', async (t) => {
  if (!hasCommand('mkfifo')) return t.skip('needs mkfifo');
  for (const { ext, make, reader } of FORMATS) {
    const dir = tempDir(t);
    await make(path.join(dir, `b-good.${ext}`));
    run('mkfifo', [path.join(dir, `a-fifo.${ext}`)]);
    await socketAt(t, path.join(dir, `c-sock.${ext}`));
    symlinkSync(`a-fifo.${ext}`, path.join(dir, `d-link.${ext}`));
    for (const policy of ['fail', 'quarantine'] as const) {
      const { files, items } = await readAll(reader(dir), policy);
      // the fingerprint (path, bytes, mtime) covers them too
      assert.deepEqual(
        files.map((f) => f.path),
        [`a-fifo.${ext}`, `b-good.${ext}`, `c-sock.${ext}`, `d-link.${ext}`],
      );
      assert.ok(files.every((f) => Number.isFinite(f.bytes) && f.mtimeMs > 0));
      assert.deepEqual(
        items.flatMap((i) => (i.record ? [i.record.text] : [])),
        ['good'],
        `${ext} ${policy}`,
      );
      assert.deepEqual(exclusions(items), [
        { source: `a-fifo.${ext}`, reason: 'special_file', detail: 'not a regular file (a FIFO)' },
        { source: `c-sock.${ext}`, reason: 'special_file', detail: 'not a regular file (a socket)' },
        { source: `d-link.${ext}`, reason: 'special_file', detail: 'symlink to a FIFO' },
      ]);
    }
  }
});

test('inputs: a symlink loop or dangling symlink in an input folder: one unreadable exclusion, or under fail an InputError naming it', async (t) => {
  for (const { ext, make, reader } of FORMATS) {
    const dir = tempDir(t);
    await make(path.join(dir, `b-good.${ext}`));
    symlinkSync(`c-loop.${ext}`, path.join(dir, `c-loop.${ext}`));
    symlinkSync(`missing.${ext}`, path.join(dir, `a-dangling.${ext}`));
    const { files, items } = await readAll(reader(dir), 'quarantine');
    assert.equal(files.length, 3);
    assert.deepEqual(
      items.flatMap((i) => (i.record ? [i.record.text] : [])),
      ['good'],
    );
    assert.deepEqual(exclusions(items), [
      { source: `a-dangling.${ext}`, reason: 'unreadable', detail: 'dangling symlink' },
      { source: `c-loop.${ext}`, reason: 'unreadable', detail: 'symlink loop (ELOOP)' },
    ]);
    await assert.rejects(readAll(reader(dir), 'fail'), (err) => {
      assert.ok(err instanceof InputError && oneLineNaming(err, `a-dangling.${ext}`));
      assert.equal(err.message, `a-dangling.${ext}: dangling symlink`);
      return true;
    });
  }
});

test('inputs: a symlink to a directory in an input folder is not followed but excluded as symlink; one to a file is read', async (t) => {
  const dir = tempDir(t);
  const data = path.join(dir, 'data');
  mkdirSync(path.join(dir, 'v3'));
  mkdirSync(data);
  writeFileSync(path.join(dir, 'v3', 'x.jsonl'), '{"text":"behind the link"}\n');
  writeFileSync(path.join(dir, 'outside.jsonl'), '{"text":"linked file"}\n');
  writeFileSync(path.join(data, 'a.jsonl'), '{"text":"a"}\n');
  symlinkSync('../outside.jsonl', path.join(data, 'file-link.jsonl'));
  symlinkSync('../v3', path.join(data, 'latest'));
  symlinkSync('../v3', path.join(data, 'v3.jsonl'));
  for (const policy of ['fail', 'quarantine'] as const) {
    const { items } = await readAll(new JsonlReader(data), policy);
    assert.deepEqual(
      items.flatMap((i) => (i.record ? [[i.record.source, i.record.text]] : [])),
      [
        ['a.jsonl', 'a'],
        ['file-link.jsonl', 'linked file'],
      ],
    );
    assert.deepEqual(exclusions(items), [
      { source: 'latest', reason: 'symlink', detail: 'symlink to a directory (not followed)' },
      { source: 'v3.jsonl', reason: 'symlink', detail: 'symlink to a directory (not followed)' },
    ]);
  }
  // a glob counts only the directory links it names
  const { items } = await readAll(new JsonlReader(`${data}/*.jsonl`), 'quarantine');
  assert.deepEqual(
    exclusions(items).map((e) => e.source),
    ['v3.jsonl'],
  );
});
