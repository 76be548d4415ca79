import assert from 'node:assert/strict';
import { test } from 'node:test';
import { detectText } from '../../src/licenses/detect.js';

test('a bare BSD joined to another name under one plural "licenses" is granted with it', () => {
  // written for this test: the plural names both licences of one grant, as "MIT and GPL licenses" does
  const cases: [string, string][] = [
    ['This file is released under the MIT and BSD licenses.', 'MIT AND BSD-3-Clause'],
    ['Copyright 2012 Jane Doe. Dual licensed under the MIT and BSD licences.', 'MIT OR BSD-3-Clause'],
    ['The parser is available under the GPL or BSD licenses.', 'GPL-1.0-or-later OR BSD-3-Clause'],
  ];
  for (const [text, expected] of cases) assert.equal(detectText(text)?.expression, expected, text);
});

test('a BSD licence named beside a granted one as a comparison is no grant', () => {
  const text = 'Copyright 2012 Jane Doe. Released under the MIT license. Unlike the GPL and BSD licenses, it asks for no notice in binaries.';
  assert.equal(detectText(text)?.expression, 'MIT');
});
