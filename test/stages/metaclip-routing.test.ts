import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Manifest } from '../../src/release/manifest.js';
import { readShards } from '../../src/engine/shard-reader.js';
import { tempDir } from '../helpers/fixtures.js';
import { thresher } from '../helpers/cli.js';

/**
 * MetaCLIP 2 language routing through the engine: hand-made texts with language labels as
 * lid.176 gives them. Languages sort en, other, zh: en ids 0..3, other 4..5, zh 6..7.
 */
function pool(dir: string): void {
  writeFileSync(path.join(dir, 'en.json'), JSON.stringify(['dog', 'cat', 'beach', 'city']));
  writeFileSync(path.join(dir, 'other.json'), JSON.stringify(['chien', 'dog']));
  writeFileSync(path.join(dir, 'zh.json'), JSON.stringify(['狗', '海滩']));
  const rows: Record<string, string>[] = [];
  for (let i = 0; i < 200; i++) rows.push({ id: `en${i}`, lang: 'en', text: i % 4 === 0 ? `a cat in the city ${i}` : `a dog on the beach ${i}` });
  for (let i = 0; i < 60; i++) rows.push({ id: `zh${i}`, lang: 'zh', text: `我的狗在海滩上${i}` });
  for (let i = 0; i < 40; i++) rows.push({ id: `yue${i}`, lang: 'yue', text: `我隻狗${i}` });
  for (let i = 0; i < 30; i++) rows.push({ id: `fr${i}`, lang: 'fr', text: `un chien ${i}` });
  for (let i = 0; i < 10; i++) rows.push({ id: `lrc${i}`, lang: 'lrc', text: `chien ${i}` });
  for (let i = 0; i < 5; i++) rows.push({ id: `empty${i}`, lang: '', text: `dog ${i}` });
  for (let i = 0; i < 5; i++) rows.push({ id: `none${i}`, text: `chien ${i}` });
  writeFileSync(path.join(dir, 'texts.jsonl'), rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
}

function run(dir: string, name: string, stages: string): { status: number | null; stderr: string } {
  writeFileSync(path.join(dir, `${name}.yaml`), `input:\n  type: jsonl\n  path: texts.jsonl\n  id_field: id\nstages:\n${stages}output:\n  path: ${name}\nexecution:\n  tasks: 3\n`);
  return thresher(['run', path.join(dir, `${name}.yaml`), '-q']);
}

async function release(dir: string): Promise<{ manifest: Manifest; rows: Map<string, Record<string, unknown>> }> {
  const manifest = JSON.parse(readFileSync(path.join(dir, 'v1', 'manifest.json'), 'utf8')) as Manifest;
  const rows = new Map<string, Record<string, unknown>>();
  for await (const r of readShards(manifest.files.filter((f) => f.path.startsWith('data/')).map((f) => path.join(dir, 'v1', f.path)))) rows.set(r.id, r);
  return { manifest, rows };
}

test('routing: yue goes to zh (variants merged); fr, lrc, empty and missing labels go to other with its own counts and t', async () => {
  const dir = tempDir();
  pool(dir);
  const meta = '{ en: en.json, zh: zh.json, other: other.json }';
  const r = run(
    dir,
    'out',
    `  - metaclip_match:\n      metadata: ${meta}\n      language_column: lang\n  - metaclip_balance:\n      t: 50\n      anchor_language: en\n      metadata: ${meta}\n      keep: candidates\n`,
  );
  assert.equal(r.status, 0, r.stderr);
  const out = path.join(dir, 'out');
  const { manifest, rows } = await release(out);
  assert.deepEqual(rows.get('yue0')?.metaclip_matches, [6], 'Cantonese matched against the zh metadata');
  assert.deepEqual(rows.get('zh0')?.metaclip_matches, [6, 7]);
  assert.deepEqual(rows.get('fr0')?.metaclip_matches, [4], 'French has no metadata here: other');
  assert.deepEqual(rows.get('lrc0')?.metaclip_matches, [4], 'the table sends lrc to other');
  assert.deepEqual(rows.get('empty0')?.metaclip_matches, [5], 'an empty label: other (its "dog", not English’s)');
  assert.deepEqual(rows.get('none0')?.metaclip_matches, [4]);
  const counters = manifest.counts.stages.find((s) => s.stage.endsWith(':metaclip_match'))!.counters;
  assert.equal(counters['metaclip:texts:en'], 200);
  assert.equal(counters['metaclip:texts:zh'], 100);
  assert.equal(counters['metaclip:texts:other'], 50);
  assert.equal(counters['metaclip:matched_texts:other'], 50);
  const artifacts = path.join(out, 'v1', 'artifacts', '1-metaclip_balance');
  const counts = JSON.parse(readFileSync(path.join(artifacts, 'entry_counts.json'), 'utf8')) as Record<string, number>;
  assert.equal(counts['other:chien'], 45);
  assert.equal(counts['other:dog'], 5);
  assert.equal(counts['en:dog'], 150, 'the empty-label texts did not count for English');
  assert.equal(counts['zh:狗'], 100);
  const summary = JSON.parse(readFileSync(path.join(artifacts, 'summary.json'), 'utf8')) as {
    t_by_language: Record<string, { t: number; tail_share: number }>;
    by_language: Record<string, { matched: number; kept: number }>;
  };
  assert.equal(summary.t_by_language.en.t, 50);
  // English tail share at t = 50 is 0; other's counts [5, 45] give p_to_t = 5 (cumulative share 0.1 is closest to 0)
  assert.equal(summary.t_by_language.other.t, 5);
  assert.deepEqual(Object.fromEntries(Object.entries(summary.by_language).map(([l, x]) => [l, x.matched])), { en: 200, other: 50, zh: 100 });
  const keptOther = [...rows.values()].filter((x) => String(x.id).match(/^(fr|lrc|empty|none)/) && x.metaclip_kept === true).length;
  assert.equal(summary.by_language.other.kept, keptOther);
});

test('fallback_language takes the texts no metadata claims, after the label’s own language; with other metadata it is refused', async () => {
  const dir = tempDir();
  pool(dir);
  const r = run(dir, 'fb', `  - metaclip_match:\n      metadata: { en: en.json, zh: zh.json }\n      language_column: lang\n      fallback_language: en\n`);
  assert.equal(r.status, 0, r.stderr);
  const { manifest, rows } = await release(path.join(dir, 'fb'));
  assert.deepEqual(rows.get('empty0')?.metaclip_matches, [0], 'English "dog"');
  assert.deepEqual(rows.get('fr0')?.metaclip_matches, [], 'English metadata has no "chien"');
  assert.deepEqual(rows.get('yue0')?.metaclip_matches, [4], 'a routed label keeps its own language');
  const counters = manifest.counts.stages.find((s) => s.stage.endsWith(':metaclip_match'))!.counters;
  assert.equal(counters['metaclip:fallback_texts'], 50);
  assert.equal(counters['metaclip:texts:en'], 250);
  assert.equal(counters['metaclip:texts:other'], undefined);

  const both = run(dir, 'both', `  - metaclip_match:\n      metadata: { en: en.json, other: other.json }\n      language_column: lang\n      fallback_language: en\n`);
  assert.notEqual(both.status, 0);
  assert.match(both.stderr, /fallback_language and "other" metadata both take the texts no metadata language claims/);
});

test('metaclip curate --routing (a user table) and -m other=file', async () => {
  const dir = tempDir();
  pool(dir);
  // this table keeps Cantonese apart and sends French to English
  writeFileSync(path.join(dir, 'routing.tsv'), '# mine\nen\ten\nzh\tzh\nyue\tyue\nfr\ten\n');
  writeFileSync(path.join(dir, 'yue.json'), JSON.stringify(['狗']));
  const r = thresher(
    [
      'metaclip',
      'curate',
      '-i',
      'texts.jsonl',
      '--id-field',
      'id',
      '-m',
      'en=en.json',
      '-m',
      'zh=zh.json',
      '-m',
      'yue=yue.json',
      '-m',
      'other=other.json',
      '--language-field',
      'lang',
      '--routing',
      'routing.tsv',
      '-t',
      '1000',
      '-q',
      '-o',
      'cur',
    ],
    dir,
  );
  assert.equal(r.status, 0, r.stderr);
  const { manifest } = await release(path.join(dir, 'cur'));
  const counters = manifest.counts.stages.find((s) => s.stage.endsWith(':metaclip_match'))!.counters;
  assert.equal(counters['metaclip:texts:yue'], 40);
  assert.equal(counters['metaclip:texts:zh'], 60);
  assert.equal(counters['metaclip:texts:en'], 230, 'French routed to English by the user table');
  assert.equal(counters['metaclip:matched_texts:en'], 200, '"un chien" has no English entry');
  assert.equal(counters['metaclip:texts:other'], 20, 'lrc is not in the user table: other');
  assert.match(readFileSync(path.join(dir, 'cur', 'pipeline.yaml'), 'utf8'), /routing: \.\.\/routing\.tsv/, 'relative to the pipeline file');
});
