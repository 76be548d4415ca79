import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import { detectText } from '../../src/licenses/detect.js';

const require = createRequire(import.meta.url);
const spdx = require('spdx-license-list/full') as Record<string, { licenseText: string }>;

test("a short variant's copy with its sample holder's name replaced is still the variant", () => {
  // HPND-sell-variant's own words ("distribute, and sell", "granted without fee") are all there;
  // its sample holder, OpenVision, is the copy's own ("the authors"), and HPND's "notice appear"
  const text = spdx['HPND-sell-variant'].licenseText
    .replace(/^Copyright.*\n/, '')
    .replace(/OpenVision|OPENVISION/g, 'the authors')
    .replace('notice appears', 'notice appear');
  assert.equal(detectText(text)?.expression, 'HPND-sell-variant');
});

test('the base with its holder filled in stays the base', () => {
  const text = spdx['HPND'].licenseText.replace(/<copyright holder>/g, 'the authors').replace(/ or <related entities>/, '');
  assert.equal(detectText(text)?.expression, 'HPND');
});
