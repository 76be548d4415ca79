import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { pool, TextEmbedder, truncateRows } from '../../../src/models/text/embed.js';
import { writeTinyEmbedder, writeTinyTokenClassifier } from '../../../src/models/text/tiny.js';
import { readShards } from '../../../src/engine/shard-reader.js';
import type { DataRecord } from '../../../src/core/record.js';
import { thresher } from '../../helpers/cli.js';
import { tempDir } from '../../helpers/fixtures.js';
import { jsonlPipeline, readManifest } from '../../helpers/pools.js';

test('pooling: mean over the mask, cls, last real token; Matryoshka cut', () => {
  // 2 rows × 3 tokens × 2 wide; row 1 has one padding token
  const hidden = Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  const mask = BigInt64Array.from([1n, 1n, 1n, 1n, 1n, 0n]);
  const out = new Float32Array(4);
  pool(hidden, mask, 2, 3, 2, 'mean', out);
  assert.deepEqual(Array.from(out), [3, 4, 8, 9]);
  pool(hidden, mask, 2, 3, 2, 'cls', out);
  assert.deepEqual(Array.from(out), [1, 2, 7, 8]);
  pool(hidden, mask, 2, 3, 2, 'last', out);
  assert.deepEqual(Array.from(out), [5, 6, 9, 10]);
  assert.deepEqual(Array.from(truncateRows(Float32Array.from([1, 2, 3, 4, 5, 6]), 3, 2)), [1, 2, 4, 5]);
});

test('tiny Qwen-like embedder: batching and padding do not change an embedding; query instruction does', async () => {
  const dir = writeTinyEmbedder(path.join(tempDir(), 'qwen'));
  const one = await TextEmbedder.load(dir, { batchSize: 1, instruction: 'Find the city' });
  const many = await TextEmbedder.load(dir, { batchSize: 3 });
  assert.equal(one.pooling, 'last');
  const texts = ['hello world', 'the city of paris is in the world today', 'berlin', 'a'];
  const a = await one.embed(texts);
  const b = await many.embed(texts);
  assert.equal(a.dim, 32);
  for (let i = 0; i < a.embeddings.length; i++) assert.ok(Math.abs(a.embeddings[i] - b.embeddings[i]) < 1e-5);
  for (let r = 0; r < texts.length; r++) assert.ok(Math.abs(Math.hypot(...a.embeddings.subarray(r * 32, (r + 1) * 32)) - 1) < 1e-5);
  const q = await one.embed(['berlin'], { query: true });
  assert.notDeepEqual(Array.from(q.embeddings), Array.from(a.embeddings.subarray(64, 96)));
  const cut = await TextEmbedder.load(dir, { dimensions: 8 });
  const c = await cut.embed(['berlin']);
  assert.equal(c.dim, 8);
  assert.ok(Math.abs(Math.hypot(...c.embeddings) - 1) < 1e-5);
  for (const m of [one, many, cut]) await m.close();
});

test('tiny BERT-like embedder: mean pooling from 1_Pooling/config.json', async () => {
  const dir = writeTinyEmbedder(path.join(tempDir(), 'bert'), { kind: 'bert' });
  const m = await TextEmbedder.load(dir);
  assert.equal(m.pooling, 'mean');
  const { dim, embeddings } = await m.embed(['hello world', 'world hello']); // mean pooling ignores word order here
  for (let j = 0; j < dim; j++) assert.ok(Math.abs(embeddings[j] - embeddings[dim + j]) < 1e-5);
  await m.close();
});

test('ner → pii (model names) → embed → semantic_dedup → vector_index in a pipeline, then thresher search', async () => {
  const dir = tempDir();
  writeTinyEmbedder(path.join(dir, 'embedder'));
  writeTinyTokenClassifier(path.join(dir, 'ner'), { tokenLabels: { john: 'B-PER', smith: 'I-PER', maria: 'B-PER', paris: 'B-LOC', berlin: 'B-LOC' } });
  const texts = [
    ['a', 'john smith lives in paris'],
    ['b', 'john smith lives in paris.'], // a near-copy of a (cosine 0.97 with the tiny model): removed, kept id a
    ['c', 'maria works in berlin today'],
    ['d', 'the world is a city'],
    ['e', 'hello hello hello world'],
    ['f', 'google and acme corp'],
  ];
  writeFileSync(path.join(dir, 'in.jsonl'), texts.map(([id, text]) => JSON.stringify({ id, text })).join('\n') + '\n');
  const file = jsonlPipeline(dir, 'in.jsonl', {
    tasks: 2,
    stages: `  - ner: { model: ner, device: cpu, labels: [PER, LOC] }
  - embed: { model: embedder, device: cpu }
  - pii: { name: conservative, name_model: ner, name_model_device: cpu, text_column: text }
  - semantic_dedup: { clusters: 2, epsilon: 0.05 }
  - vector_index: { model: embedder, show: [text] }`,
  });
  const run = thresher(['run', '-q', '-w', '1', file]);
  assert.equal(run.status, 0, run.stderr);
  const release = path.join(dir, 'out', 'v1');
  const manifest = readManifest(release);
  const records = new Map<string, DataRecord>();
  for await (const r of readShards(manifest.files.filter((f) => f.path.startsWith('data/')).map((f) => path.join(release, f.path)))) records.set(r.id, r);
  assert.deepEqual([...records.keys()].sort(), ['a', 'c', 'd', 'e', 'f']);
  assert.deepEqual(
    JSON.parse(String(records.get('a')!.entities)).map((e: { label: string; text: string }) => `${e.label}:${e.text}`),
    ['PER:john smith', 'LOC:paris'],
  );
  assert.equal(records.get('a')!.text, '<NAME> lives in paris');
  assert.equal(records.get('c')!.text, '<NAME> works in berlin today');
  assert.equal(records.get('f')!.entities, '[]');
  assert.equal(manifest.counts.excluded.semantic_duplicate, 1);
  const excluded = manifest.files.filter((f) => f.path.startsWith('excluded/'));
  assert.ok(excluded.length > 0);
  // search: the record itself comes first, with cosine 1
  const search = thresher(['search', release, 'maria works in berlin today', '-k', '3']);
  assert.equal(search.status, 0, search.stderr);
  const hits = search.stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { rank: number; id: string; score: number; text: string });
  assert.equal(hits.length, 3);
  assert.equal(hits[0].id, 'c');
  assert.ok(hits[0].score > 0.999);
  assert.ok(hits[1].score <= hits[0].score && hits[2].score <= hits[1].score);
  const verify = thresher(['verify', release]);
  assert.equal(verify.status, 0, verify.stdout);
});
