/**
 * JSON-document reader (`type: json`), beyond test/io/json-document.test.ts: opened through
 * openReader, top-level arrays, per-element problems, nested paths, compression variants,
 * the size limit, and several documents (one damaged) over many world sizes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { InputError } from '../../src/core/errors.js';
import { readShards } from '../../src/engine/shard-reader.js';
import { openReader } from '../../src/io/open.js';
import type { ReadItem } from '../../src/io/types.js';
import type { Manifest } from '../../src/release/manifest.js';
import { thresher } from '../helpers/cli.js';
import { collect, collectAllRanks, hasCommand, oneLineNaming, run, tempDir } from './helpers.js';
import { needsShared, sharedPath } from '../helpers/shared.js';

const COCO = sharedPath('data', 'metaclip', 'coco-captions-val2017.json.gz');

/** A compact, comparable view of an item: the record, or `!reason` with where it came from. */
function show(i: ReadItem): string {
  if (i.record) return JSON.stringify(i.record);
  return `!${i.excluded.reason} ${i.excluded.id} ${i.excluded.source}:${String(i.excluded.source_row)}`;
}

test('json via openReader: COCO annotations keep ids, image_id as int64, caption as content', needsShared, async () => {
  const reader = openReader({ type: 'json', path: COCO, recordsPath: 'annotations', idField: 'id', contentField: 'caption' });
  assert.equal(reader.contentColumn, 'caption');
  const { records, excluded } = await collect(reader, 'fail');
  assert.equal(records.length, 25_014);
  assert.equal(excluded.length, 0);
  const doc = JSON.parse(gunzipSync(readFileSync(COCO)).toString('utf8')) as { annotations: { id: number; image_id: number; caption: string }[] };
  for (const row of [0, 1, 12_345, 25_013]) {
    const a = doc.annotations[row];
    assert.deepEqual(
      { id: records[row].id, image_id: records[row].image_id, caption: records[row].caption, source_row: records[row].source_row },
      { id: String(a.id), image_id: a.image_id, caption: a.caption, source_row: row },
    );
  }
  assert.equal(new Set(records.map((r) => r.id)).size, 25_014, 'COCO annotation ids are unique');
  assert.equal(reader.columns.find((c) => c.name === 'image_id')?.type, 'int64');
});

test('json: unknown options are rejected (strict schema)', () => {
  assert.throws(() => openReader({ type: 'json', path: COCO, records_path: 'annotations' } as never));
  assert.throws(() => openReader({ type: 'json', path: COCO, maxDocumentBytes: 0 }));
});

test('json: a top-level array; bad elements are bad_record / no_content, the rest read', async (t) => {
  const dir = tempDir(t);
  const file = path.join(dir, 'rows.json');
  writeFileSync(file, JSON.stringify([{ text: 'one', n: 1 }, 5, ['x'], null, { text: null }, {}, { text: 42 }, { text: 'two', n: 2 }]));
  const { items } = await collect(openReader({ type: 'json', path: file }), 'quarantine');
  assert.deepEqual(
    items.map((i) => i.record?.text ?? `!${i.excluded!.reason}@${String(i.excluded!.source_row)}`),
    ['one', '!bad_record@1', '!bad_record@2', '!bad_record@3', '!no_content@4', '!no_content@5', '!bad_record@6', 'two'],
  );
  assert.equal(items[7].record!.id, 'rows.json:7', 'without idField the id is source:row');
  await assert.rejects(collect(openReader({ type: 'json', path: file }), 'fail'), (err: unknown) => err instanceof InputError && oneLineNaming(err, 'rows.json', 1));
});

test('json: nested dot path; missing or non-array path and bad bytes damage the whole file', async (t) => {
  const dir = tempDir(t);
  const w = (name: string, body: string | Buffer) => {
    writeFileSync(path.join(dir, name), body);
    return path.join(dir, name);
  };
  const nested = w('nested.json', JSON.stringify({ data: { rows: [{ caption: 'a' }, { caption: 'b' }] } }));
  const got = await collect(openReader({ type: 'json', path: nested, recordsPath: 'data.rows', contentField: 'caption' }), 'fail');
  assert.deepEqual(
    got.records.map((r) => r.caption),
    ['a', 'b'],
  );
  const cases: [string, string | Buffer, string | undefined, string, RegExp][] = [
    ['missing.json', JSON.stringify({ data: {} }), 'data.rows', 'corrupt', /no "data.rows"/],
    ['scalar.json', JSON.stringify({ data: { rows: 5 } }), 'data.rows', 'corrupt', /not an array/],
    ['object.json', JSON.stringify({ a: 1 }), undefined, 'corrupt', /not an array/],
    ['utf8.json', Buffer.concat([Buffer.from('[{"text":"'), Buffer.from([0xff]), Buffer.from('"}]')]), undefined, 'corrupt', /UTF-8/],
    ['empty.json', '', undefined, 'corrupt', /invalid JSON/],
    ['gz.json.gz', Buffer.from('not gzip at all'), undefined, 'corrupt', /gzip/],
  ];
  for (const [name, body, recordsPath, reason, message] of cases) {
    const file = w(name, body);
    await assert.rejects(
      collect(openReader({ type: 'json', path: file, recordsPath }), 'fail'),
      (err: unknown) => err instanceof InputError && oneLineNaming(err, name) && message.test(err.message),
      name,
    );
    const q = await collect(openReader({ type: 'json', path: file, recordsPath }), 'quarantine');
    assert.deepEqual(q.items.map(show), [`!${reason} ${name} ${name}:null`], name);
  }
});

test('json: maxDocumentBytes counts uncompressed bytes and refuses larger documents', async (t) => {
  const dir = tempDir(t);
  const body = JSON.stringify([{ text: 'x'.repeat(1000) }]);
  const file = path.join(dir, 'big.json.gz');
  writeFileSync(file, gzipSync(body));
  assert.ok(readFileSync(file).length < 200);
  await assert.rejects(
    collect(openReader({ type: 'json', path: file, maxDocumentBytes: 500 }), 'fail'),
    (err: unknown) => err instanceof InputError && oneLineNaming(err, 'big.json.gz') && /max_document_bytes \(500 bytes\)/.test(err.message),
  );
  assert.equal((await collect(openReader({ type: 'json', path: file, maxDocumentBytes: body.length }), 'fail')).records.length, 1);
});

test('json: plain, gzip and zstd documents give the same records', needsShared, async (t) => {
  const dir = tempDir(t);
  const plain = path.join(dir, 'coco.json');
  writeFileSync(plain, gunzipSync(readFileSync(COCO)));
  writeFileSync(path.join(dir, 'coco.json.gz'), readFileSync(COCO));
  const variants = ['coco.json', 'coco.json.gz'];
  if (hasCommand('zstd')) {
    run('zstd', ['-q', plain, '-o', path.join(dir, 'coco.json.zst')]);
    variants.push('coco.json.zst');
  } else {
    t.diagnostic('zstd CLI not installed: .json.zst not checked');
  }
  const strip = (i: ReadItem) => ({ ...i.record, source: undefined });
  const base = (await collect(openReader({ type: 'json', path: plain, recordsPath: 'annotations', idField: 'id', contentField: 'caption' }), 'fail')).items.map(strip);
  for (const v of variants.slice(1)) {
    const items = (await collect(openReader({ type: 'json', path: path.join(dir, v), recordsPath: 'annotations', idField: 'id', contentField: 'caption' }), 'fail')).items;
    assert.equal(items[0].record!.source, v);
    assert.deepEqual(items.map(strip), base, v);
  }
});

test('json: several documents, one damaged, one empty: identical items for world sizes 1, 2, 3, 5, 8, 40', async (t) => {
  const dir = tempDir(t);
  const doc = (n: number, tag: string) =>
    JSON.stringify({ annotations: Array.from({ length: n }, (_, i) => (i % 7 === 3 ? { id: `${tag}${i}` } : { id: `${tag}${i}`, caption: `${tag} caption ${i}`, image_id: i })) });
  writeFileSync(path.join(dir, 'a.json'), doc(11, 'a'));
  writeFileSync(path.join(dir, 'b.json.gz'), gzipSync(doc(2, 'b')).subarray(0, 20));
  writeFileSync(path.join(dir, 'c.json'), doc(0, 'c'));
  writeFileSync(path.join(dir, 'd.json.gz'), gzipSync(doc(23, 'd')));
  writeFileSync(path.join(dir, 'ignored.txt'), 'not json');
  const open = () => openReader({ type: 'json', path: dir, recordsPath: 'annotations', idField: 'id', contentField: 'caption' });
  const one = (await collectAllRanks(open(), 1)).flat().map(show);
  assert.equal(one.length, 11 + 1 + 23);
  assert.equal(one.filter((s) => s.startsWith('!truncated b.json.gz')).length, 1);
  assert.equal(one.filter((s) => s.startsWith('!no_content')).length, 2 + 3);
  for (const w of [2, 3, 5, 8, 40]) {
    const ranks = await collectAllRanks(open(), w);
    assert.deepEqual(ranks.flat().map(show), one, `world size ${w}`);
    if (w <= 8)
      assert.ok(
        ranks.every((r) => r.length > 0),
        `every rank of ${w} has work`,
      );
  }
});

test('json in a pipeline: snake_case keys, 3 tasks, lang_id on COCO captions', needsShared, async (t) => {
  const dir = tempDir(t);
  writeFileSync(
    path.join(dir, 'p.yaml'),
    `input:\n  type: json\n  path: ${JSON.stringify(COCO)}\n  records_path: annotations\n  id_field: id\n  content_field: caption\nstages:\n  - lang_id: {}\noutput:\n  path: out\nexecution:\n  tasks: 3\n`,
  );
  const r = thresher(['run', path.join(dir, 'p.yaml'), '-q']);
  assert.equal(r.status, 0, r.stderr);
  const m = JSON.parse(readFileSync(path.join(dir, 'out', 'v1', 'manifest.json'), 'utf8')) as Manifest;
  assert.equal(m.counts.output_records, 25_014);
  const ids = new Set<string>();
  let en = 0;
  for await (const rec of readShards(m.files.filter((f) => f.path.startsWith('data/')).map((f) => path.join(dir, 'out', 'v1', f.path)))) {
    ids.add(rec.id);
    if (rec.language === 'en') en++;
    assert.equal(typeof rec.image_id, 'number');
  }
  assert.equal(ids.size, 25_014);
  t.diagnostic(`COCO captions labelled en by lid.176: ${en}/25014 (${((100 * en) / 25_014).toFixed(2)}%)`);
  assert.ok(en / 25_014 > 0.99, 'COCO captions are English');
});
