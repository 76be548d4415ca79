import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import { detectText } from '../../src/licenses/detect.js';
import { normalizeLicenseText } from '../../src/licenses/normalize.js';

const require = createRequire(import.meta.url);
const spdx = require('spdx-license-list/full') as Record<string, { licenseText: string }>;
/** The first `share` of a licence's words, its blanks filled in. */
const head = (id: string, share: number) => {
  const words = spdx[id].licenseText.replace(/<[a-z][a-z ]{0,40}>/gi, 'Acme Widgets, Inc.').split(/(\s+)/);
  return words.slice(0, Math.floor(words.length * share)).join('');
};

test('titles: a cut copy is the licence its title names when a relative scores about as well', () => {
  // GFDL-1.3 cut before its relicensing section is nearer GFDL-1.2 by bigrams; its title says 1.3
  assert.equal(detectText(head('GFDL-1.3-only', 0.8))?.expression, 'GFDL-1.3-only');
  // short licences cut under their title: the title stands in for the bigrams that are gone
  assert.equal(detectText(head('HPND', 0.6))?.expression, 'HPND');
  assert.equal(detectText(head('Intel', 0.6))?.expression, 'Intel');
  // without the title the same cut is too short to tell apart from its relatives
  assert.notEqual(detectText(head('HPND', 0.6).replace(/^.*\n/, ''))?.expression, 'HPND');
});

test('titles: a variant headed by its base name stays the variant; "Modified X" does not name X', () => {
  const wrapped = (id: string) => `/*\n${spdx[id].licenseText.replace(/\s+/g, ' ').replace(/(.{1,70})(?: |$)/g, ' * $1\n')} */\nint x;\n`;
  assert.equal(detectText(wrapped('QPL-1.0-INRIA-2004'))?.expression, 'QPL-1.0-INRIA-2004');
  assert.equal(detectText(wrapped('Pixar'))?.expression, 'Pixar');
  // a variant that only takes a clause out, its copyright line run into its text: its title decides
  const mit0 = spdx['MIT-0'].licenseText.replace(/<year> <copyright holders?>/i, '2019 Jane Q. Public').replace(/\s+/g, ' ');
  assert.equal(detectText(mit0)?.expression, 'MIT-0');
});

test('a copy cut from its licence after a copyright line is still read: a wrapped "copyright is claimed" is text', () => {
  assert.equal(normalizeLicenseText('No\ncopyright is claimed, and the software'), 'no copyright is claimed and the software');
  assert.equal(normalizeLicenseText('Copyright (c) 2020 Someone\nPermission'), 'permission');
  const wrapped = `/*\n${spdx['bcrypt-Solar-Designer'].licenseText.replace(/\s+/g, ' ').replace(/(.{1,70})(?: |$)/g, ' * $1\n')} */\n`;
  assert.equal(detectText(wrapped)?.expression, 'bcrypt-Solar-Designer');
});

test('SPDX names as people shorten them, and the LGPL-3.0 text with its GPL-3.0', () => {
  const cases: [string, string][] = [
    ['This work is licensed under a Creative Commons Attribution-NoDerivatives 4.0 International License.', 'CC-BY-ND-4.0'],
    ['Dual licenced under Creative Commons Attribution-Share Alike 3.0 and nothing else', 'CC-BY-SA-3.0'],
    ['Licensed under the MIT No Attribution license.', 'MIT-0'],
    ['This file is distributed under the University of Illinois Open Source License.', 'NCSA'],
    ['under the terms of the Do What The Fuck You Want To Public License, Version 2', 'WTFPL'],
    ['This software may be distributed under the terms of the BSD license.', 'BSD-3-Clause'],
    ['License: Expat', 'MIT'],
    ['You may distribute under the terms of either the GNU General Public License or the Artistic License, as specified in the README file.', 'Artistic-1.0-Perl OR GPL-1.0-or-later'],
  ];
  for (const [text, id] of cases) assert.equal(detectText(text)?.expression, id, text);
  // "Expat" the XML parser is no licence
  assert.equal(detectText('This module needs the expat parser library.'), null);
  // SPDX's LGPL-3.0 text is the LGPL's permissions followed by the GPL-3.0: one licence
  assert.equal(detectText(spdx['LGPL-3.0-only'].licenseText)?.expression, 'LGPL-3.0-only');
  assert.equal(detectText(`${spdx['LGPL-3.0-only'].licenseText.split('GNU GENERAL PUBLIC LICENSE')[0]}`)?.expression, 'LGPL-3.0-only');
});
