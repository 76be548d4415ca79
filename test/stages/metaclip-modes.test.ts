import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { Manifest } from '../../src/release/manifest.js';
import { readShards } from '../../src/engine/shard-reader.js';
import { tempDir } from '../helpers/fixtures.js';
import { thresher } from '../helpers/cli.js';
import { needsShared, sharedPath } from '../helpers/shared.js';

const DATA = sharedPath('data', 'metaclip');

async function rows(dir: string, prefix: 'data/' | 'excluded/'): Promise<Record<string, unknown>[]> {
  const m = JSON.parse(readFileSync(path.join(dir, 'v1', 'manifest.json'), 'utf8')) as Manifest;
  const out = [];
  for await (const r of readShards(m.files.filter((f) => f.path.startsWith(prefix)).map((f) => path.join(dir, 'v1', f.path)))) out.push(r);
  return out;
}

test('MetaCLIP 2 per-image mode on COCO: one matched caption drawn per image, then the noisy-OR keep', needsShared, async () => {
  const dir = tempDir();
  const coco = JSON.parse(gunzipSync(readFileSync(path.join(DATA, 'coco-captions-val2017.json.gz'))).toString('utf8')) as { annotations: { id: number; image_id: number; caption: string }[] };
  const input = path.join(dir, 'coco.jsonl');
  writeFileSync(input, coco.annotations.map((a) => JSON.stringify({ id: String(a.id), image_id: a.image_id, caption: a.caption })).join('\n') + '\n');
  const metadata = path.join(DATA, 'metadata-wn30.json.gz');
  const run = (name: string, tasks: number) => {
    const file = path.join(dir, `${name}.yaml`);
    writeFileSync(
      file,
      `input:\n  type: jsonl\n  path: coco.jsonl\n  content_field: caption\n  id_field: id\nstages:\n  - metaclip_match:\n      metadata: ${JSON.stringify(metadata)}\n  - metaclip_balance:\n      t: 200\n      mode: image\n      image_column: image_id\noutput:\n  path: ${name}\nexecution:\n  tasks: ${tasks}\n`,
    );
    const r = thresher(['run', file, '-q']);
    assert.equal(r.status, 0, r.stderr);
    return path.join(dir, name);
  };
  const a = run('two', 2);
  const b = run('five', 5);
  const kept = await rows(a, 'data/');
  const keptB = await rows(b, 'data/');
  assert.deepEqual(kept.map((r) => r.id).sort(), keptB.map((r) => r.id).sort(), 'same images and captions for any sharding');
  const images = new Set(kept.map((r) => r.image_id));
  assert.equal(images.size, kept.length, 'at most one caption per kept image');
  assert.ok(kept.every((r) => (r.metaclip_matches as number[]).length > 0));
  const summary = JSON.parse(readFileSync(path.join(a, 'v1', 'artifacts', '1-metaclip_balance', 'summary.json'), 'utf8')) as { kept: number; not_chosen: number; balanced_out: number };
  assert.equal(summary.kept, kept.length);
  const allImages = new Set(coco.annotations.map((x) => x.image_id));
  assert.ok(kept.length > 0.2 * allImages.size && kept.length < allImages.size, `${kept.length} of ${allImages.size} images kept`);
  const excluded = await rows(a, 'excluded/');
  const reasons = new Map<string, number>();
  for (const r of excluded) reasons.set(String(r.reason), (reasons.get(String(r.reason)) ?? 0) + 1);
  assert.equal(kept.length + excluded.length, coco.annotations.length);
  assert.equal(reasons.get('not_chosen'), summary.not_chosen);
  // Every image with a matched caption had exactly one caption drawn: kept or balanced out.
  const reference = gunzipSync(readFileSync(path.join(DATA, 'reference', 'coco-captions-val2017.matches.jsonl.gz')))
    .toString('utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { id: string; matches: number[] });
  const matchedCaptions = new Set(reference.filter((x) => x.matches.length > 0).map((x) => Number(x.id)));
  const matchedImages = new Set(coco.annotations.filter((x) => matchedCaptions.has(x.id)).map((x) => x.image_id));
  assert.equal(summary.kept + summary.balanced_out, matchedImages.size);
});

test('MetaCLIP 2 multilingual: per-language metadata chosen by a language column, CJK ends unpadded, equal tail share', async () => {
  const dir = tempDir();
  writeFileSync(path.join(dir, 'en.json'), JSON.stringify(['dog', 'cat', 'new york', 'york', 'beach']));
  writeFileSync(path.join(dir, 'zh.json'), JSON.stringify(['狗', '猫', '北京', '海滩']));
  const texts: { id: string; lang: string; text: string }[] = [];
  for (let i = 0; i < 400; i++) texts.push({ id: `en${i}`, lang: 'en', text: i % 4 === 0 ? `a cat in new york no. ${i}` : `a dog on the beach no. ${i}` });
  for (let i = 0; i < 300; i++) texts.push({ id: `zh${i}`, lang: 'zh', text: i % 3 === 0 ? `北京的猫${i}` : `我的狗在海滩上${i}` });
  texts.push({ id: 'fr0', lang: 'fr', text: 'un chien dog' });
  writeFileSync(path.join(dir, 'texts.jsonl'), texts.map((t) => JSON.stringify(t)).join('\n') + '\n');
  const match = `  - metaclip_match:\n      metadata: { en: en.json, zh: zh.json }\n      language_column: lang\n`;
  const balance = `  - metaclip_balance:\n      t: 50\n      anchor_language: en\n      metadata: { en: en.json, zh: zh.json }\n`;
  for (const [name, stages] of [
    ['matched', match],
    ['out', match + balance],
  ]) {
    writeFileSync(path.join(dir, `${name}.yaml`), `input:\n  type: jsonl\n  path: texts.jsonl\n  id_field: id\nstages:\n${stages}output:\n  path: ${name}\n`);
    const r = thresher(['run', path.join(dir, `${name}.yaml`), '-q']);
    assert.equal(r.status, 0, r.stderr);
  }
  const out = path.join(dir, 'out');
  const byId = new Map((await rows(path.join(dir, 'matched'), 'data/')).map((x) => [x.id, x]));
  // en ids are 0..4, zh ids 5..8 (languages sorted, zh after en)
  assert.deepEqual(byId.get('en0')?.metaclip_matches, [1, 2, 3]);
  assert.deepEqual(byId.get('en1')?.metaclip_matches, [0, 4]);
  assert.deepEqual(byId.get('zh0')?.metaclip_matches, [6, 7], 'CJK entries match inside unspaced text');
  assert.deepEqual(byId.get('zh1')?.metaclip_matches, [5, 8]);
  assert.deepEqual(byId.get('fr0')?.metaclip_matches, [], 'a language without metadata matches nothing');
  const summary = JSON.parse(readFileSync(path.join(out, 'v1', 'artifacts', '1-metaclip_balance', 'summary.json'), 'utf8')) as { t_by_language: Record<string, { t: number; tail_share: number }> };
  assert.equal(summary.t_by_language.en.t, 50);
  assert.ok(summary.t_by_language.zh.t >= 1);
  const counts = JSON.parse(readFileSync(path.join(out, 'v1', 'artifacts', '1-metaclip_balance', 'entry_counts.json'), 'utf8')) as Record<string, number>;
  assert.equal(counts['zh:狗'], 200);
  assert.equal(counts['en:york'], 100);
});

test('a pipeline that balances per image matches with MetaCLIP 2 padding unless told otherwise (C++ inside C++11, NBSP edges)', async () => {
  const dir = tempDir();
  writeFileSync(path.join(dir, 'meta.json'), JSON.stringify(['C++', 'cat']));
  const texts = [
    { id: 'a', url: 'u1', text: 'I write C++11 code' },
    { id: 'b', url: 'u2', text: '\u00a0cat\u3000' },
  ];
  writeFileSync(path.join(dir, 'texts.jsonl'), texts.map((t) => JSON.stringify(t)).join('\n') + '\n');
  const matchesOf = async (name: string, padding: string, mode: string) => {
    const stages = `  - metaclip_match:\n      metadata: meta.json\n${padding}  - metaclip_balance:\n      t: 10\n      mode: ${mode}\n`;
    writeFileSync(path.join(dir, `${name}.yaml`), `input:\n  type: jsonl\n  path: texts.jsonl\n  id_field: id\nstages:\n${stages}output:\n  path: ${name}\n`);
    const r = thresher(['run', path.join(dir, `${name}.yaml`), '-q']);
    assert.equal(r.status, 0, r.stderr);
    return new Map((await rows(path.join(dir, name), 'data/')).map((x) => [x.id, x.metaclip_matches]));
  };
  const image = await matchesOf('image', '', 'image');
  assert.deepEqual(image.get('a'), [0]);
  assert.deepEqual(image.get('b'), [1]);
  const text = await matchesOf('text', '', 'text');
  assert.equal(text.size, 0, 'MetaCLIP 1 padding: neither text matches, so balancing keeps none');
  const forced = await matchesOf('forced', '      padding: metaclip1\n', 'image');
  assert.equal(forced.size, 0);
});

test('metaclip curate with per-language metadata: -m lang=file, the language from a field or from lang_id, an anchor language', async () => {
  const dir = tempDir();
  writeFileSync(path.join(dir, 'en.json'), JSON.stringify(['dog', 'cat', 'beach']));
  writeFileSync(path.join(dir, 'zh.json'), JSON.stringify(['狗', '猫', '海滩']));
  const texts: { id: string; lang: string; text: string }[] = [];
  for (let i = 0; i < 60; i++) texts.push({ id: `en${i}`, lang: 'en', text: i % 3 === 0 ? `a photo of a cat sleeping on the sofa, number ${i}` : `a happy dog running on the beach, number ${i}` });
  for (let i = 0; i < 40; i++) texts.push({ id: `zh${i}`, lang: 'zh', text: i % 2 === 0 ? `一只猫在沙发上睡觉，第${i}张照片` : `一只快乐的狗在海滩上奔跑，第${i}张照片` });
  writeFileSync(path.join(dir, 'texts.jsonl'), texts.map((t) => JSON.stringify(t)).join('\n') + '\n');
  const curate = (out: string, extra: string[]) => {
    const r = thresher([
      'metaclip',
      'curate',
      '-i',
      path.join(dir, 'texts.jsonl'),
      '--id-field',
      'id',
      '-m',
      `en=${path.join(dir, 'en.json')}`,
      '-m',
      `zh=${path.join(dir, 'zh.json')}`,
      '-t',
      '10',
      '--anchor-language',
      'en',
      '-o',
      path.join(dir, out),
      '-q',
      ...extra,
    ]);
    assert.equal(r.status, 0, r.stderr);
    return r.stdout;
  };
  for (const [out, extra, balanceAt] of [
    ['by-field', ['--language-field', 'lang'], 1],
    ['by-lang-id', [], 2],
  ] as const) {
    const stdout = curate(out, [...extra]);
    const summary = JSON.parse(readFileSync(path.join(dir, out, 'v1', 'artifacts', `${balanceAt}-metaclip_balance`, 'summary.json'), 'utf8')) as { t_by_language: Record<string, { t: number }> };
    assert.equal(summary.t_by_language.en.t, 10, out);
    assert.ok(summary.t_by_language.zh !== undefined, out);
    assert.match(stdout, /metaclip: /);
    const counts = JSON.parse(readFileSync(path.join(dir, out, 'v1', 'artifacts', `${balanceAt}-metaclip_balance`, 'entry_counts.json'), 'utf8')) as Record<string, number>;
    assert.deepEqual([counts['en:cat'], counts['en:dog'], counts['zh:猫'], counts['zh:狗']], [20, 40, 20, 20], `${out}: every text matched in its own language`);
  }
  const mixed = thresher([
    'metaclip',
    'curate',
    '-i',
    path.join(dir, 'texts.jsonl'),
    '-m',
    path.join(dir, 'en.json'),
    '-m',
    `zh=${path.join(dir, 'zh.json')}`,
    '-t',
    '10',
    '-o',
    path.join(dir, 'bad'),
    '-q',
  ]);
  assert.notEqual(mixed.status, 0);
  assert.match(mixed.stderr, /every -m is lang=file/);
});
