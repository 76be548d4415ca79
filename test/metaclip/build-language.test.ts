import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { buildLanguageMetadata } from '../../src/metaclip/build/language.js';
import { countTokens, countWikiText, newNgramCounts, tokenize } from '../../src/metaclip/build/ngrams.js';
import { omwLemmas } from '../../src/metaclip/build/omw.js';
import { intlSegmenter } from '../../src/metaclip/build/segmenter.js';
import { cleanEntry, simpleTokens } from '../../src/metaclip/build/text.js';
import { editionOfDomain, titleViewsFromPageviews } from '../../src/metaclip/build/titles.js';
import { tempDir } from '../helpers/fixtures.js';
import { thresher } from '../helpers/cli.js';

const NUMBERS = Array.from({ length: 100 }, (_, i) => String(i));

function write(dir: string, name: string, text: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
}

const OMW_FRA = [
  '# Wordnet Libre du Français\tfra\thttp://alpage.inria.fr/~sagot/wolf.html\tCeCILL-C',
  '02084071-n\tfra:lemma\tchien',
  '02084071-n\tfra:lemma\tchien_de_garde',
  '02084071-n\tfra:def\t0\tanimal domestique',
  '02121620-n\tfra:lemma\tchat',
  '02121620-n\tlemma\tmatou',
  '00000001-n\tfra:lemma\t!!!',
  "00000002-n\tfra:lemma\taujourd'+hui",
  '',
].join('\n');

test('Open Multilingual Wordnet tab files: every lemma of the language, _ → space, + removed; a wrong file is an error', async () => {
  const dir = tempDir();
  const fra = write(dir, 'wn-data-fra.tab', OMW_FRA);
  assert.deepEqual(await omwLemmas([fra], 'fr'), ['chien', 'chien de garde', 'chat', 'matou', '!!!', "aujourd'hui"]);
  assert.deepEqual(await omwLemmas([fra], 'fra'), ['chien', 'chien de garde', 'chat', 'matou', '!!!', "aujourd'hui"], 'the OMW code works too');
  await assert.rejects(omwLemmas([fra], 'ja'), /wn-data-fra\.tab: no lemma for language ja \(OMW codes ja, jpn\); the file has fra/);
  const bad = write(dir, 'bad.tab', '# x\tfra\n02084071-n fra:lemma chien\n');
  await assert.rejects(omwLemmas([bad], 'fr'), /bad\.tab:row 1: expected "offset-pos<TAB>type<TAB>value"/);
});

test('entries as the reference admits them: stripped, not empty, not all punctuation, at most 256 code points', () => {
  assert.equal(cleanEntry('  chat\u3000'), 'chat');
  assert.equal(cleanEntry('!!!'), null);
  assert.equal(cleanEntry('《》'), null);
  assert.equal(cleanEntry('¿?'), null);
  assert.equal(cleanEntry(''), null);
  assert.equal(cleanEntry('𠀀'.repeat(256)), '𠀀'.repeat(256), '256 code points (512 UTF-16 units) is allowed');
  assert.equal(cleanEntry('a'.repeat(257)), null);
  assert.equal(buildLanguageMetadata({ language: 'fr', wordnet: ['a'.repeat(300)] }).entries[100], 'a'.repeat(300), 'WordNet lemmas have no length limit');
});

test('tokens: spaced languages split on whitespace with CJK and punctuation alone; punctuation breaks the bigram chain', () => {
  assert.deepEqual(simpleTokens('dog, cat北京\u00a0tour'), ['dog', ',', 'cat', '北', '京', 'tour']);
  const c = newNgramCounts();
  const last = countTokens(simpleTokens('new york. new york'), c, 'en');
  assert.equal(last, 'york');
  assert.deepEqual([...c.bigrams.entries()], [['new york', 2]], 'no "york new" across the full stop');
  // languages without spaces: a token starting with punctuation, or with half a bracket pair, breaks the chain too
  const z = newNgramCounts();
  countTokens(['北京', '「大学', '学生', 'b(c)', 'a)', '老师'], z, 'zh');
  assert.deepEqual([...z.unigrams.entries()].sort(), [
    ['b(c)', 1],
    ['北京', 1],
    ['学生', 1],
    ['老师', 1],
  ]);
  assert.deepEqual([...z.bigrams.entries()], [['学生 b(c)', 1]]);
});

test('unigram cap: ⌊0.1 × distinct unigrams⌋ new entries by count; WordNet entries do not use the cap', async () => {
  const dir = tempDir();
  // a 4, b 3, c 2, d 2, and 22 singletons: 26 distinct → cap 2
  const text = 'a a a a b b b c c d d ' + 'efghijklmnopqrstuvwxyz'.split('').join(' ');
  const wiki = write(dir, 'frwiki.txt.gz', '');
  writeFileSync(wiki, gzipSync(`<doc id="1" title="x">\n${text}\n</doc>\n`));
  const ngrams = await countWikiText([wiki], 'fr');
  assert.equal(ngrams.unigrams.size, 26, '<doc> lines are removed as HTML tags');
  const built = buildLanguageMetadata({ language: 'fr', wordnet: ['a'], ngrams });
  assert.deepEqual(built.entries, [...NUMBERS, 'a', 'b', 'c'], 'a is WordNet; b and c are the two most frequent new unigrams (c before d by code point)');
  assert.deepEqual(
    built.sources.find((s) => s.name === 'unigrams'),
    { name: 'unigrams', candidates: 26, added: 2, cap: 2 },
  );
});

test('PMI bigrams: above min PMI, highest first, capped at min(max, distinct bigrams)', () => {
  const c = newNgramCounts();
  countTokens(simpleTokens('new york. new york. new york. big apple, big apple. the cat. the dog. the end. the fox.'), c, 'en');
  // N = 18; PMI = log2(n·N / (n1·n2)): big apple log2 9, new york log2 6, the cat/dog/end/fox log2 4.5
  const build = (minPmi: number, maxBigrams = 100_646) => buildLanguageMetadata({ language: 'en', ngrams: c, caps: { minPmi, maxBigrams, unigramShare: 0 } }).entries.slice(100);
  assert.deepEqual(build(2.2), ['big apple', 'new york']);
  assert.deepEqual(build(2.2, 1), ['big apple'], 'the cap keeps the highest PMI');
  assert.deepEqual(build(3), ['big apple']);
  assert.deepEqual(build(0).length, 6);
  assert.deepEqual(build(Math.log2(9) + 1e-9), [], 'PMI must be above the threshold');
});

test('languages written without spaces: ICU word segmentation, bigrams joined without a space (zh, ja)', async () => {
  const zh = intlSegmenter('zh');
  assert.deepEqual(tokenize('北京大学的学生。 北京大学在北京。', 'zh', zh), ['北京', '大学', '的', '学生', '。', '北京', '大学', '在', '北京', '。']);
  const dir = tempDir();
  const c = await countWikiText([write(dir, 'zhwiki.txt', '北京大学的学生。\n北京大学在北京。\n')], 'zh', zh);
  assert.equal(c.bigrams.get('北京 大学'), 2);
  assert.equal(c.bigrams.get('学生 北京'), 0, 'the full stop ends the chain');
  // N = 8: PMI 的学生 log2 8, 大学的 and 大学在 log2 4, 北京大学 and 在北京 log2 8/3
  const built = buildLanguageMetadata({ language: 'zh', ngrams: c, caps: { minPmi: 1.5, unigramShare: 0 } });
  assert.deepEqual(built.entries.slice(100), ['大学在', '大学的', '的学生']);
  const ja = intlSegmenter('ja');
  const cj = await countWikiText([write(dir, 'jawiki.txt', '東京タワーは東京にあります。東京タワーは赤い。\n')], 'ja', ja);
  assert.equal(cj.bigrams.get('東京タワー は'), 2);
  const builtJa = buildLanguageMetadata({ language: 'ja', ngrams: cj, caps: { minPmi: 0, unigramShare: 0 } });
  assert.ok(builtJa.entries.includes('東京タワーは'), 'joined without a space');
  assert.ok(!builtJa.entries.some((e) => e.includes(' ')));
  // a spaced language keeps the space
  const fr = newNgramCounts();
  countTokens(simpleTokens('tour eiffel tour eiffel'), fr, 'fr');
  assert.ok(buildLanguageMetadata({ language: 'fr', ngrams: fr, caps: { minPmi: 0 } }).entries.includes('tour eiffel'));
});

test('titles from page-view dumps: the language’s editions, `_` → space, no namespaces, views summed, ⌊0.76 × titles⌋ kept', async () => {
  assert.equal(editionOfDomain('fr.m'), 'fr');
  assert.equal(editionOfDomain('fr.b'), 'fr');
  assert.equal(editionOfDomain('zh-yue.m'), 'zh_yue');
  const dir = tempDir();
  const views = write(
    dir,
    'pageviews-20240101-000000',
    ['fr Paris 10 0', 'fr.m Paris 5 0', 'fr Tour_Eiffel 8 0', 'fr.b Livre 3 0', 'fr Catégorie:Villes 100 0', 'de Berlin 50 0', 'fr Lyon 0 0', '"" x 1 0', 'fr Nice 2', 'fr Marseille 4 0', ''].join(
      '\n',
    ),
  );
  const titles = await titleViewsFromPageviews([views], 'fr');
  assert.deepEqual(Object.fromEntries(titles), { Paris: 15, 'Tour Eiffel': 8, Livre: 3, Marseille: 4 });
  const built = buildLanguageMetadata({ language: 'fr', titleViews: titles });
  assert.deepEqual(built.entries.slice(100), ['Marseille', 'Paris', 'Tour Eiffel'], '⌊0.76 × 4⌋ = 3, by views');
});

test('build-metadata --language fr from OMW, a Wikipedia text dump and page views; zh with a user segmenter module', () => {
  const dir = tempDir();
  write(dir, 'wn-data-fra.tab', OMW_FRA);
  write(dir, 'frwiki.txt', '<doc id="1" title="Chat">\nLe chat et le chien. Le chat dort. Le chien dort. Le tour Eiffel.\n</doc>\n');
  write(dir, 'pageviews', 'fr Chat 30 0\nfr Chien 20 0\nfr.m Chat 1 0\nfr Fichier:Chat.jpg 9 0\n');
  const r = thresher(['metaclip', 'build-metadata', '--language', 'fr', '--omw', 'wn-data-fra.tab', '--wiki-text', 'frwiki.txt', '--pageviews', 'pageviews', '--min-pmi', '0', '-o', 'fr.json'], dir);
  assert.equal(r.status, 0, r.stderr);
  const fr = JSON.parse(readFileSync(path.join(dir, 'fr.json'), 'utf8')) as string[];
  // unigrams: Le 4, chat 2, chien 2, dort 2, et, le, tour, Eiffel: 8 distinct → cap 0
  // bigrams (16 tokens): all 9 distinct pairs have PMI > 0, none is an entry yet, cap 9
  // titles: Chat 31, Chien 20 → cap ⌊1.52⌋ = 1
  assert.deepEqual(fr.slice(0, 100), NUMBERS);
  assert.deepEqual(fr.slice(100, 105), ["aujourd'hui", 'chat', 'chien', 'chien de garde', 'matou']);
  assert.deepEqual(fr.slice(105), ['Le chat', 'Le chien', 'Le tour', 'chat dort', 'chat et', 'chien dort', 'et le', 'le chien', 'tour Eiffel', 'Chat']);
  assert.match(r.stdout, /fr: 115 entries → fr\.json \(numbers 100, wordnet 5, unigrams 0\/0, bigrams 9\/9, titles 1\/1\)/);

  write(dir, 'seg.mjs', 'export function createSegmenter(language) { return { segment: (text) => [...text] }; }\n');
  write(dir, 'zhwiki.txt', '北京大学\n');
  const z = thresher(['metaclip', 'build-metadata', '--language', 'zh', '--wiki-text', 'zhwiki.txt', '--segmenter', './seg.mjs', '--min-pmi', '0', '-o', 'zh.json'], dir);
  assert.equal(z.status, 0, z.stderr);
  assert.deepEqual((JSON.parse(readFileSync(path.join(dir, 'zh.json'), 'utf8')) as string[]).slice(100), ['京大', '北京', '大学'], 'characters from the module, bigrams joined');
  const bad = thresher(['metaclip', 'build-metadata', '--language', 'zh', '--wiki-text', 'zhwiki.txt', '--segmenter', './nope.mjs', '-o', 'x.json'], dir);
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /--segmenter \.\/nope\.mjs: cannot load/);
  const none = thresher(['metaclip', 'build-metadata', '--language', 'fr', '-o', 'x.json'], dir);
  assert.match(none.stderr, /--language fr: give at least one source/);
});
