import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import { detectText } from '../../src/licenses/detect.js';
import { grantedNotices } from '../../src/licenses/grants.js';
import { licenseWords } from '../../src/licenses/normalize.js';
import { findNotices } from '../../src/licenses/notices.js';

const require = createRequire(import.meta.url);
const spdx = require('spdx-license-list/full') as Record<string, { licenseText: string }>;
const head = (id: string, share: number) => {
  const words = spdx[id].licenseText.split(/(\s+)/);
  return words.slice(0, Math.floor(words.length * share)).join('');
};

test('a licence that names another is one licence: mentions are no grants', () => {
  // the LGPL's preamble contrasts itself with "the ordinary General Public License", MPL-2.0
  // lists its Secondary Licenses, EPL-2.0 names the GPL as one: cut short, each is itself alone
  assert.equal(detectText(head('LGPL-2.1-only', 0.4))?.expression, 'LGPL-2.1-only');
  assert.equal(detectText(head('MPL-2.0', 0.4))?.expression, 'MPL-2.0');
  assert.equal(detectText(head('EPL-2.0', 0.4))?.expression, 'EPL-2.0');
  // a README that credits other software grants only its own licence
  const readme = 'Licensed under the MIT License. The code is compatible with the Apache License, Version 2.0 as well.';
  assert.equal(detectText(readme)?.expression, 'MIT');
});

test('licences granted together stay together', () => {
  assert.equal(detectText('Dual licensed under the MIT and GPL licenses.')?.expression, 'MIT OR GPL-1.0-or-later');
  assert.equal(
    detectText('This software is licensed under the Apache License, Version 2.0 or the GNU General Public License version 2. You may choose either license.')?.expression,
    'Apache-2.0 OR GPL-2.0-only',
  );
  // a list of names after a grant is granted as a whole
  const tri = detectText('License\n\nGPL 2.0/LGPL 2.1/MPL 1.1 tri-license')?.expression ?? '';
  for (const id of ['GPL-2.0-only', 'LGPL-2.1-only', 'MPL-1.1']) assert.ok(tri.includes(id), tri);
  // a full text with a notice granting a second licence keeps both
  assert.equal(detectText(`${spdx.MIT.licenseText}\n\nThe file parser.c is licensed under the Apache License, Version 2.0.`)?.expression, 'MIT AND Apache-2.0');
  // a bare list of names with no grant is kept as it is
  assert.equal(detectText('MIT License, Apache License 2.0')?.expression, 'MIT AND Apache-2.0');
});

test("a name heading its own licence's opening words is that licence, one in a sentence is not", () => {
  const isc = spdx.ISC.licenseText.replace(/^ISC License:?\s*/, '');
  const bundle = licenseWords(`Third-party notices.\n\nfoo@1.0.0\n\nThe ISC License\n\n${isc}`).join(' ');
  assert.deepEqual(
    grantedNotices(bundle, findNotices(bundle), true).map((n) => n.id),
    ['ISC'],
  );
  const prose = licenseWords(`Our terms differ from those of the ISC License. ${isc}`).join(' ');
  assert.deepEqual(grantedNotices(prose, findNotices(prose), true), []);
});

test('a name inside the text its title heads is a quote of that text, not a grant', () => {
  // copyleft-next: "if the Derived Work includes material licensed under the GPL, You may
  // instead license the Derived Work under the GPL"; EUPL-1.2: "willingness to license under the EUPL"
  assert.equal(detectText(head('copyleft-next-0.3.1', 0.4))?.expression, 'copyleft-next-0.3.1');
  assert.equal(detectText(head('EUPL-1.2', 0.4))?.expression, 'EUPL-1.2');
});

test('a licence whose text holds another is one licence when its own part is there too', () => {
  // NPL-1.1 is its amendments followed by MPL-1.1: re-wrapped in a comment (no exact match), the
  // MPL-1.1 window scores a little higher, yet the NPL-1.1 window holds NPL's own words as well
  const words = spdx['NPL-1.1'].licenseText.split(/\s+/).filter(Boolean);
  const lines: string[] = [];
  for (let i = 0; i < words.length; i += 10) lines.push(` * ${words.slice(i, i + 10).join(' ')}`);
  assert.equal(detectText(`/*\n${lines.join('\n')}\n */\n`)?.expression, 'NPL-1.1');
  assert.equal(detectText(spdx['MPL-1.1'].licenseText)?.expression, 'MPL-1.1');
});
