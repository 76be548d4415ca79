import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { DuckDBInstance } from '@duckdb/node-api';
import type { Manifest } from '../../src/release/manifest.js';
import { readShards } from '../../src/engine/shard-reader.js';
import { tempDir } from '../helpers/fixtures.js';
import { thresher } from '../helpers/cli.js';

const line = (i: number) => JSON.stringify({ id: `doc-${i}`, text: `caption number ${i} of a dog on a beach` });

function jsonlPipeline(dir: string, input: string, onBad: 'fail' | 'quarantine', type = 'jsonl'): string {
  const file = path.join(dir, `pipeline-${onBad}.yaml`);
  writeFileSync(
    file,
    `input:\n  type: ${type}\n  path: ${JSON.stringify(input)}\n  id_field: id\non_bad_input: ${onBad}\nstages:\n  - dedup_exact: {}\noutput:\n  path: out-${onBad}\nexecution:\n  tasks: 2\n`,
  );
  return file;
}

function listAll(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true }).map(String);
}

/** Four real kinds of damage, each in its own file, beside a good file. */
function damagedJsonl(dir: string): string {
  const input = path.join(dir, 'input');
  mkdirSync(input);
  writeFileSync(path.join(input, 'a-good.jsonl'), [0, 1, 2, 3].map(line).join('\n') + '\n');
  const gz = gzipSync(Buffer.from([10, 11, 12, 13, 14, 15].map(line).join('\n') + '\n'));
  writeFileSync(path.join(input, 'b-truncated.jsonl.gz'), gz.subarray(0, gz.length - 12));
  writeFileSync(
    path.join(input, 'c-bad-utf8.jsonl'),
    Buffer.concat([Buffer.from(line(20) + '\n' + line(21).slice(0, 30)), Buffer.from([0xff, 0xfe]), Buffer.from(line(21).slice(30) + '\n' + line(22) + '\n')]),
  );
  writeFileSync(path.join(input, 'd-bad-json.jsonl'), `${line(30)}\n{"id": "doc-31", "text": \n${line(32)}\n`);
  return input;
}

test('quarantine: each damaged record is excluded with its file, row and reason; the rest is released', async () => {
  const dir = tempDir();
  const input = damagedJsonl(dir);
  const run = thresher(['run', jsonlPipeline(dir, input, 'quarantine'), '-q']);
  assert.equal(run.status, 0, run.stderr);
  const v1 = path.join(dir, 'out-quarantine', 'v1');
  const m = JSON.parse(readFileSync(path.join(v1, 'manifest.json'), 'utf8')) as Manifest;
  assert.equal(m.counts.excluded.bad_record, 2, JSON.stringify(m.counts.excluded)); // bad UTF-8 line, bad JSON line
  assert.equal(m.counts.excluded.truncated, 1);
  const ids = new Set<string>();
  for await (const r of readShards(m.files.filter((f) => f.path.startsWith('data/')).map((f) => path.join(v1, f.path)))) ids.add(r.id);
  for (const i of [0, 1, 2, 3, 20, 22, 30, 32]) assert.ok(ids.has(`doc-${i}`), `doc-${i} kept`);
  assert.ok(!ids.has('doc-21') && !ids.has('doc-31'));
  const excluded = [];
  for await (const r of readShards(m.files.filter((f) => f.path.startsWith('excluded/')).map((f) => path.join(v1, f.path)))) excluded.push(r);
  const utf8 = excluded.find((r) => String(r.source).endsWith('c-bad-utf8.jsonl'));
  assert.equal(utf8?.source_row, 1);
  assert.match(String(utf8?.detail), /UTF-8/i);
  const json = excluded.find((r) => String(r.source).endsWith('d-bad-json.jsonl'));
  assert.equal(json?.source_row, 1);
  assert.ok(excluded.some((r) => String(r.source).endsWith('b-truncated.jsonl.gz') && r.reason === 'truncated'));
});

test('fail: the first damaged record stops the run with one line naming file and row; nothing half-written', () => {
  const dir = tempDir();
  const input = damagedJsonl(dir);
  const run = thresher(['run', jsonlPipeline(dir, input, 'fail'), '-q']);
  assert.equal(run.status, 1);
  const lines = run.stderr.trim().split('\n');
  assert.equal(lines.length, 1, run.stderr);
  assert.ok(lines[0].startsWith(`thresher: ${input}/`), lines[0]);
  assert.match(lines[0], /^thresher: \S*(b-truncated\.jsonl\.gz(:row \d+)?|c-bad-utf8\.jsonl:row 1|d-bad-json\.jsonl:row 1): /);
  const out = path.join(dir, 'out-fail');
  assert.ok(!existsSync(path.join(out, 'v1')), 'no release from a failed run');
  assert.deepEqual(
    listAll(out).filter((f) => /\.tmp-/.test(f)),
    [],
    'no temporary files left',
  );
});

test('a missing input is one line naming it', () => {
  const dir = tempDir();
  const run = thresher(['run', jsonlPipeline(dir, path.join(dir, 'nope.jsonl'), 'fail'), '-q']);
  assert.equal(run.status, 1);
  assert.equal(run.stderr.trim().split('\n').length, 1);
  assert.ok(run.stderr.includes(path.join(dir, 'nope.jsonl')), run.stderr);
});

test('a corrupt Parquet file: one line under fail, a `corrupt` exclusion under quarantine', async () => {
  const dir = tempDir();
  const input = path.join(dir, 'pq');
  mkdirSync(input);
  const db = await DuckDBInstance.create(':memory:');
  const con = await db.connect();
  await con.run(`COPY (SELECT 'p-' || i AS id, 'a photo of item ' || i AS text FROM range(50) t(i)) TO '${path.join(input, 'a.parquet')}' (FORMAT parquet)`);
  con.closeSync();
  db.closeSync();
  const good = readFileSync(path.join(input, 'a.parquet'));
  writeFileSync(path.join(input, 'b.parquet'), good.subarray(0, Math.floor(good.length / 2)));
  const failed = thresher(['run', jsonlPipeline(dir, input, 'fail', 'parquet'), '-q']);
  assert.equal(failed.status, 1);
  assert.equal(failed.stderr.trim().split('\n').length, 1, failed.stderr);
  assert.ok(failed.stderr.includes(path.join(input, 'b.parquet')), failed.stderr);
  const ok = thresher(['run', jsonlPipeline(dir, input, 'quarantine', 'parquet'), '-q']);
  assert.equal(ok.status, 0, ok.stderr);
  const m = JSON.parse(readFileSync(path.join(dir, 'out-quarantine', 'v1', 'manifest.json'), 'utf8')) as Manifest;
  assert.equal(m.counts.output_records, 50);
  assert.equal(m.counts.excluded.corrupt, 1, JSON.stringify(m.counts.excluded));
});
