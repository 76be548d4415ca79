import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import { detectText } from '../../src/licenses/detect.js';

const require = createRequire(import.meta.url);
const spdx = require('spdx-license-list/full') as Record<string, { licenseText: string }>;

test('a licence run into one line after its copyright statement: the statement ends, the text is read', () => {
  const apache = spdx['Apache-2.0'].licenseText;
  const terms = apache.slice(0, apache.indexOf('END OF TERMS AND CONDITIONS') + 'END OF TERMS AND CONDITIONS'.length);
  for (const text of [apache, terms]) {
    const oneLine = `Copyright 2017 Jane Doe ${text}`.replace(/\s+/g, ' ');
    assert.equal(detectText(oneLine)?.expression, 'Apache-2.0', oneLine.slice(0, 200));
  }
  // a copyright line of its own is still no licence text
  assert.equal(detectText('Copyright (c) 2001, 2002, 2003 Jane Doe, John Roe and the widget contributors. All rights reserved.'), null);
});
