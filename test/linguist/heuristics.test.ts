import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RawHeuristics } from '../../src/linguist/data.js';
import { clipLongLines, HEURISTIC_LINE, HEURISTIC_WINDOW, Heuristics, linguistHeuristics } from '../../src/linguist/heuristics.js';
import { languageTable } from '../../src/linguist/table.js';

const decide = (name: string, text: string) => linguistHeuristics().forName(name)?.decide(text);

test("Linguist's heuristics.yml: every entry loads and names only languages of the table", () => {
  const entries = linguistHeuristics().entries();
  assert.ok(entries.length > 100, `entries: ${entries.length}`);
  const table = languageTable();
  for (const e of entries) {
    for (const l of e.languages) assert.ok(table.byName.has(l), `${e.extensions.join(',')}: ${l}`);
    assert.doesNotThrow(() => e.decide(''), e.extensions.join(','));
  }
});

test('Linguist rules decide .h, .pl, .m, .ts, .inc by content', () => {
  assert.deepEqual(decide('a.h', '#import <Foundation/Foundation.h>\n@interface A : NSObject\n@end\n'), ['Objective-C']);
  assert.deepEqual(decide('a.h', '#include <vector>\nnamespace x {\nclass A {};\n}\n'), ['C++']);
  assert.deepEqual(decide('a.h', '#include <stdio.h>\nint f(void);\n'), ['C']);
  assert.deepEqual(decide('a.pl', 'parent(tom, bob).\nanc(X, Y) :- parent(X, Y).\n'), ['Prolog']);
  assert.deepEqual(decide('a.pl', 'use strict;\nmy $x = 1;\n'), ['Perl']);
  assert.deepEqual(decide('a.pl', 'use v6;\nmy $x = 1;\nsay $x;\n'), ['Raku']);
  assert.deepEqual(decide('a.m', '% comment\nx = zeros(3);\n'), ['MATLAB']);
  assert.deepEqual(decide('a.M', ':- module foo.\n'), ['Mercury'], 'extensions match case-insensitively');
  assert.deepEqual(decide('a.ts', '<?xml version="1.0"?>\n<!DOCTYPE TS>\n<TS version="2.1"></TS>\n'), ['XML']);
  assert.deepEqual(decide('a.ts', 'export const x = 1;\n'), ['TypeScript']);
  assert.deepEqual(decide('a.inc', '<?php\necho 1;\n'), ['PHP']);
  assert.equal(linguistHeuristics().forName('a.py'), undefined);
});

test("rule semantics: Linguist's precedence (and, pattern, negative_pattern, named_pattern), first rule wins", () => {
  const data: RawHeuristics = {
    named_patterns: { bang: ['^!', '^\\?'] },
    disambiguations: [
      {
        extensions: ['.x'],
        rules: [
          { language: 'A', and: [{ pattern: 'alpha' }, { negative_pattern: 'beta' }] },
          { language: 'B', pattern: 'gamma', negative_pattern: 'gamma' },
          { language: ['C', 'D'], named_pattern: 'bang' },
          { language: 'E', negative_pattern: 'delta' },
        ],
      },
      { extensions: ['.y.x', '.y'], rules: [{ language: 'F' }] },
    ],
  };
  const h = new Heuristics(data);
  const x = h.forName('f.x')!;
  assert.deepEqual(x.decide('alpha'), ['A']);
  assert.deepEqual(x.decide('alpha beta gamma'), ['B'], 'a top-level pattern wins over the negative_pattern beside it');
  assert.deepEqual(x.decide('?'), ['C', 'D']);
  assert.deepEqual(x.decide('alpha beta'), ['E']);
  assert.equal(x.decide('alpha beta delta'), undefined);
  // The first entry in file order that matches the name applies: `.x` comes before `.y.x`.
  assert.equal(h.forName('f.y.x')!.index, 0);
  assert.equal(h.forName('f.y')!.index, 1);
  // Only the first 50 KiB are looked at.
  assert.deepEqual(x.decide(' '.repeat(HEURISTIC_WINDOW) + 'alpha'), ['E']);
});

test('long lines are cut before the rules run, so no rule backtracks for seconds', () => {
  assert.equal(clipLongLines('abcdef\nab\nabcdefgh', 3), 'abc\nab\nabc');
  const short = 'ab\ncd';
  assert.equal(clipLongLines(short, 3), short);
  // Text named .d that is neither D, DTrace nor a Makefile: Linguist's Makefile rule for `.d`
  // backtracks on it for about 25 s uncut (12,000 characters on one line, measured on Node 20).
  const oneLine = '/a: b\\n'.repeat(2_000);
  const t0 = performance.now();
  assert.equal(linguistHeuristics().forName('x.d')!.decide(oneLine), undefined);
  assert.ok(performance.now() - t0 < 1_000, `${(performance.now() - t0).toFixed(0)} ms`);
  assert.ok(HEURISTIC_LINE >= 200, 'longer than the lines of hand-written code');
});
