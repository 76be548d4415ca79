/**
 * Cases outside the reference set. The expected ids come from running openai/CLIP's
 * SimpleTokenizer algorithm (Python 3.11, `regex` 2026.5.9, ftfy's fix_text as the identity, as
 * the reference) on each text; each case names the rule it pins.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { clipClean, clipNormalize } from '../../../src/models/clip/clean.js';
import { loadClipMerges } from '../../../src/models/clip/merges-file.js';
import { ClipTokenizer } from '../../../src/models/clip/tokenizer.js';
import { EOT, SOT } from '../../../src/models/clip/vocab.js';

const tokenizer = new ClipTokenizer(loadClipMerges());

const cases: [string, string, number[]][] = [
  ['contractions, upper case folded first', "He's here, THEY'RE 'S", [49406, 797, 568, 763, 267, 889, 982, 568, 49407]],
  ["'ſ is the contraction 's under IGNORECASE", "it'ſ ok", [49406, 585, 6, 129, 379, 2481, 49407]],
  ['Python whitespace (U+001C, U+0085) collapses, U+FEFF is not whitespace', 'x\x1cy\x85z\ufeffw', [49406, 343, 344, 345, 171, 119, 379, 342, 49407]],
  ['ideographic and no-break spaces, strip', '  a\u3000\u00a0b  ', [49406, 320, 321, 49407]],
  ['special tokens in the text are the special ids, any case', '<|startoftext|>hi<|ENDOFTEXT|>', [49406, 49406, 1883, 49407, 49407]],
  ['<|ſtartoftext|> is one word, not the special token', '<|ſtartoftext|> x', [49406, 27, 91, 129, 123, 2002, 6659, 18169, 91, 285, 343, 49407]],
  ['letters, digits one by one, number forms', 'naïve café 東京 123 ½ ⅷ', [49406, 1097, 35689, 563, 15304, 48338, 21078, 361, 272, 273, 274, 33613, 158, 227, 371, 49407]],
  ['final sigma when lower-casing', 'Σίσυφος ΟΔΟΣ', [49406, 139, 225, 138, 107, 139, 225, 139, 227, 139, 228, 138, 123, 139, 480, 138, 123, 138, 112, 138, 123, 139, 480, 49407]],
  ['double HTML unescape', '&amp;lt;b&amp;gt; bold', [49406, 283, 321, 285, 8911, 49407]],
  ['astral characters, punctuation runs', 'emoji \u{1f642}\u{1f642} ok!!', [49406, 16327, 32006, 14860, 2481, 748, 49407]],
  ['empty text', '', [49406, 49407]],
  ['every contraction', "don't stop'll'd'm've", [49406, 847, 713, 1691, 1342, 1896, 880, 1200, 49407]],
  ['U+0345 matches no branch of the pattern and is dropped', 'a\u0345b x\u0345', [49406, 320, 321, 343, 49407]],
  ['İ, ǅ, ß and the ﬁ ligature', 'İstanbul ǅ ß ﬁ', [49406, 328, 16384, 11231, 131, 484, 127, 509, 171, 105, 479, 49407]],
];

for (const [rule, text, ids] of cases) {
  test(`tokenize: ${rule}`, () => assert.deepEqual(tokenizer.tokenize(text), ids));
}

test('context length: cut to n tokens, the last one <|endoftext|>; shorter lists untouched', () => {
  const full = tokenizer.tokenize('a photo of a very large brown dog sitting on a red couch');
  assert.equal(full.length, 15);
  const cut = tokenizer.tokenize('a photo of a very large brown dog sitting on a red couch', 8);
  assert.deepEqual(cut, [...full.slice(0, 7), EOT]);
  assert.deepEqual(tokenizer.tokenize('a photo of a very large brown dog sitting on a red couch', 15), full);
  assert.deepEqual(tokenizer.tokenize('a photo of a very large brown dog sitting on a red couch', 77), full);
  assert.deepEqual(tokenizer.tokenize('', 2), [SOT, EOT]);
});

test('a fresh cache and a warm one give the same ids', () => {
  const texts = ['Two dogs play in the snow.', 'two DOGS play', 'Snowboarding!!! 2024', 'ÜBER große Straße'];
  const warm = texts.map((t) => tokenizer.tokenize(t));
  const cold = new ClipTokenizer(loadClipMerges());
  assert.deepEqual(
    texts.map((t) => cold.tokenize(t)),
    warm,
  );
  cold.clearCache();
  assert.equal(cold.cacheSize, 2); // the two special tokens, as SimpleTokenizer seeds its cache
  assert.deepEqual(cold.tokenize(texts[0]), warm[0]);
});

test('long words and repeated symbols merge left to right as SimpleTokenizer does', () => {
  const long = 'a'.repeat(300);
  const ids = tokenizer.encode(long);
  assert.ok(ids.length > 1 && ids.length < 300);
  assert.deepEqual(tokenizer.encode(long), ids);
  assert.deepEqual(tokenizer.encode('aaa'), tokenizer.encode('aaa'));
});

test('clean: Python whitespace rules and strip', () => {
  assert.equal(clipClean(' \t a \n\n b \u2028'), 'a b');
  assert.equal(clipClean('a\ufeff b'), 'a\ufeff b');
  assert.equal(clipClean('&amp;amp; x'), '& x');
  assert.equal(clipClean('&#32;a&#10;b&#9;'), 'a b');
  assert.equal(clipNormalize('ΟΔΟΣ İ'), 'οδος i\u0307');
});
