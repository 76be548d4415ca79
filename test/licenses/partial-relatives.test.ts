import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import { detectText } from '../../src/licenses/detect.js';

const require = createRequire(import.meta.url);
const spdx = require('spdx-license-list/full') as Record<string, { licenseText: string }>;

test('a BSD-3-Clause copy cut short reads as BSD-3-Clause, not as a relative outside its close group', () => {
  const full = spdx['BSD-3-Clause'].licenseText.replace(/Copyright \(c\) <year> <owner>\.?/, 'Copyright (c) 2010 Jane Doe\nAll rights reserved.');
  // the holder named as projects name it: close relatives (BSD-3-Clause's variants) are told
  // apart by word diff, and that must not sink them all below BSD-4-Clause's precision
  const copies = [full.replace(/the copyright holder nor/, 'the copyright holders, nor those of'), full.replace(/Neither the name of the copyright holder/, 'Neither the name of Jane Doe')];
  for (const copy of copies)
    for (const share of [0.7, 0.8, 0.9]) {
      const cut = copy.slice(0, Math.floor(copy.length * share));
      assert.equal(detectText(cut)?.expression, 'BSD-3-Clause', `${share}: ${cut.slice(-200)}`);
    }
});
