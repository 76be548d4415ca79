import assert from 'node:assert/strict';
import { test } from 'node:test';
import { classifyExpression, isPermissiveId } from '../../src/licenses/classify.js';
import { conjunction, expressionKey, normalizeExpression } from '../../src/licenses/expression.js';
import { noticeExpression } from '../../src/licenses/choices.js';
import { findNotices } from '../../src/licenses/notices.js';
import { normalizeLicenseText } from '../../src/licenses/normalize.js';
import { detectText, spdxIdentifiers } from '../../src/licenses/detect.js';

test('expressions: OR / AND / WITH kept, deprecated ids upgraded, misspellings corrected', () => {
  assert.equal(normalizeExpression('MIT OR GPL-3.0-only'), 'MIT OR GPL-3.0-only');
  assert.equal(normalizeExpression('(MIT AND Zlib) OR Apache-2.0'), '(MIT AND Zlib) OR Apache-2.0');
  assert.equal(normalizeExpression('GPL-2.0+ WITH Classpath-exception-2.0'), 'GPL-2.0-or-later WITH Classpath-exception-2.0');
  assert.equal(normalizeExpression('GPL-2.0'), 'GPL-2.0-only');
  assert.equal(normalizeExpression('LGPL-2.1+'), 'LGPL-2.1-or-later');
  assert.equal(normalizeExpression('eCos-2.0'), 'GPL-2.0-or-later WITH eCos-exception-2.0');
  assert.equal(normalizeExpression('Apache 2'), 'Apache-2.0');
  assert.equal(normalizeExpression('Apache License, Version 2.0'), 'Apache-2.0');
  assert.equal(normalizeExpression('mit'), 'MIT');
  assert.equal(normalizeExpression('(GPL-2.0+  OR Linux-Openib)'), 'GPL-2.0-or-later OR Linux-OpenIB');
  assert.equal(normalizeExpression('MIT/Apache-2.0'), 'MIT OR Apache-2.0');
  // ids side by side: U-Boot's convention for a file under any of them
  assert.equal(normalizeExpression('GPL-2.0+ BSD-2-Clause'), 'GPL-2.0-or-later OR BSD-2-Clause');
  // npm's UNLICENSED is "no licence granted", not the Unlicense (which spdx-correct would make it)
  assert.equal(normalizeExpression('UNLICENSED'), null);
  assert.equal(normalizeExpression('SEE LICENSE IN LICENSE.txt'), null);
  assert.equal(conjunction(['MIT', 'MIT OR Apache-2.0', 'MIT']), 'MIT AND (MIT OR Apache-2.0)');
  assert.equal(expressionKey('Zlib AND (MIT OR ISC)'), expressionKey('(ISC OR MIT) AND Zlib AND Zlib'));
});

test('classes: an OR is permissive when one option is, an AND when all are, WITH follows the licence', () => {
  assert.equal(classifyExpression('MIT'), 'permissive');
  assert.equal(classifyExpression('MIT OR GPL-3.0-only'), 'permissive');
  assert.equal(classifyExpression('MIT AND GPL-2.0-only'), 'non_permissive');
  assert.equal(classifyExpression('(MIT OR GPL-2.0-only) AND Apache-2.0'), 'permissive');
  assert.equal(classifyExpression('GPL-2.0-only WITH Classpath-exception-2.0'), 'non_permissive');
  assert.equal(classifyExpression('LicenseRef-scancode-proprietary'), 'non_permissive');
  assert.equal(classifyExpression(null), 'no_license');
  for (const id of ['Apache-2.0', 'BSD-3-Clause', 'ISC', '0BSD', 'CC0-1.0', 'Unlicense', 'CC-BY-4.0', 'Zlib']) assert.ok(isPermissiveId(id), id);
  for (const id of ['GPL-3.0-only', 'MPL-2.0', 'LGPL-2.1-only', 'AGPL-3.0-only', 'CC-BY-SA-4.0', 'CC-BY-NC-4.0']) assert.ok(!isPermissiveId(id), id);
});

const notice = (s: string) => {
  const text = normalizeLicenseText(s);
  return noticeExpression(text, findNotices(text));
};

test('notices: GNU versions and "or later", Apache, MIT, dual licences', () => {
  assert.equal(
    notice('under the terms of the GNU General Public License as published by the Free Software Foundation; either version 2 of the License, or (at your option) any later version.'),
    'GPL-2.0-or-later',
  );
  assert.equal(notice('under the terms of the GNU General Public License version 2 as published by the FSF. You should have received a copy of the GNU General Public License'), 'GPL-2.0-only');
  assert.equal(notice('the GNU Lesser General Public License (LGPL) version 2.1 which accompanies this distribution'), 'LGPL-2.1-only');
  assert.equal(notice('GNU Affero General Public License, version 3 or any later version'), 'AGPL-3.0-or-later');
  assert.equal(notice('Licensed under the Apache License, Version 2.0 (the "License")'), 'Apache-2.0');
  assert.equal(notice('Released under the MIT license.'), 'MIT');
  assert.equal(notice('Dual licensed under the MIT or Apache 2.0 licenses, at your option.'), 'MIT OR Apache-2.0');
  assert.equal(notice('Dual licensed under the MIT and GPL licenses.'), 'MIT OR GPL-1.0-or-later');
  assert.equal(notice('This file is under the MIT license; the docs are under the Apache License 2.0.'), 'MIT AND Apache-2.0');
  assert.equal(notice('Nothing to see here.'), null);
});

test('SPDX-License-Identifier lines: comment ends stripped, several lines all apply', () => {
  assert.equal(spdxIdentifiers('/* SPDX-License-Identifier: MIT */\nint x;'), 'MIT');
  assert.equal(spdxIdentifiers('<!-- SPDX-License-Identifier: Apache-2.0 OR MIT -->'), 'Apache-2.0 OR MIT');
  assert.equal(spdxIdentifiers('# SPDX-License-Identifier: GPL-2.0+\n# SPDX-License-Identifier: BSD-3-Clause\n'), 'GPL-2.0-or-later AND BSD-3-Clause');
  assert.equal(spdxIdentifiers('no header here'), null);
  // a licence text with its own "How to Apply" notice is one licence, not two
  assert.equal(detectText('plain words')?.expression, undefined);
});

test('an exception newer than the spdx-exceptions package is kept, not rewritten into another licence', () => {
  // before: spdx-correct turned this into GPL-2.0-only, dropping both the exception and "or later"
  assert.equal(normalizeExpression('GPL-2.0-or-later WITH RRDtool-FLOSS-exception-2.0'), 'GPL-2.0-or-later WITH RRDtool-FLOSS-exception-2.0');
  assert.equal(normalizeExpression('GPL-2.0+ WITH RRDtool-FLOSS-exception-2.0'), 'GPL-2.0-or-later WITH RRDtool-FLOSS-exception-2.0');
  assert.equal(
    normalizeExpression('(MIT OR GPL-2.0 WITH First-exception) AND LGPL-2.1-only WITH Second-exception-1.0'),
    '(MIT OR GPL-2.0-only WITH First-exception) AND LGPL-2.1-only WITH Second-exception-1.0',
  );
  assert.equal(spdxIdentifiers('// SPDX-License-Identifier: GPL-2.0-or-later WITH RRDtool-FLOSS-exception-2.0\n'), 'GPL-2.0-or-later WITH RRDtool-FLOSS-exception-2.0');
  // known exceptions parse as before
  assert.equal(normalizeExpression('GPL-2.0 WITH Classpath-exception-2.0'), 'GPL-2.0-only WITH Classpath-exception-2.0');
});
