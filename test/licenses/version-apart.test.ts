import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import { detectText } from '../../src/licenses/detect.js';
import { expressionKey } from '../../src/licenses/expression.js';

const require = createRequire(import.meta.url);
const spdx = require('spdx-license-list/full') as Record<string, { licenseText: string }>;

/** Whether the detector reads `text` as `expected` (operand order aside). */
function reads(text: string, expected: string | null): void {
  assert.equal(expressionKey(detectText(text)?.expression ?? null), expressionKey(expected), text.slice(0, 300));
}

// written for the test: a BSD-style text that offers the GPL instead, its version named after the name
const OFFER =
  'ALTERNATIVELY, this software may be distributed under the terms of the\n' +
  'GNU General Public License, in which case the provisions of the GPL2 are\n' +
  'required INSTEAD OF the above restrictions.\n';

test('a GNU name granted, its version a few words on: the grant is the versioned licence', () => {
  reads(OFFER, 'GPL-2.0-only');
});

test("an offer of the GPL inside a BSD text, its version after the name, is a choice beside the text's licence", () => {
  const bsd = spdx['BSD-3-Clause'].licenseText;
  const at = bsd.indexOf('THIS SOFTWARE IS PROVIDED');
  reads(`${bsd.slice(0, at)}${OFFER}\n${bsd.slice(at)}`, 'BSD-3-Clause OR GPL-2.0-only');
});

test('"either version 3 the License, or any later version" (the "of" dropped) still offers the later versions', () => {
  // written for the test
  const notice =
    'This library is free software; you can redistribute it and/or modify it under the terms of the\n' +
    'GNU Lesser General Public License as published by the Free Software Foundation; either version 3\n' +
    'the License, or (at your option) any later version.\n';
  reads(notice, 'LGPL-3.0-or-later');
  reads(notice.replace('Lesser ', ''), 'GPL-3.0-or-later');
});
