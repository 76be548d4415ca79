import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { loadClipMerges } from '../../../src/models/clip/merges-file.js';
import { ClipTokenizer } from '../../../src/models/clip/tokenizer.js';
import { thresher } from '../../helpers/cli.js';

const texts = ['A dog on a bench.', 'Two cats &amp; a MOUSE', '', 'a photo of a very large brown dog sitting on a red couch'];

function input(dir: string): string {
  const file = path.join(dir, 'in.jsonl');
  const rows = texts.map((caption, i) => ({ key: `k${i}`, caption }));
  rows.push({ key: 'none', caption: null as unknown as string });
  writeFileSync(file, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
  return file;
}

function output(file: string): { id: string; ids: number[] }[] {
  return readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { id: string; ids: number[] });
}

test('thresher clip tokenize: {"id","ids"} per text, SOT … EOT, records without a text left out', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'clip-tok-'));
  const out = path.join(dir, 'out.jsonl');
  const r = thresher(['clip', 'tokenize', '-i', input(dir), '-o', out, '--text-field', 'caption', '--id-field', 'key']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /4 texts, .* tokens .*1 record without a text left out/);
  const tok = new ClipTokenizer(loadClipMerges());
  assert.deepEqual(
    output(out),
    texts.map((t, i) => ({ id: `k${i}`, ids: tok.tokenize(t) })),
  );
});

test('thresher clip tokenize --context-length: truncate=True, EOT last', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'clip-tok-'));
  const out = path.join(dir, 'out.jsonl');
  const r = thresher(['clip', 'tokenize', '-i', input(dir), '-o', out, '--text-field', 'caption', '--id-field', 'key', '--context-length', '6']);
  assert.equal(r.status, 0, r.stderr);
  const rows = output(out);
  const tok = new ClipTokenizer(loadClipMerges());
  for (const [i, row] of rows.entries()) {
    const full = tok.tokenize(texts[i]);
    assert.deepEqual(row.ids, full.length <= 6 ? full : [...full.slice(0, 5), 49407]);
  }
  const bad = thresher(['clip', 'tokenize', '-i', input(dir), '-o', out, '--context-length', '1']);
  assert.notEqual(bad.status, 0);
});
