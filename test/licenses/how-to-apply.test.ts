import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import { detectText } from '../../src/licenses/detect.js';

const require = createRequire(import.meta.url);
const spdx = require('spdx-license-list/full') as Record<string, { licenseText: string }>;

test("a GNU text's How-to-Apply sample naming another version (older LGPL 2.1 copies say 'version 2') is no grant", () => {
  const lgpl = spdx['LGPL-2.1'].licenseText;
  assert.ok(lgpl.includes('either version 2.1 of the License'));
  assert.equal(detectText(lgpl.replace('either version 2.1 of the License', 'either version 2 of the License'))?.expression, 'LGPL-2.1-only');
});

test('a grant after the GNU text, far from its How-to-Apply introduction, still counts', () => {
  const gpl = spdx['GPL-2.0'].licenseText;
  const own = '\n\nThe files in the lib folder are licensed under the GNU Lesser General Public License, version 2.1 or any later version.\n';
  assert.equal(detectText(gpl + own)?.expression, 'GPL-2.0-only AND LGPL-2.1-or-later');
});
