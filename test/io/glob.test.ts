import { test } from 'node:test';
import assert from 'node:assert/strict';
import { globToRegExp, PatternSet } from '../../src/io/glob.js';
import { contiguousRange } from '../../src/io/order.js';

test('glob: **, *, ?, classes, alternatives; bare patterns match the file name', () => {
  const m = (p: string, s: string) => globToRegExp(p).test(s);
  assert.ok(m('**/*.ts', 'a.ts'));
  assert.ok(m('**/*.ts', 'a/b/c.ts'));
  assert.ok(!m('*.ts', 'a/b.ts'));
  assert.ok(m('src/**', 'src/a/b'));
  assert.ok(m('a?c', 'abc') && !m('a?c', 'a/c'));
  assert.ok(m('[!x]y', 'ay') && !m('[!x]y', 'xy'));
  assert.ok(m('*.{js,mjs}', 'x.mjs') && !m('*.{js,mjs}', 'x.ts'));
  assert.ok(m('a.b', 'a.b') && !m('a.b', 'axb'));
  const set = new PatternSet(['*.min.js', 'vendor/**']);
  assert.ok(set.matches('lib/x.min.js'));
  assert.ok(set.matches('vendor/a/b.c'));
  assert.ok(!set.matches('lib/x.js'));
  assert.ok(new PatternSet().empty);
});

test('contiguousRange: covers every item once, in order, balanced by weight', () => {
  const w = [5, 1, 1, 1, 9, 0, 0, 3, 2, 2];
  for (const world of [1, 2, 3, 4, 7, 20]) {
    let next = 0;
    for (let r = 0; r < world; r++) {
      const [a, b] = contiguousRange(w, r, world);
      if (a === b) continue;
      assert.equal(a, next, `world ${world} rank ${r}`);
      next = b;
    }
    assert.equal(next, w.length);
  }
  assert.deepEqual(contiguousRange([0, 0, 0, 0], 1, 2), [2, 4]);
  assert.throws(() => contiguousRange(w, 2, 2), RangeError);
});
