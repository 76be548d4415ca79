import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { compactMergesFile, loadClipMerges, SHIPPED_MERGES } from '../../../src/models/clip/merges-file.js';
import { ClipTokenizer } from '../../../src/models/clip/tokenizer.js';
import { tokenStrings, VOCAB_SIZE } from '../../../src/models/clip/vocab.js';
import { needsShared, sharedPath } from '../../helpers/shared.js';

interface ReferenceRow {
  source: string;
  id: number;
  text: string;
  ids: number[];
}

function referenceRows(): ReferenceRow[] {
  const text = gunzipSync(readFileSync(sharedPath('data', 'clip', 'reference', 'clip-tokenizer-reference.jsonl.gz'))).toString('utf8');
  return text
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => JSON.parse(l) as ReferenceRow);
}

test('reproduces every id list of openai/CLIP SimpleTokenizer (15,000 COCO captions and alt-texts)', needsShared, () => {
  const rows = referenceRows();
  assert.equal(rows.length, 15_000);
  const tokenizer = new ClipTokenizer(loadClipMerges());
  const mismatches: string[] = [];
  for (const row of rows) {
    const got = tokenizer.tokenize(row.text);
    if (got.length !== row.ids.length || got.some((id, i) => id !== row.ids[i])) mismatches.push(`${row.source} ${row.id}: ${JSON.stringify(row.text)} got ${got.join(',')} want ${row.ids.join(',')}`);
  }
  assert.deepEqual(mismatches.slice(0, 10), []);
  assert.equal(mismatches.length, 0);
  // warm: the cached words give the same lists
  for (const row of rows.slice(0, 2000)) assert.deepEqual(tokenizer.tokenize(row.text), row.ids);
});

test('the shipped merges are exactly what the generator makes from openai/CLIP’s BPE file', needsShared, () => {
  const fromShared = compactMergesFile(readFileSync(sharedPath('data', 'clip', 'bpe_simple_vocab_16e6.txt.gz')));
  assert.deepEqual(gunzipSync(fromShared), gunzipSync(readFileSync(SHIPPED_MERGES)));
});

test('vocabulary: 49,408 distinct token strings as SimpleTokenizer builds them', () => {
  const strings = tokenStrings(loadClipMerges());
  assert.equal(strings.length, VOCAB_SIZE);
  assert.equal(new Set(strings).size, VOCAB_SIZE);
  assert.equal(strings[0], '!');
  assert.equal(strings[256], '!</w>');
  assert.equal(strings[49406], '<|startoftext|>');
  assert.equal(strings[49407], '<|endoftext|>');
  // the first merge of the file is "i n"; "the</w>" is a common word
  assert.equal(strings[512], 'in');
  assert.equal(strings[new ClipTokenizer(loadClipMerges()).encode('the')[0]], 'the</w>');
});
