import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import { detectText } from '../../src/licenses/detect.js';
import { matchLicenseText } from '../../src/licenses/match.js';
import { needsShared, sharedPath } from '../helpers/shared.js';

const require = createRequire(import.meta.url);
const spdx = require('spdx-license-list/full') as Record<string, { licenseText: string }>;
const head = (id: string, share: number) => {
  const words = spdx[id].licenseText.split(/(\s+)/);
  return words.slice(0, Math.floor(words.length * share)).join('');
};

test('partial texts: most of a window from one licence, over half of the licence, is that licence', () => {
  for (const id of ['GPL-2.0-only', 'Apache-2.0', 'MPL-2.0', 'EPL-1.0']) {
    const [m, ...rest] = matchLicenseText(head(id, 0.6));
    assert.equal(m?.id, id, id);
    assert.equal(m.method, 'partial', id);
    assert.deepEqual(rest, [], id);
    assert.equal(detectText(`#include <stdio.h>\n/*\n${head(id, 0.6)}\n*/\nint main(void) { return 0; }\n`)?.method, 'partial', id);
  }
  // a sentence or two of a licence is not its text: the full-text matcher leaves it alone
  assert.deepEqual(matchLicenseText(head('MIT', 0.3)), []);
  // a full copy is still a near or exact match, not a partial one
  assert.equal(matchLicenseText(spdx['GPL-2.0-only'].licenseText)[0].method, 'exact');
});

test('variants: a copy is the base licence unless it holds what makes the variant', () => {
  const bsd = spdx['BSD-3-Clause-HP'].licenseText;
  // HP's own clause ("patent infringement") there: HP; taken out, the copy reads as its base
  assert.equal(detectText(bsd.replace('the HP', 'Acme Inc.'))?.expression, 'BSD-3-Clause-HP');
  assert.equal(detectText(bsd.replace('PATENT INFRINGEMENT;', ''))?.expression, 'BSD-3-Clause');
  const modern = spdx['MIT-Modern-Variant'].licenseText;
  assert.equal(detectText(modern)?.expression, 'MIT-Modern-Variant');
});

test('variants in ScanCode tests: a jzlib BSD licence ("the names of the authors may not be used") is BSD-3-Clause', needsShared, () => {
  const file = readFileSync(sharedPath('data', 'code', 'scancode-license-tests', 'lic1', 'CRC32.java'), 'utf8');
  const bsd = file.split('\n').slice(15, 41).join('\n');
  assert.equal(detectText(bsd)?.expression, 'BSD-3-Clause');
});

test('short licences cut short: a window only one licence holds nearly all of is that licence', () => {
  // under the 100-bigram floor of partial(), but no other SPDX text holds 90% of what they share
  for (const id of ['PostgreSQL', 'curl', 'libtiff', 'MIT-Modern-Variant', '0BSD', 'Glulxe']) assert.equal(detectText(head(id, 0.6))?.expression, id, id);
  // BSD's first clause is every BSD licence's: it names none of them
  const clause =
    'Redistribution and use in source and binary forms, with or without modification, are permitted provided that the following conditions are met: Redistributions of source code must retain the above copyright notice, this list of conditions and the following disclaimer.';
  assert.equal(detectText(clause), null);
});

test('a part of a licence in its own words beats a near relative that rewords it (the Sleepycat clause against TOSL)', () => {
  const sleepycat = spdx.Sleepycat.licenseText;
  // the Sleepycat section alone, without its title and the BSD texts after it
  const clause = sleepycat.slice(0, sleepycat.indexOf('Copyright (c) 1990, 1993')).replace('The Sleepycat License ', '');
  assert.equal(detectText(clause)?.expression, 'Sleepycat');
  // the relative's own text is still the relative
  assert.equal(detectText(spdx.TOSL.licenseText)?.expression, 'TOSL');
});

test('part of a short licence that a few others contain is the licence it is most of; one that dozens share names none', () => {
  // zlib's permission and clauses without its disclaimer: Cube holds them too, as a part of less of it
  const zlib = spdx.Zlib.licenseText;
  assert.equal(detectText(zlib.slice(zlib.indexOf('Permission is granted')))?.expression, 'Zlib');
  // MIT's disclaimer is in dozens of licences: alone it is no licence
  const mit = spdx.MIT.licenseText;
  assert.equal(detectText(mit.slice(mit.indexOf('THE SOFTWARE IS PROVIDED'))), null);
});
