/**
 * The blob-store reader on `s3://bucket/prefix` (s3rver in this process): the same records and
 * exclusions as the local-folder store holding the same gzip'd blobs under the same names, a
 * missing blob counted, and a missing bucket stopping the read instead of counting every row.
 */
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { after, before, test } from 'node:test';
import { swhContentId } from '../../src/core/hashing.js';
import { BlobStoreReader } from '../../src/io/readers/blob-store.js';
import { S3Store } from '../../src/io/storage/s3.js';
import { BlobStoreUnreachable, openBlobStore } from '../../src/vcs/blob-store.js';
import { startS3, type TestS3 } from '../s3/server.js';
import { readAll, tmpDir } from './repos.js';

const BUCKET = 'swh-blobs';
const texts = ['def f():\n    return 1\n', 'int main() { return 0; }\n', '# notes\n', 'SELECT 1;\n', 'fn main() {}\n'];
const sha = (t: string) => swhContentId(Buffer.from(t)).slice(10);

let s3: TestS3;
let root: string;

before(async () => {
  s3 = await startS3();
  await s3.createBucket(BUCKET);
  root = tmpDir('blobs-s3');
  const folder = path.join(root, 'content');
  mkdirSync(folder);
  const bucket = new S3Store(BUCKET);
  // the same objects in both stores: texts[3] missing, one object whose bytes do not match its name
  const objects: [string, Buffer][] = [
    ...[0, 1, 2, 4].map((i): [string, Buffer] => [sha(texts[i]), gzipSync(Buffer.from(texts[i]))]),
    [sha('damaged'), gzipSync(Buffer.from('not what the name says'))],
  ];
  for (const [name, bytes] of objects) {
    writeFileSync(path.join(folder, name), bytes);
    await bucket.put(`content/${name}`, bytes);
  }
  // a key that shares the missing blob's name as a prefix must not pass for it
  await bucket.put(`content/${sha(texts[3])}.tmp`, gzipSync(Buffer.from(texts[3])));
  const rows = [
    { blob_id: sha(texts[0]), repo_name: 'ada/py', path: 'f.py' },
    { blob_id: `swh:1:cnt:${sha(texts[1])}`, repo_name: 'bob/c', path: 'main.c' },
    { blob_id: sha(texts[3]), repo_name: 'bob/c', path: 'q.sql' },
    { blob_id: sha(texts[2]), repo_name: 'ada/py', path: 'NOTES.md' },
    { blob_id: sha('damaged'), repo_name: 'eve/x', path: 'x.txt' },
    { blob_id: sha(texts[4]), repo_name: 'eve/rs', path: 'main.rs' },
  ];
  writeFileSync(path.join(root, 'files.jsonl'), rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
});

after(async () => {
  await s3?.stop();
  if (root) rmSync(root, { recursive: true, force: true });
});

test('blob store on s3://: the same records and exclusions as the local folder; a missing blob counted', async () => {
  const table = path.join(root, 'files.jsonl');
  const local = await readAll(new BlobStoreReader(table, { store: path.join(root, 'content'), concurrency: 3 }));
  const remote = await readAll(new BlobStoreReader(table, { store: `s3://${BUCKET}/content`, concurrency: 3 }));
  assert.deepEqual(
    remote.records.map((r) => [r.path, r.content, r.content_id]),
    [
      ['f.py', texts[0], `swh:1:cnt:${sha(texts[0])}`],
      ['main.c', texts[1], `swh:1:cnt:${sha(texts[1])}`],
      ['NOTES.md', texts[2], `swh:1:cnt:${sha(texts[2])}`],
      ['main.rs', texts[4], `swh:1:cnt:${sha(texts[4])}`],
    ],
  );
  assert.deepEqual(
    remote.excluded.map((e) => [e.source_row, e.reason]),
    [
      [2, 'missing_blob'],
      [4, 'corrupt'],
    ],
  );
  assert.deepEqual(remote.records, local.records, 'every field the same as from the local folder');
  assert.deepEqual(
    remote.excluded.map((e) => [e.id, e.source_row, e.reason]),
    local.excluded.map((e) => [e.id, e.source_row, e.reason]),
  );
});

test('blob store on s3://: a trailing slash or none names the same prefix; a missing blob is null', async () => {
  const opts = { compression: 'gzip' as const, verify: true };
  for (const location of [`s3://${BUCKET}/content`, `s3://${BUCKET}/content/`]) {
    const store = openBlobStore(location, opts);
    assert.equal((await store.get(sha(texts[0])))?.toString(), texts[0], location);
    assert.equal(await store.get(sha(texts[3])), null, location);
  }
});

test('blob store on s3://: a missing bucket stops the read, naming the bucket, instead of counting every row', async () => {
  const reader = new BlobStoreReader(path.join(root, 'files.jsonl'), { store: 's3://no-such-bucket/content' });
  await assert.rejects(readAll(reader), (err: Error) => err instanceof BlobStoreUnreachable && /s3:\/\/no-such-bucket\/.*no such bucket/.test(err.message));
});

test('blob store: a scheme other than s3:// is refused, not read as a folder', () => {
  assert.throws(() => openBlobStore('gs://softwareheritage/content', { compression: 'gzip', verify: true }), /unsupported blob store/);
});
