import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import { detectText } from '../../src/licenses/detect.js';

const require = createRequire(import.meta.url);
const spdx = require('spdx-license-list/full') as Record<string, { licenseText: string }>;

const head = (t: string, share: number) => {
  const parts = t.split(/(\s+)/);
  return parts.slice(0, Math.floor(parts.length * share)).join('');
};

test('a long licence cut to its first 40%, under its own title, is that licence and no relative beside it', () => {
  // the opening of CC-BY-NC-2.0 is most of CC-SA-1.0's words too, and RHeCos-1.1 is written
  // from ErlPL-1.1: the relative's partial copy plus the title's notice made "X AND Y"
  for (const id of ['CC-BY-NC-2.0', 'CC-BY-NC-2.5', 'RHeCos-1.1']) assert.equal(detectText(head(spdx[id].licenseText, 0.4))?.expression, id);
});

test('a title naming the base licence does not take the opening of its variant', () => {
  // Unlicense-libwhirlpool opens with the Unlicense's first sentence
  for (const share of [0.6, 1]) assert.equal(detectText(head(spdx['Unlicense-libwhirlpool'].licenseText, share))?.expression, 'Unlicense-libwhirlpool');
  assert.equal(detectText(head(spdx['Unlicense'].licenseText, 0.6))?.expression, 'Unlicense');
});
