import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ByteLevelBpeTokenizer, toJsPattern, type TokenizerJson } from '../../../src/models/text/bpe.js';
import { WordPieceTokenizer } from '../../../src/models/text/wordpiece.js';
import { QWEN2_PATTERN, tinyBpeTokenizerJson } from '../../../src/models/text/tiny.js';

const VOCAB = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', 'un', '##aff', '##able', 'hello', ',', '!', 'cafe', '东', '京', 'runn', '##ing', 'straße'];
const wp = (opts = {}) => WordPieceTokenizer.fromVocabText(VOCAB.join('\n') + '\n', opts);
const pieces = (t: WordPieceTokenizer, text: string) => {
  const e = t.encode(text);
  return e.ids.map((id, k) => `${VOCAB[id]}@${e.starts[k]}-${e.ends[k]}`);
};

test('WordPiece: lower-casing, ## continuation, punctuation split, offsets into the original text', () => {
  assert.deepEqual(pieces(wp({ lowercase: true }), 'UNaffable, Hello!'), ['[CLS]@0-0', 'un@0-2', '##aff@2-5', '##able@5-9', ',@9-10', 'hello@11-16', '!@16-17', '[SEP]@0-0']);
  assert.deepEqual(pieces(wp({ lowercase: true }), '  running'), ['[CLS]@0-0', 'runn@2-6', '##ing@6-9', '[SEP]@0-0']);
});

test('WordPiece: accents stripped with lower-casing, kept without; cased models keep case', () => {
  assert.deepEqual(pieces(wp({ lowercase: true }), 'Café'), ['[CLS]@0-0', 'cafe@0-4', '[SEP]@0-0']);
  assert.deepEqual(pieces(wp({ lowercase: true }), 'Cafe\u0301'), ['[CLS]@0-0', 'cafe@0-4', '[SEP]@0-0']); // the stripped combining accent maps to nothing
  assert.deepEqual(pieces(wp({ lowercase: true, stripAccents: false }), 'Café'), ['[CLS]@0-0', '[UNK]@0-4', '[SEP]@0-0']);
  assert.deepEqual(pieces(wp(), 'Hello hello'), ['[CLS]@0-0', '[UNK]@0-5', 'hello@6-11', '[SEP]@0-0']);
});

test('WordPiece: CJK ideographs split, control characters dropped, unknown words whole, truncation keeps [SEP]', () => {
  assert.deepEqual(pieces(wp(), '东京'), ['[CLS]@0-0', '东@0-1', '京@1-2', '[SEP]@0-0']);
  assert.deepEqual(pieces(wp(), '\u0000hello\u200b'), ['[CLS]@0-0', 'hello@1-6', '[SEP]@0-0']);
  assert.deepEqual(pieces(wp(), 'unxyz'), ['[CLS]@0-0', '[UNK]@0-5', '[SEP]@0-0']);
  const e = wp().encode('hello hello hello hello', 4);
  assert.deepEqual(e.ids, [2, 7, 7, 3]);
  assert.deepEqual(e.wordIds, [-1, 0, 1, -1]);
});

const HAND_BPE: TokenizerJson = {
  model: {
    type: 'BPE',
    vocab: Object.fromEntries(['h', 'e', 'l', 'o', 'Ġ', 'w', 'r', 'd', 'he', 'll', 'hell', 'hello', 'Ġw', 'or', 'Ġwor', "'", 'S', 'I', 'T'].map((t, i) => [t, i])),
    merges: ['h e', 'l l', 'he ll', 'hell o', 'Ġ w', 'o r', 'Ġw or'],
  },
  added_tokens: [{ id: 19, content: '<|endoftext|>', special: true }],
};

test('byte-level BPE: merges by rank, GPT-2 pre-tokenizer, offsets', () => {
  const t = ByteLevelBpeTokenizer.fromJson(HAND_BPE);
  const e = t.encode('hello world');
  assert.deepEqual(e.ids, [11, 14, 2, 7]); // hello, Ġwor, l, d
  assert.deepEqual(
    e.starts.map((s, k) => [s, e.ends[k]]),
    [
      [0, 5],
      [5, 9],
      [9, 10],
      [10, 11],
    ],
  );
  // added tokens are cut out whole, even inside a word
  assert.deepEqual(t.encode('hello<|endoftext|>hello').ids, [11, 19, 11]);
});

test('byte-level BPE: Qwen2 pattern with (?i:) groups, NFC, template post-processor, multi-byte characters', () => {
  const re = toJsPattern(QWEN2_PATTERN);
  assert.deepEqual("IT'S 12 ok\n\n".match(re), ['IT', "'S", ' ', '1', '2', ' ok', '\n\n']);
  const json = tinyBpeTokenizerJson(['hello', 'world']) as unknown as TokenizerJson;
  const t = ByteLevelBpeTokenizer.fromJson(json);
  const vocab = json.model.vocab;
  const e = t.encode('hello world');
  assert.deepEqual(e.ids, [vocab['hello'], vocab['Ġworld'], json.added_tokens![0].id]); // <|endoftext|> appended
  assert.equal(t.padId, json.added_tokens![0].id);
  const accent = t.encode('e\u0301'); // NFC: é, two UTF-8 bytes → two byte symbols of one character
  assert.deepEqual(accent.ids.slice(0, 2), [vocab['Ã'], vocab['©']]);
  assert.deepEqual([accent.starts[1], accent.ends[1]], [0, 1]);
});
