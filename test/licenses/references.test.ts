import assert from 'node:assert/strict';
import { test } from 'node:test';
import { detectText } from '../../src/licenses/detect.js';
import { normalizeLicenseText } from '../../src/licenses/normalize.js';
import { urlLicense } from '../../src/licenses/urls.js';

const detected = (t: string) => detectText(t)?.expression ?? null;

test('notices by SPDX name: versioned names anywhere, unversioned ones only as a grant or a title', () => {
  const cpl =
    '/*\n * All rights reserved. This program and the accompanying materials are made available\n * under the terms of the Common Public License v1.0 which accompanies this distribution.\n */';
  assert.equal(detected(cpl), 'CPL-1.0');
  assert.equal(detected('Distributed under the Lucent Public License Version 1.02.'), 'LPL-1.02');
  assert.equal(detected('This library is licensed under the Sleepycat License.'), 'Sleepycat');
  assert.equal(detected('Sleepycat License\n\nsee the accompanying file for terms'), 'Sleepycat');
  assert.equal(detected('We mention the sleepycat license in passing, and pay a fair license fee.'), null);
});

test('GNU Free Documentation License notices read their version and "or later"', () => {
  const fdl =
    'Permission is granted to copy, distribute and/or modify this document under the terms of the GNU Free Documentation License, Version 1.2 or any later version published by the Free Software Foundation.';
  assert.equal(detected(fdl), 'GFDL-1.2-or-later');
  assert.equal(detected('This manual is under the GNU Free Documentation License, version 1.3.'), 'GFDL-1.3-only');
});

test('licence URLs: the SPDX list URLs and the URL schemes that spell an id', () => {
  assert.equal(urlLicense('http://www.apache.org/licenses/LICENSE-2.0'), 'Apache-2.0');
  assert.equal(urlLicense('https://www.gnu.org/licenses/old-licenses/gpl-2.0.html'), 'GPL-2.0-only');
  assert.equal(urlLicense('http://mozilla.org/MPL/2.0/'), 'MPL-2.0', 'shared with MPL-2.0-no-copyleft-exception: the id that begins the other');
  assert.equal(urlLicense('https://opensource.org/licenses/BSD-3-Clause'), 'BSD-3-Clause');
  assert.equal(urlLicense('https://creativecommons.org/licenses/by-sa/4.0/legalcode'), 'CC-BY-SA-4.0');
  assert.equal(urlLicense('https://opensource.org/licenses/not-a-licence'), null);
  assert.equal(urlLicense('https://example.com/license'), null);
  assert.equal(detected('// Use of this file is governed by the terms at\n// http://www.eclipse.org/legal/epl-v10.html\n'), 'EPL-1.0');
  // a named licence wins over a URL: the URL is the last resort
  assert.equal(detected('Released under the MIT License; see http://www.apache.org/licenses/LICENSE-2.0 for ours.'), 'MIT');
});

test('the SPDX equivalent words normalise alike', () => {
  assert.equal(normalizeLicenseText('the copyright owner may sub-license; judgement; catalogue'), normalizeLicenseText('the Copyright Holder may sublicense; judgment; catalog'));
  assert.equal(normalizeLicenseText('Attribution-ShareAlike'), normalizeLicenseText('Attribution Share Alike'));
});

test('notices: one-line headers, version plus, GNU abbreviations with a version, acronyms, Perl terms', () => {
  assert.equal(detected('/* Copyright (c) 2005 Foo Ltd. This file is distributed under the GNU GPL, version 2. */'), 'GPL-2.0-only');
  assert.equal(detected('(c) 2012 Foo Inc. Licensed under the MIT license.'), 'MIT');
  assert.equal(detected('Licensed under GPLv2+'), 'GPL-2.0-or-later');
  assert.equal(detected('License: GPL-2.0+'), 'GPL-2.0-or-later');
  assert.equal(detected('Licensed under LGPLv3+'), 'LGPL-3.0-or-later');
  assert.equal(detected('Licensed under the European Union Public Licence (EUPL) v1.2'), 'EUPL-1.2');
  assert.equal(detected('Licensed under the EUPL, Version 1.1'), 'EUPL-1.1');
  assert.equal(detected('This software is licensed under the Open Software License version 3.0'), 'OSL-3.0');
  assert.equal(detected('Released under the WTFPL.'), 'WTFPL');
  assert.equal(detected('Use of this source code is governed by an MIT-style license that can be found in the LICENSE file'), 'MIT');
  assert.equal(detected('This program is free software; you can redistribute it and/or modify it under the same terms as Perl itself.'), 'Artistic-1.0-Perl OR GPL-1.0-or-later');
  // an acronym that is not a grant stays a word
  assert.equal(detected('The value is stored under the JSON key; this needs PHP 3.0 or later.'), null);
  // a copyright line without a grant still goes
  assert.equal(detected('Copyright (C) 2010 Foo Bar <foo@bar.com>'), null);
});

test('a bare GPL abbreviation counts when granted, not when mentioned', () => {
  assert.equal(detected('# NOTE: We must use c++ and not g++ to avoid GPL contamination'), null);
  assert.equal(detected('It is a GPL-compatible license.'), null);
  assert.equal(detected('License: GPL'), 'GPL-1.0-or-later');
  assert.equal(detected('Dual licensed under the MIT and GPL licenses.'), 'MIT OR GPL-1.0-or-later');
  assert.equal(detected('License: GPL (>= 2)'), 'GPL-2.0-or-later');
});
