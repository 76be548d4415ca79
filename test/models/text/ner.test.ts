import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { NerModel } from '../../../src/models/ner/model.js';
import { aggregateTokens, splitTag } from '../../../src/models/ner/aggregate.js';
import { enumerateSpans, resolveOverlaps } from '../../../src/models/ner/span-marker.js';
import { writeTinySpanMarker, writeTinyTokenClassifier } from '../../../src/models/text/tiny.js';
import { WordPieceTokenizer } from '../../../src/models/text/wordpiece.js';
import { tempDir } from '../../helpers/fixtures.js';

const brief = (spans: { label: string; start: number; end: number; text: string }[]) => spans.map((s) => `${s.label}:${s.text}@${s.start}-${s.end}`);

test('BIO tags: B starts, I continues its type, bare labels continue, E/S read as I/B', () => {
  assert.deepEqual(splitTag('B-PER'), ['B', 'PER']);
  assert.deepEqual(splitTag('I-LOC'), ['I', 'LOC']);
  assert.deepEqual(splitTag('PER'), ['I', 'PER']);
  assert.deepEqual(splitTag('S-ORG'), ['B', 'ORG']);
  assert.deepEqual(splitTag('O'), ['O', '']);
});

test('token classifier (tiny BERT, controlled logits): word-level spans with character offsets, multilingual text', async () => {
  const dir = writeTinyTokenClassifier(path.join(tempDir(), 'ner'), {
    tokenLabels: { john: 'B-PER', smith: 'I-PER', maria: 'B-PER', '##son': 'I-PER', paris: 'B-LOC', berlin: 'B-LOC', acme: 'B-ORG', corp: 'I-ORG', 东: 'B-LOC', 京: 'I-LOC' },
  });
  const model = await NerModel.load(dir);
  assert.equal(model.kind, 'token');
  const texts = ['John Smith visited Paris.', 'Johnson works at ACME Corp in Berlin', 'Maria habite à Paris', '东京是城市', 'hello world', ''];
  const [a, b, c, d, e, f] = await model.recognise(texts);
  assert.deepEqual(brief(a), ['PER:John Smith@0-10', 'LOC:Paris@19-24']);
  // `first`: the word john##son takes its first piece's label (B-PER), the whole word is the span
  assert.deepEqual(brief(b), ['PER:Johnson@0-7', 'ORG:ACME Corp@17-26', 'LOC:Berlin@30-36']);
  assert.deepEqual(brief(c), ['PER:Maria@0-5', 'LOC:Paris@15-20']);
  assert.deepEqual(brief(d), ['LOC:东京@0-2']);
  assert.deepEqual(e, []);
  assert.deepEqual(f, []);
  for (const s of a) assert.ok(s.score > 0.9 && s.score <= 1);
  await model.close();
});

test('aggregation first vs simple vs max on one word with pieces of different labels', () => {
  const tok = WordPieceTokenizer.fromVocabText(['[PAD]', '[UNK]', '[CLS]', '[SEP]', 'john', '##son'].join('\n'));
  const enc = tok.encode('johnson');
  const labels = ['O', 'B-PER', 'I-PER'];
  // [CLS], john → O (weakly), ##son → B-PER (strongly), [SEP]
  const logits = Float32Array.from([0, 0, 0, 1, 0.5, 0, 0, 5, 0, 0, 0, 0]);
  assert.deepEqual(brief(aggregateTokens('johnson', enc, logits, 0, labels, 'first')), []);
  assert.deepEqual(brief(aggregateTokens('johnson', enc, logits, 0, labels, 'max')), ['PER:johnson@0-7']);
  assert.deepEqual(brief(aggregateTokens('johnson', enc, logits, 0, labels, 'simple')), ['PER:son@4-7']);
});

test('SpanMarker (tiny, controlled logits): spans up to the max length, overlaps resolved greedily by score', async () => {
  const dir = writeTinySpanMarker(path.join(tempDir(), 'span'), { startLabels: { john: 'PER', new: 'LOC', paris: 'LOC' }, endLabels: { smith: 'PER', city: 'LOC', paris: 'LOC' }, markerMaxLength: 5 });
  const model = await NerModel.load(dir);
  assert.equal(model.kind, 'span');
  // marker_max_length 5 splits each text's spans into several rows: decoding must put them back together
  const [a, b, c] = await model.recognise(['John Smith visited Paris.', 'hello New York City today', 'the cafe']);
  assert.deepEqual(brief(a), ['PER:John Smith@0-10', 'LOC:Paris@19-24']);
  assert.deepEqual(brief(b), ['LOC:New York City@6-19']);
  assert.deepEqual(c, []);
  await model.close();
});

test('span enumeration and greedy overlap resolution', () => {
  const tok = WordPieceTokenizer.fromVocabText(['[PAD]', '[UNK]', '[CLS]', '[SEP]', 'a', 'b', 'c'].join('\n'));
  const enc = tok.encode('a b c');
  const spans = enumerateSpans(enc, 2);
  assert.deepEqual(
    spans.map((s) => [s.first, s.last]),
    [
      [0, 0],
      [0, 1],
      [1, 1],
      [1, 2],
      [2, 2],
    ],
  );
  const out = resolveOverlaps('a b c', enc, [
    { span: spans[1], label: 'X', score: 0.7 },
    { span: spans[3], label: 'Y', score: 0.9 },
    { span: spans[0], label: 'Z', score: 0.6 },
  ]);
  assert.deepEqual(brief(out), ['Z:a@0-1', 'Y:b c@2-5']);
});
