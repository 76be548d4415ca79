import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CLIP_PATTERN, forEachWord } from '../../../src/models/clip/pretokenize.js';

function words(text: string): string[] {
  const out: string[] = [];
  forEachWord(text, (w) => out.push(w));
  return out;
}

const byPattern = (text: string) => Array.from(text.matchAll(CLIP_PATTERN), (m) => m[0]);

test('the ASCII scanner finds the words the pattern finds (seeded random texts of tricky pieces)', () => {
  const pieces = [
    "'s",
    "'t",
    "'re",
    "'ve",
    "'m",
    "'ll",
    "'d",
    "'",
    "''",
    '<',
    '<|',
    '<|startoftext|>',
    '<|endoftext|>',
    '<|startoftext',
    '|>',
    '&',
    ' ',
    '  ',
    '\x00',
    '\x1b',
    '\x7f',
    'dog',
    'a',
    'i',
    '123',
    '4.5',
    '!!',
    '...',
    '--',
    "x'",
    "'x",
    'https://x.com/a?b=1',
    '#tag',
    'e-mail',
    "'r",
    "'v",
    "'l",
  ];
  let seed = 12345;
  const rand = (n: number) => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return (seed >>> 8) % n;
  };
  for (let k = 0; k < 5000; k++) {
    let text = '';
    for (let j = rand(15); j > 0; j--) text += pieces[rand(pieces.length)];
    assert.deepEqual(words(text), byPattern(text), JSON.stringify(text));
  }
});

test('words: contractions, special tokens, runs', () => {
  assert.deepEqual(words("he's <|startoftext|>ok'll 3.14!!"), ['he', "'s", '<|startoftext|>', 'ok', "'ll", '3', '.', '1', '4', '!!']);
  assert.deepEqual(words("'x <|start"), ["'", 'x', '<|', 'start']);
  // non-ASCII texts take the pattern
  assert.deepEqual(words("café it'ſ"), ['café', 'it', "'ſ"]);
});
