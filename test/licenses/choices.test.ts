import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import { detectText, spdxIdentifiers } from '../../src/licenses/detect.js';
import { expressionKey } from '../../src/licenses/expression.js';

const require = createRequire(import.meta.url);
const spdx = require('spdx-license-list/full') as Record<string, { licenseText: string }>;

/** Whether the detector reads `text` as `expected` (operand order aside). */
function reads(text: string, expected: string | null): void {
  assert.equal(expressionKey(detectText(text)?.expression ?? null), expressionKey(expected), text);
}

test('names joined by a slash are a choice; a compound name keeps its slash', () => {
  reads('This dictionary may be used under a GPL 2.0/LGPL 2.1/MPL 1.1 tri-license.', 'GPL-2.0-only OR LGPL-2.1-only OR MPL-1.1');
  reads('Licensed under GPL/LGPL.', 'GPL-1.0-or-later OR LGPL-2.0-or-later');
  reads('Released under the MIT/X11 license.', 'MIT');
  // the version line of Mozilla's licence block stands for the block's tri-licence
  reads(' * Version: MPL 1.1/GPL 2.0/LGPL 2.1\n', 'MPL-1.1 OR GPL-2.0-or-later OR LGPL-2.1-or-later');
  // a URL's path is no list of licences
  reads('See http://www.mozilla.org/MPL/MPL-1.1.html for the terms.', 'MPL-1.1');
});

test('a list opened as a choice: every item, with its labels and URLs between', () => {
  reads(
    'This module is multi-licensed and may be used under the terms of any of the following licenses:\n' +
      ' EPL, Eclipse Public License, V1.0 or later, http://www.eclipse.org/legal\n' +
      ' LGPL, GNU Lesser General Public License, V2.1 or later, http://www.gnu.org/licenses/lgpl.html\n' +
      ' AL, Apache License, V2.0 or later, http://www.apache.org/licenses\n' +
      'Write to the author for another license.',
    'EPL-1.0 OR LGPL-2.1-or-later OR Apache-2.0',
  );
  // a list written with commas, a choice said after it
  reads('This snippet is available under the LGPL, MPL 1.1 or BSD license (at your choice).', 'LGPL-2.0-or-later OR MPL-1.1 OR BSD-3-Clause');
  // "or" offers a name that rule only reads when granted (the CDDL without a version, the BSD licence)
  reads(
    'The contents of this file are subject to the terms of either the GNU General Public License Version 2 only ("GPL") or the Common Development and Distribution License("CDDL") (collectively, the "License").',
    'GPL-2.0-only OR CDDL-1.0',
  );
  // the Eclipse Foundation's header for projects under both its licences: a choice
  reads(
    'This program and the accompanying materials are made available under the terms of the Eclipse Public License v1.0 and Eclipse Distribution License v1.0 which accompany this distribution.',
    'EPL-1.0 OR BSD-3-Clause',
  );
  // a header field grants a name as "licensed under" does
  reads('# License: CC BY-SA 2.0 or GPL 3 or later\n', 'CC-BY-SA-2.0 OR GPL-3.0-or-later');
});

test('a choice goes on through a further "or", and stops at a sentence of its own', () => {
  reads(
    'You may use these pages under either the Creative Commons Attribution-ShareAlike 3.0 License or the GNU Free Documentation License version 1.2 ' +
      '(see the copy in docs/) or (at your option) any later version, with no Invariant Sections and no Cover Texts being those of the GNU Free ' +
      'Documentation License; or, for use in software, the GNU General Public License version 3 or (at your option) any later version.',
    'CC-BY-SA-3.0 OR GFDL-1.2-or-later OR GPL-3.0-or-later',
  );
  reads('Dual licensed under the MIT and GPL licenses. The documentation is distributed under the Apache License 2.0.', '(MIT OR GPL-1.0-or-later) AND Apache-2.0');
  reads('This file is under the MIT license; the docs are under the Apache License 2.0.', 'MIT AND Apache-2.0');
});

test('GNU "or later" after a few words of the notice own between the version and it', () => {
  reads('under the terms of the GNU General Public License version 2 as published by the Free Software Foundation, or (at your option) any later version.', 'GPL-2.0-or-later');
  // never across another licence's name
  reads(
    'under the terms of the GNU General Public License version 2 and the GNU Lesser General Public License version 2.1 or (at your option) any later version.',
    'GPL-2.0-only AND LGPL-2.1-or-later',
  );
});

test('SPDX ids side by side are a choice (U-Boot); several lines all apply', () => {
  assert.equal(spdxIdentifiers('// SPDX-License-Identifier: GPL-2.0+ BSD-2-Clause\n'), 'GPL-2.0-or-later OR BSD-2-Clause');
  assert.equal(spdxIdentifiers('// SPDX-License-Identifier: MIT\n// SPDX-License-Identifier: Apache-2.0\n'), 'MIT AND Apache-2.0');
});

test('a choice offered between licences whose texts follow: those licences as that choice, the rest beside it', () => {
  const header = 'This package is available under either the new BSD license or the ISC license, at your option. It bundles a parser under the MIT license (text below).';
  reads([header, spdx['BSD-3-Clause'].licenseText, spdx.ISC.licenseText, spdx.MIT.licenseText].join('\n\n'), '(BSD-3-Clause OR ISC) AND MIT');
  reads(['Dual licensed under the MIT license or the Apache License 2.0, at your option.', spdx.MIT.licenseText, spdx['Apache-2.0'].licenseText].join('\n\n'), 'MIT OR Apache-2.0');
  // the choice names the text's own licence first, the other joined to it by "or"
  reads(
    [
      'This library may be used under the conditions of either of two licenses, the Apache License (version 2.0 or later) or the GNU General Public License, version 2.0 or later.',
      spdx['Apache-2.0'].licenseText,
    ].join('\n\n'),
    'Apache-2.0 OR GPL-2.0-or-later',
  );
  // a choice with a licence whose text is not there, and no grant of it, changes nothing
  reads(['Some files are compatible with the GPL or the MIT license.', spdx.MIT.licenseText, spdx.ISC.licenseText].join('\n\n'), 'MIT AND ISC');
});

test('a licence URL that a grant names counts beside the notices of a file of notices', () => {
  const gpl = `${'This program is free software: you can redistribute it and/or modify it under the terms of the GNU General Public License as published by the Free Software Foundation; version 3 of the License.'}`;
  reads(
    `${gpl}\n\nParts of this file were written by the widget authors and released to the public domain, as explained at http://creativecommons.org/publicdomain/zero/1.0/\n`,
    'GPL-3.0-only AND CC0-1.0',
  );
  // a URL of the licence a text was derived from, or one only cited, grants nothing
  reads(`${gpl}\n\nThe build scripts were derived from examples available at http://creativecommons.org/publicdomain/zero/1.0/\n`, 'GPL-3.0-only');
  reads(`${gpl}\n\nSee http://www.apache.org/licenses/LICENSE-2.0 for the licence of the server, which is not part of this package.\n`, 'GPL-3.0-only');
});

/** SPDX's LLVM-exception text (as Debian's copyright files quote it, without its heading). */
const LLVM_EXCEPTION =
  'As an exception, if, as a result of your compiling your source code, portions of this Software are embedded into an Object form of such source code, you may redistribute such embedded portions in such Object form without complying with the conditions of Sections 4(a), 4(b) and 4(d) of the License.\n\n' +
  'In addition, if you combine or link compiled forms of this Software with software that is licensed under the GPLv2 ("Combined Software") and if a court of competent jurisdiction determines that the patent provision (Section 3), the indemnity provision (Section 9) or other Section of the License conflicts with the conditions of the GPLv2, you may retroactively and prospectively choose to deem waived or otherwise exclude such Section(s) of the License, but only in their entirety and only with respect to the Combined Software.';

test('an exception text quoted alone: the one licence it is written for, not the licence it speaks of', () => {
  reads(LLVM_EXCEPTION, 'Apache-2.0 WITH LLVM-exception');
  reads(`Licensed under the Apache License, Version 2.0.\n\n${LLVM_EXCEPTION}`, 'Apache-2.0 WITH LLVM-exception');
  // an exception for another licence than the one granted is left out, not guessed
  reads(`This file is distributed under the GNU General Public License version 2.\n\n${LLVM_EXCEPTION}`, 'GPL-2.0-only');
});
