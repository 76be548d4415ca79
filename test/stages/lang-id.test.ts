import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { langIdStage } from '../../src/stages/lang-id.js';
import type { MapStage } from '../../src/core/stage.js';
import type { DataRecord } from '../../src/core/record.js';
import type { Manifest } from '../../src/release/manifest.js';
import { readShards } from '../../src/engine/shard-reader.js';
import { tempDir } from '../helpers/fixtures.js';
import { thresher } from '../helpers/cli.js';
import { needsShared, sharedPath } from '../helpers/shared.js';
import { processOne } from '../../src/core/processor.js';

/** Short caption-like sentences written for this test, three per language. */
const LABELLED: [string, string][] = [
  ['en', 'A brown dog runs along the beach at sunset.'],
  ['en', 'Two people riding bicycles down a city street.'],
  ['en', 'A plate of pasta with tomato sauce and basil.'],
  ['de', 'Ein brauner Hund läuft bei Sonnenuntergang am Strand entlang.'],
  ['de', 'Zwei Menschen fahren mit dem Fahrrad durch die Stadt.'],
  ['de', 'Ein Teller Nudeln mit Tomatensoße und Basilikum.'],
  ['fr', 'Un chien brun court le long de la plage au coucher du soleil.'],
  ['fr', 'Deux personnes font du vélo dans une rue de la ville.'],
  ['fr', 'Une assiette de pâtes à la sauce tomate et au basilic.'],
  ['es', 'Un perro marrón corre por la playa al atardecer.'],
  ['es', 'Dos personas montan en bicicleta por una calle de la ciudad.'],
  ['es', 'Un plato de pasta con salsa de tomate y albahaca.'],
  ['zh', '一只棕色的狗在日落时沿着海滩奔跑。'],
  ['zh', '两个人在城市街道上骑自行车。'],
  ['zh', '一盘配有番茄酱和罗勒的意大利面。'],
  ['ja', '茶色の犬が夕暮れの浜辺を走っています。'],
  ['ja', '二人が街の通りを自転車で走っています。'],
  ['ja', 'トマトソースとバジルのパスタの皿です。'],
  ['ru', 'Коричневая собака бежит по пляжу на закате.'],
  ['ru', 'Два человека едут на велосипедах по городской улице.'],
  ['ru', 'Тарелка макарон с томатным соусом и базиликом.'],
  ['ar', 'كلب بني يركض على طول الشاطئ عند غروب الشمس.'],
  ['ar', 'شخصان يركبان الدراجات في شارع المدينة.'],
  ['ar', 'طبق من المعكرونة مع صلصة الطماطم والريحان.'],
  ['hi', 'एक भूरा कुत्ता सूर्यास्त के समय समुद्र तट पर दौड़ रहा है।'],
  ['hi', 'दो लोग शहर की सड़क पर साइकिल चला रहे हैं।'],
  ['hi', 'टमाटर की चटनी और तुलसी के साथ पास्ता की एक प्लेट।'],
  ['th', 'สุนัขสีน้ำตาลวิ่งไปตามชายหาดตอนพระอาทิตย์ตก'],
  ['th', 'คนสองคนขี่จักรยานไปตามถนนในเมือง'],
  ['th', 'จานพาสต้ากับซอสมะเขือเทศและใบโหระพา'],
  ['pt', 'Um cachorro marrom corre pela praia ao pôr do sol.'],
  ['pt', 'Duas pessoas andando de bicicleta por uma rua da cidade.'],
  ['it', 'Un cane marrone corre lungo la spiaggia al tramonto.'],
  ['it', 'Due persone vanno in bicicletta per una strada della città.'],
  ['ko', '갈색 개가 해질녘 해변을 따라 달리고 있다.'],
  ['ko', '두 사람이 도시 거리에서 자전거를 타고 있다.'],
];

async function stage(params: object = {}): Promise<MapStage> {
  const s = langIdStage.create(langIdStage.params.parse(params), { contentColumn: 'text', baseDir: '.' }) as MapStage;
  await s.open?.({ step: 't', rank: 0, worldSize: 1, seed: 0, stageDir: '' });
  return s;
}

test('lid.176 labels sentences in 13 languages', async (t) => {
  const s = await stage();
  let right = 0;
  const wrong: string[] = [];
  for (const [lang, text] of LABELLED) {
    const r = { id: text, text: `${text}\n` } as DataRecord;
    assert.equal(processOne(s, r), undefined);
    if (r.language === lang) right++;
    else wrong.push(`${lang}→${String(r.language)}: ${text}`);
    assert.ok(typeof r.language_score === 'number' && r.language_score > 0 && r.language_score <= 1);
  }
  const accuracy = right / LABELLED.length;
  t.diagnostic(`accuracy ${right}/${LABELLED.length} = ${(100 * accuracy).toFixed(1)}%${wrong.length ? `; wrong: ${wrong.join(' | ')}` : ''}`);
  assert.ok(accuracy >= 0.9, wrong.join('\n'));
  const empty = { id: 'e', text: '   ' } as DataRecord;
  processOne(s, empty);
  assert.equal(empty.language, null);
  const strict = await stage({ min_score: 0.999999 });
  const r = { id: 'x', text: 'ok' } as DataRecord;
  processOne(strict, r);
  assert.equal(r.language, null, 'below min_score the language is null');
});

test('on 10,000 real alt-texts: mostly English', needsShared, async (t) => {
  const s = await stage();
  const alt = gunzipSync(readFileSync(sharedPath('data', 'metaclip', 'web-alt-text-10k.jsonl.gz')))
    .toString('utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => (JSON.parse(l) as { TEXT: string | null }).TEXT);
  const t0 = performance.now();
  for (const text of alt) processOne(s, { id: 'a', text });
  const seconds = (performance.now() - t0) / 1000;
  const counts = Object.entries(s.counters!()).sort((a, b) => b[1] - a[1]);
  t.diagnostic(
    `${(alt.length / seconds).toFixed(0)} texts/s; top: ${counts
      .slice(0, 8)
      .map(([k, v]) => `${k.slice(8)} ${v}`)
      .join(', ')}`,
  );
  assert.equal(counts[0][0], 'lang_id:en', 'web alt-texts are mostly English');
});

test('lang_id, then MetaCLIP 2 per-language matching in one pipeline', async () => {
  const dir = tempDir();
  writeFileSync(path.join(dir, 'en.json'), JSON.stringify(['dog', 'beach', 'city']));
  writeFileSync(path.join(dir, 'zh.json'), JSON.stringify(['狗', '海滩', '城市']));
  writeFileSync(path.join(dir, 'in.jsonl'), LABELLED.map(([, text], i) => JSON.stringify({ id: `t${i}`, text })).join('\n') + '\n');
  writeFileSync(
    path.join(dir, 'p.yaml'),
    'input:\n  type: jsonl\n  path: in.jsonl\n  id_field: id\nstages:\n  - lang_id: {}\n  - metaclip_match:\n      metadata: { en: en.json, zh: zh.json }\noutput:\n  path: out\n',
  );
  const run = thresher(['run', path.join(dir, 'p.yaml'), '-q']);
  assert.equal(run.status, 0, run.stderr);
  const m = JSON.parse(readFileSync(path.join(dir, 'out', 'v1', 'manifest.json'), 'utf8')) as Manifest;
  const rows = new Map<string, Record<string, unknown>>();
  for await (const r of readShards(m.files.filter((f) => f.path.startsWith('data/')).map((f) => path.join(dir, 'out', 'v1', f.path)))) rows.set(r.id, r);
  assert.equal(rows.get('t0')?.language, 'en');
  assert.deepEqual(rows.get('t0')?.metaclip_matches, [0, 1]); // dog, beach
  assert.equal(rows.get('t12')?.language, 'zh');
  assert.deepEqual(rows.get('t12')?.metaclip_matches, [3, 4]); // 狗, 海滩 (zh ids start at 3)
  assert.deepEqual(rows.get('t3')?.metaclip_matches, [], 'German has no metadata here');
});

test('lang_id: newlines inside a text are spaces, not the end of the text; columns are configurable', async () => {
  const s = await stage({ text_column: 'caption', column: 'lang', score_column: 'lang_p' });
  assert.deepEqual(
    s.columns.map((c) => `${c.name}:${c.type}`),
    ['lang:string', 'lang_p:float64'],
  );
  // fastText stops at the first newline: unreplaced, "photo" alone would decide (en).
  const r = { id: 'nl', text: 'ignored', caption: 'photo\r\nUn chien brun court le long de la plage au coucher du soleil.' } as DataRecord;
  processOne(s, r);
  assert.equal(r.lang, 'fr');
  assert.ok(typeof r.lang_p === 'number' && r.lang_p > 0.5);
  assert.equal(r.language, undefined, 'the default column is not written');
  const missing = { id: 'm', caption: null } as DataRecord;
  processOne(s, missing);
  assert.equal(missing.lang, null);
  assert.equal(missing.lang_p, null);
  assert.deepEqual(s.counters!(), { 'lang_id:fr': 1, 'lang_id:unknown': 1 });
});
