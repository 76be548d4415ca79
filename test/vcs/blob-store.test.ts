import assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { after, before, test } from 'node:test';
import { swhContentId } from '../../src/core/hashing.js';
import { BlobStoreReader } from '../../src/io/readers/blob-store.js';
import { mapBounded, ObjectBlobStore, openBlobStore } from '../../src/vcs/blob-store.js';
import { readAll, tmpDir } from './repos.js';

let root: string;
const texts = ['def f():\n    return 1\n', 'int main() { return 0; }\n', '# notes\n', 'SELECT 1;\n'];
const sha = (t: string | Buffer) => swhContentId(Buffer.from(t)).slice(10);

before(() => {
  root = tmpDir('blobs');
  const store = path.join(root, 'content');
  mkdirSync(store);
  // gzip'd blobs named by sha1_git, as Software Heritage's bucket holds them; texts[3] is missing
  for (const t of texts.slice(0, 3)) writeFileSync(path.join(store, sha(t)), gzipSync(Buffer.from(t)));
  writeFileSync(path.join(store, sha('damaged')), gzipSync(Buffer.from('not what the name says')));
  const rows = [
    { blob_id: sha(texts[0]), repo_name: 'ada/py', path: 'f.py', language: 'Python' },
    { blob_id: `swh:1:cnt:${sha(texts[1])}`, repo_name: 'bob/c', path: 'main.c', language: 'C' },
    { blob_id: sha(texts[3]), repo_name: 'bob/c', path: 'q.sql', language: 'SQL' },
    { blob_id: sha(texts[2]), repo_name: 'ada/py', path: 'NOTES.md', language: 'Markdown' },
    { blob_id: sha('damaged'), repo_name: 'eve/x', path: 'x.txt', language: 'Text' },
  ];
  writeFileSync(path.join(root, 'files.jsonl'), rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
  writeFileSync(
    path.join(root, 'repos.jsonl'),
    [
      { repo: 'ada/py', stars: 120, forks: 4, created: '2015-01-02', license: 'MIT' },
      { repo: 'bob/c', stars: 3, forks: 0, created: '2020-05-06', license: null },
    ]
      .map((r) => JSON.stringify(r))
      .join('\n') + '\n',
  );
});
after(() => rmSync(root, { recursive: true, force: true }));

test('blob store: contents fetched by blob id in table order; missing and damaged blobs counted', async () => {
  const reader = new BlobStoreReader(path.join(root, 'files.jsonl'), { store: path.join(root, 'content'), concurrency: 2, metadata: { path: path.join(root, 'repos.jsonl') } });
  const { records, excluded } = await readAll(reader);
  assert.deepEqual(
    records.map((r) => [r.path, r.content, r.content_id, r.language]),
    [
      ['f.py', texts[0], `swh:1:cnt:${sha(texts[0])}`, 'Python'],
      ['main.c', texts[1], `swh:1:cnt:${sha(texts[1])}`, 'C'],
      ['NOTES.md', texts[2], `swh:1:cnt:${sha(texts[2])}`, 'Markdown'],
    ],
  );
  assert.deepEqual(
    excluded.map((e) => [e.source_row, e.reason]),
    [
      [2, 'missing_blob'],
      [4, 'corrupt'],
    ],
  );
  // repository metadata joined by repo name, prefixed so the licence stays apart from the license stage's
  assert.deepEqual(
    records.map((r) => [r.repo_stars, r.repo_forks, r.repo_license]),
    [
      [120, 4, 'MIT'],
      [3, 0, null],
      [120, 4, 'MIT'],
    ],
  );
  const names = reader.columns.map((c) => c.name);
  for (const c of ['id', 'content_id', 'blob_id', 'repo_name', 'path', 'size', 'content', 'repo_stars', 'repo_created']) assert.ok(names.includes(c), c);
});

test('blob store: at most `concurrency` fetches in flight, results in order', async () => {
  let inFlight = 0;
  let most = 0;
  const out = await mapBounded([5, 1, 4, 2, 3, 0, 6], 3, async (ms, i) => {
    most = Math.max(most, ++inFlight);
    await new Promise((r) => setTimeout(r, ms * 3));
    inFlight--;
    return i;
  });
  assert.deepEqual(out, [0, 1, 2, 3, 4, 5, 6]);
  assert.equal(most, 3);
});

test('blob store: s3:// opens an object store, not a folder of that name', () => {
  assert.ok(openBlobStore('s3://softwareheritage/content', { compression: 'gzip', verify: true }) instanceof ObjectBlobStore);
});
