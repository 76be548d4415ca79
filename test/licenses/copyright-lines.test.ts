import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import { detectText } from '../../src/licenses/detect.js';
import { licenseWords } from '../../src/licenses/normalize.js';

const require = createRequire(import.meta.url);
const spdx = require('spdx-license-list/full') as Record<string, { licenseText: string }>;
const oneLine = (id: string) =>
  spdx[id].licenseText
    .replace(/<year>/g, '2003')
    .replace(/<[a-z][a-z ]{0,40}>/gi, 'Acme Widgets, Inc.')
    .replace(/\s+/g, ' ');

test('a copyright statement ends where the licence on its line begins', () => {
  // short licences that open with their copyright line, run into one line (a one-line header):
  // "Copyright ... All rights reserved. Permission to use ...", "... Inc. grants reproduction ...",
  // "(c) Copyright ... Freedom to use these sources ...", "... This configure script is free software"
  for (const id of ['HPND-doc', 'UnixCrypt', 'MIPS', 'Soundex', 'FSFUL']) assert.equal(detectText(oneLine(id))?.expression, id, id);
  assert.deepEqual(licenseWords('Copyright (c) 1996 Aki Yoshida. All rights reserved. Permission to use, copy'), ['permission', 'to', 'use', 'copy']);
  // a statement alone is still dropped whole, and a sentence about copyright is kept
  assert.deepEqual(licenseWords('Copyright (c) 2003 Acme Grants Office, Inc.'), []);
  assert.deepEqual(licenseWords('copyright notice, this list of conditions'), ['copyright', 'notice', 'this', 'list', 'of', 'conditions']);
});
