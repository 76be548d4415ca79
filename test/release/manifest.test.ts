import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { canonicalJson, describeFile, manifestDigest, sealManifest, type Manifest } from '../../src/release/manifest.js';
import { renderCard } from '../../src/release/card.js';
import { verifyRelease, type VerifyProblem } from '../../src/release/verify.js';
import { tempDir } from '../helpers/fixtures.js';

const base = {
  format: 'thresher-release/1',
  name: 'unit',
  version: 'v1',
  run_id: 'r1',
  created_at: '2024-01-01T00:00:00.000Z',
  thresher_version: '0.0.0',
  pipeline: { file: 'pipeline.yaml', source: '/p.yaml', sha256: 'a'.repeat(64) },
  input: { type: 'directory', path: '/in', files: 3, bytes: 30, fingerprint: 'f' },
  execution: { tasks: 1, seed: 0 },
  schema: [{ name: 'id', type: 'string' }],
  counts: {
    input_records: 3,
    output_records: 2,
    output_bytes: 20,
    excluded: { empty: 1 },
    stages: [
      { stage: 'read', records_in: 3, records_out: 3, bytes_in: 30, bytes_out: 30, excluded: {}, ms: 0, counters: {} },
      { stage: '0:filter', records_in: 3, records_out: 2, bytes_in: 30, bytes_out: 20, excluded: { empty: 1 }, ms: 0, counters: {} },
      { stage: 'write', records_in: 2, records_out: 2, bytes_in: 20, bytes_out: 20, excluded: {}, ms: 0, counters: {} },
    ],
  },
  previous: null,
  changes: null,
  files: [],
} as unknown as Manifest;

test('canonical JSON sorts keys at every level and keeps array order', () => {
  assert.equal(canonicalJson({ b: 1, a: [{ d: 2, c: 'x' }, 3], e: undefined }), '{"a":[{"c":"x","d":2},3],"b":1}');
  assert.equal(canonicalJson({ z: { y: 1, x: 2 } }), canonicalJson(JSON.parse('{"z":{"x":2,"y":1}}')));
});

test('the card does not depend on the fields sealed from it, and the digest covers the card checksum', () => {
  const card = Buffer.from(renderCard(base));
  const sealed = sealManifest(base, card);
  assert.equal(renderCard(sealed), renderCard(base));
  assert.deepEqual(sealed.card, { path: 'README.md', sha256: sealed.card!.sha256, bytes: card.length });
  assert.equal(manifestDigest(sealed), sealed.digest);
  assert.notEqual(manifestDigest({ ...sealed, card: { ...sealed.card!, bytes: 1 } }), sealed.digest);
});

test('a damaged manifest is reported, not a crash; warnings come back in the result', async () => {
  const dir = tempDir();
  const broken = path.join(dir, 'broken');
  mkdirSync(broken);
  writeFileSync(path.join(broken, 'manifest.json'), JSON.stringify({ ...base, files: 'none' }));
  const r = await verifyRelease(broken, { warn: () => {} });
  assert.match(r.problems[0].problem, /not a valid manifest/);

  const old = path.join(dir, 'old');
  mkdirSync(old);
  mkdirSync(path.join(old, 'data'));
  writeFileSync(path.join(old, 'data', 'part.jsonl'), '{"id":"a"}\n{"id":"b"}\n');
  const files = [await describeFile(path.join(old, 'data', 'part.jsonl'), 'data/part.jsonl')];
  writeFileSync(path.join(old, 'manifest.json'), JSON.stringify({ ...base, files }));
  writeFileSync(path.join(old, 'README.md'), renderCard(base));
  const seen: VerifyProblem[] = [];
  const ok = await verifyRelease(old, { warn: (w) => seen.push(w) });
  assert.deepEqual(ok.problems, []);
  assert.equal(seen.length, 2);
  assert.deepEqual(ok.warnings, seen);
  assert.match(seen[0].problem, /manifest has no digest \(made by an older thresher\)/);
});
