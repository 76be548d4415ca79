import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import { detectText } from '../../src/licenses/detect.js';
import { matchLicenseText } from '../../src/licenses/match.js';

const require = createRequire(import.meta.url);
const spdx = require('spdx-license-list/full') as Record<string, { licenseText: string }>;
const head = (id: string, share: number) => {
  const words = spdx[id].licenseText.split(/(\s+)/);
  return words.slice(0, Math.floor(words.length * share)).join('');
};

test('a long licence cut to its opening, which no other licence holds, is that licence', () => {
  // under half of the licence: no candidate for Dice or partial copies, but its own opening
  for (const id of ['AGPL-1.0-only', 'Glide']) {
    const [m, ...rest] = matchLicenseText(head(id, 0.4));
    assert.equal(m?.id, id, id);
    assert.equal(m.method, 'partial', id);
    assert.deepEqual(rest, [], id);
  }
  // SPDX's LGPL-3.0 is its own part then GPL-3.0's text: cut, the GPL-3.0 opening after the LGPL
  // part is the rest of the one licence, not a second one
  assert.equal(detectText(head('LGPL-3.0-only', 0.4))?.expression, 'LGPL-3.0-only');
});

test('an opening two licences share names neither, and a paragraph is no opening', () => {
  // GPL-2.0's first 40% (its preamble and first sections) is also the start of other GPL-2.0 texts
  const gpl = matchLicenseText(head('GPL-2.0-only', 0.15));
  assert.deepEqual(gpl, []);
  // a few sentences of a long licence are under the floor of 150 bigrams
  assert.deepEqual(matchLicenseText(head('Apache-2.0', 0.05)), []);
});
