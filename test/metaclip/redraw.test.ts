import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { DuckDBInstance } from '@duckdb/node-api';
import { tempDir } from '../helpers/fixtures.js';
import { thresher } from '../helpers/cli.js';
import { epochUniform, redrawImage } from '../../src/metaclip/epoch.js';
import { createHash } from 'node:crypto';

const WORDS = ['dog', 'cat', 'red', 'car', 'tree', 'a', 'on', 'the', 'house', 'blue', 'sky', 'man', 'woman', 'beach', 'ball'];
const METADATA = ['dog', 'cat', 'red', 'car', 'tree', 'house', 'blue', 'sky', 'man', 'woman', 'beach', 'ball', 'red car', 'blue sky'];

/** Captions of words drawn with a fixed generator; `images` captions share an image URL. */
function writePool(file: string, n: number, images: number): void {
  let x = 12345;
  const next = () => ((x = (x * 1103515245 + 12345) & 0x7fffffff), x);
  const lines: string[] = [];
  for (let i = 0; i < n; i++) {
    const words = Array.from({ length: 3 + (next() % 5) }, () => WORDS[next() % WORDS.length]);
    lines.push(JSON.stringify({ id: `t${i}`, text: words.join(' '), url: `https://img.example/${i % images}.jpg` }));
  }
  writeFileSync(file, lines.join('\n') + '\n');
}

function pipeline(dir: string, name: string, balance: string): string {
  const file = path.join(dir, `${name}.yaml`);
  writeFileSync(
    file,
    `name: ${name}\ninput: { type: jsonl, path: pool.jsonl, id_field: id }\nstages:\n  - metaclip_match: { metadata: metadata.json }\n  - metaclip_balance: { t: 300, metadata: metadata.json, ${balance} }\noutput: { path: ${name} }\nexecution: { tasks: 3, seed: 11 }\n`,
  );
  return file;
}

async function rows(file: string, columns: string): Promise<Record<string, unknown>[]> {
  const db = await DuckDBInstance.create(':memory:');
  const c = await db.connect();
  const r = await c.runAndReadAll(`SELECT ${columns} FROM read_parquet('${file.replace(/'/g, "''")}')`);
  const out = r.getRowObjects() as Record<string, unknown>[];
  c.closeSync();
  db.closeSync();
  return out;
}

test('keep: candidates releases every matched text with its keep probability; redraw epoch 0 is the drawn release, later epochs redraw', async () => {
  const dir = tempDir();
  writePool(path.join(dir, 'pool.jsonl'), 6000, 6000);
  writeFileSync(path.join(dir, 'metadata.json'), JSON.stringify(METADATA));
  for (const [name, balance] of [
    ['drawn', 'keep: drawn'],
    ['candidates', 'keep: candidates'],
  ]) {
    const r = thresher(['run', pipeline(dir, name, balance), '-q', '-w', '2']);
    assert.equal(r.status, 0, r.stderr);
  }
  const release = path.join(dir, 'candidates', 'v1');
  const all = await rows(path.join(release, 'data', '*.parquet'), 'id, metaclip_keep_probability AS p, metaclip_kept AS kept');
  const drawn = new Set((await rows(path.join(dir, 'drawn', 'v1', 'data', '*.parquet'), 'id')).map((r) => String(r.id)));
  assert.ok(all.every((r) => Number(r.p) > 0 && Number(r.p) <= 1));
  assert.ok(all.some((r) => Number(r.p) < 1) && all.some((r) => Number(r.p) === 1), 'head and tail entries both present');
  assert.deepEqual(new Set(all.filter((r) => r.kept === true).map((r) => String(r.id))), drawn);

  const epoch = (n: number) => {
    const out = path.join(dir, `epoch-${n}.parquet`);
    const r = thresher(['metaclip', 'redraw', release, '--epoch', String(n), '-o', out]);
    assert.equal(r.status, 0, r.stderr);
    return out;
  };
  const e0 = new Set((await rows(epoch(0), 'id')).map((r) => String(r.id)));
  assert.deepEqual(e0, drawn);
  const expected = all.reduce((s, r) => s + Number(r.p), 0);
  const sd = Math.sqrt(all.reduce((s, r) => s + Number(r.p) * (1 - Number(r.p)), 0));
  const epochs: string[][] = [];
  for (let n = 0; n <= 9; n++) {
    const ids = (await rows(epoch(n), 'id')).map((r) => String(r.id));
    assert.ok(Math.abs(ids.length - expected) < 3 * sd, `epoch ${n}: ${ids.length} kept, expected ${expected.toFixed(0)} ± 3 × ${sd.toFixed(1)}`);
    epochs.push(ids);
  }
  for (let a = 0; a < epochs.length; a++) for (let b = a + 1; b < epochs.length; b++) assert.notDeepEqual(epochs[a], epochs[b], `epochs ${a} and ${b}`);
  const e1 = epochs[1];
  // tail texts (p = 1) are in every epoch; the same epoch gives the same bytes
  const tail = all.filter((r) => Number(r.p) === 1).map((r) => String(r.id));
  const in1 = new Set(e1);
  assert.ok(tail.every((id) => in1.has(id)));
  const again = path.join(dir, 'again.parquet');
  assert.equal(thresher(['metaclip', 'redraw', release, '--epoch', '1', '-o', again]).status, 0);
  assert.deepEqual(readFileSync(again), readFileSync(path.join(dir, 'epoch-1.parquet')));

  // the same epoch from a release made with another worker count: the same bytes
  const w1 = thresher(['run', pipeline(dir, 'one-worker', 'keep: candidates'), '-q', '-w', '1']);
  assert.equal(w1.status, 0, w1.stderr);
  const other = path.join(dir, 'one-worker-epoch-1.parquet');
  assert.equal(thresher(['metaclip', 'redraw', path.join(dir, 'one-worker', 'v1'), '--epoch', '1', '-o', other]).status, 0);
  assert.deepEqual(readFileSync(other), readFileSync(path.join(dir, 'epoch-1.parquet')));

  const refused = thresher(['metaclip', 'redraw', path.join(dir, 'drawn', 'v1'), '--epoch', '1', '-o', path.join(dir, 'x.parquet')]);
  assert.equal(refused.status, 1);
  assert.match(refused.stderr, /keep: drawn, so it holds one draw only; rerun it with keep: candidates/);
});

test('image mode: each epoch keeps at most one text per image, drawn among its texts with p > 0', async () => {
  const dir = tempDir();
  writePool(path.join(dir, 'pool.jsonl'), 6000, 1500);
  writeFileSync(path.join(dir, 'metadata.json'), JSON.stringify(METADATA));
  const r = thresher(['run', pipeline(dir, 'img', 'keep: candidates, mode: image, image_column: url'), '-q']);
  assert.equal(r.status, 0, r.stderr);
  const out = path.join(dir, 'e3.parquet');
  assert.equal(thresher(['metaclip', 'redraw', path.join(dir, 'img', 'v1'), '--epoch', '3', '-o', out]).status, 0);
  const kept = await rows(out, 'url, metaclip_keep_probability AS p');
  const urls = kept.map((k) => String(k.url));
  assert.equal(new Set(urls).size, urls.length, 'one text per image');
  assert.ok(kept.length > 300 && kept.every((k) => Number(k.p) > 0));
});

test('the epoch draw is the documented SHA-256 rule, so a loader in any language can reproduce it', () => {
  const digest = createHash('sha256').update('metaclip-epoch:7:3:keep:t42').digest();
  const u = Number(digest.readBigUInt64BE(0) >> 11n) / 2 ** 53;
  assert.equal(epochUniform(7, 3, 't42', 'keep'), u);
  // image mode: candidates in id order, p = 0 texts never chosen
  assert.equal(redrawImage([{ id: 'b', p: 0 }], 1, 1, 'img'), -1);
  const texts = [
    { id: 'z', p: 1 },
    { id: 'a', p: 1 },
  ];
  const choose = epochUniform(1, 1, 'img', 'choose');
  assert.equal(redrawImage(texts, 1, 1, 'img'), choose < 0.5 ? 1 : 0);
});
