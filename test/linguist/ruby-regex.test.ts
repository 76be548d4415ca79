import assert from 'node:assert/strict';
import { test } from 'node:test';
import { generatedPathPatterns, heuristicsData, vendorPatterns } from '../../src/linguist/data.js';
import { convertRubyRegex, fasterTest, rubyRegex, rubyTest } from '../../src/linguist/ruby-regex.js';

test('Ruby anchors: ^ and $ are line anchors, \\A \\z \\Z the whole text', () => {
  assert.ok(rubyRegex('^foo$').test('x\nfoo\ny'));
  assert.ok(!rubyRegex('\\Afoo').test('x\nfoo'));
  assert.ok(rubyRegex('\\Afoo').test('foo\nx'));
  assert.ok(rubyRegex('foo\\z').test('x\nfoo'));
  assert.ok(!rubyRegex('foo\\z').test('foo\n'));
  assert.ok(rubyRegex('foo\\Z').test('foo\n'));
  assert.ok(rubyRegex('\\A\\z').test(''));
  assert.ok(!rubyRegex('\\A\\z').test('x'));
});

test('flags: leading (?i) (?m) (?x), case-insensitive groups, (?i) in the middle', () => {
  assert.ok(rubyRegex('(?i)^abc').test('ABC'));
  assert.ok(rubyRegex('(?m)a.b').test('a\nb'), 'Ruby m = dot matches newline');
  assert.ok(!rubyRegex('a.b').test('a\nb'));
  assert.ok(rubyRegex('(?im)^\\s*btst\\b').test('  BTST d0'));
  const group = rubyRegex('(?i:abc[d-f])X');
  assert.ok(group.test('AbCEX'));
  assert.ok(!group.test('abceX'.replace('X', 'x')), 'outside the group case matters');
  assert.deepEqual(convertRubyRegex('(?i:a[b-c])'), { source: '(?:[aA][b-cB-C])', flags: 'm' });
  assert.ok(rubyRegex('^(?i)[^"m]*mov').test('  MOV ax'));
  assert.ok(rubyRegex('(?xi) ^ a \\s b  # comment\n c').test('A bC'));
});

test('possessive quantifiers, atomic groups, \\h and \\g<name>', () => {
  assert.ok(rubyRegex('a*+b').test('aaab'));
  assert.ok(rubyRegex('(?>ab|a)c').test('abc'));
  assert.ok(rubyRegex('^\\h{4}$').test('beef'));
  assert.ok(!rubyRegex('^\\h{4}$').test('bxef'));
  assert.ok(rubyRegex('^[\\h-]+$').test('de-ad'));
  const call = rubyRegex('^(?<v>[ab]+)(?:;\\g<v>)*$');
  assert.ok(call.test('ab;ba;a'));
  assert.ok(!call.test('ab;c'));
  assert.ok(rubyRegex('\\+\\+').test('++'), 'escaped + is not a possessive marker');
  assert.ok(rubyRegex('a\\++b').test('a++b'), 'a quantifier on an escaped +');
  assert.equal(convertRubyRegex('\\\\++').source, '\\\\+', 'an escaped backslash, then a possessive +');
});

test("every pattern of Linguist's heuristics.yml, vendor.yml and generated.rb paths compiles", () => {
  const h = heuristicsData();
  const patterns: string[] = [];
  const add = (p: string | string[] | undefined) => {
    if (p !== undefined) patterns.push(...(Array.isArray(p) ? p : [p]));
  };
  for (const d of h.disambiguations) {
    for (const r of d.rules) {
      add(r.pattern);
      add(r.negative_pattern);
      for (const c of r.and ?? []) {
        add(c.pattern);
        add(c.negative_pattern);
      }
    }
  }
  for (const p of Object.values(h.named_patterns)) add(p);
  assert.ok(patterns.length > 300, `heuristics patterns: ${patterns.length}`);
  for (const p of [...patterns, ...vendorPatterns(), ...generatedPathPatterns()]) assert.doesNotThrow(() => rubyRegex(p), p);
});

test('fasterTest: ^[^X]* runs stay on one line, with the same yes/no on every text', () => {
  assert.equal(fasterTest('^[^#]*:-'), '^[^#\\n]*:-');
  assert.equal(fasterTest('^[^#]+:-'), '(?:^[^#\\n]+:-|^[^#\\n]*\\n:-)');
  assert.equal(fasterTest('^[^#]*:-|x'), '^[^#]*:-|x', 'left alone with a top-level alternation');
  assert.equal(fasterTest('^abc'), '^abc');
  // Differential: every text over a small alphabet up to 7 characters.
  const alphabet = ['a', '#', '\n', ':', '-'];
  const texts = [''];
  for (let len = 1; len <= 7; len++) for (const t of texts.filter((x) => x.length === len - 1)) for (const c of alphabet) texts.push(t + c);
  for (const p of ['^[^#]*:-', '^[^#]+:-', '^[^#:]+-', '^[^a]*#']) {
    const slow = rubyRegex(p);
    const fast = rubyTest(p);
    for (const t of texts) assert.equal(fast.test(t), slow.test(t), `${p} on ${JSON.stringify(t)}`);
  }
  // The point of it: no quadratic rescans on a long text without a match.
  const text = 'x = 1\n'.repeat(8_000);
  const t0 = performance.now();
  assert.equal(rubyTest('^[^#]*:-').test(text), false);
  assert.ok(performance.now() - t0 < 200, 'linear time');
});
