import assert from 'node:assert/strict';
import { test } from 'node:test';
import { splitHeldOut } from '../../bench/accuracy/_held-out.js';

const where = 'bench/results/held-out/accuracy.x.json';

/** The value at a dotted path, undefined when a step is missing. */
function at(doc: Record<string, unknown>, dotted: string): unknown {
  let node: unknown = doc;
  for (const step of dotted.split('.')) node = node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[step] : undefined;
  return node;
}

test('held-out failure lists leave the visible results, tuning failures stay', () => {
  const doc = {
    license: {
      single: { held_out: { cases: 3, correct: 1, failures: [{ file: 'a' }, { file: 'b' }] }, tuning: { cases: 2, failures: [{ file: 'c' }] } },
      near: { held_out: { missed: [['p', 'q']], false_candidates: [] } },
    },
    secrets: { plugin: { held_out: { recall: 0.9 }, held_out_failures: [{ text: 'k' }] } },
    language: { heldout_failures: [{ file: 'l' }] },
  };
  const { visible, heldOut, moved } = splitHeldOut(doc, where);
  assert.equal(moved, 5);
  const text = JSON.stringify(visible);
  for (const secret of ['"a"', '"b"', '"k"', '"l"', '"p"']) assert.ok(!text.includes(secret), `${secret} left in the visible results`);
  assert.deepEqual(at(visible, 'license.single.tuning.failures'), [{ file: 'c' }]);
  assert.equal(at(visible, 'license.single.held_out.failures'), `2 held-out entries: see ${where}`);
  assert.equal(at(visible, 'license.single.held_out.correct'), 1);
  assert.deepEqual(at(visible, 'license.near.held_out.false_candidates'), []);
  assert.deepEqual(at(heldOut, 'license.single.held_out.failures'), [{ file: 'a' }, { file: 'b' }]);
  assert.deepEqual(at(heldOut, 'secrets.plugin.held_out_failures'), [{ text: 'k' }]);
  assert.equal(at(heldOut, 'license.single.tuning'), undefined);
});

test('a list mixing both halves keeps its tuning entries and moves the held-out ones', () => {
  const doc = {
    npm: {
      misses: [
        { name: 'x', split: 'tuning' },
        { name: 'y', split: 'held_out' },
      ],
      label_questions: ['z'],
    },
  };
  const { visible, heldOut, moved } = splitHeldOut(doc, where);
  assert.equal(moved, 1);
  assert.deepEqual(at(visible, 'npm.misses'), [{ name: 'x', split: 'tuning' }]);
  assert.equal(at(visible, 'npm.misses_held_out'), `1 held-out entries: see ${where}`);
  assert.deepEqual(at(heldOut, 'npm.misses'), [{ name: 'y', split: 'held_out' }]);
  assert.deepEqual(at(visible, 'npm.label_questions'), ['z']);
});
