import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import { detectText } from '../../src/licenses/detect.js';
import { expressionKey } from '../../src/licenses/expression.js';

const require = createRequire(import.meta.url);
const spdx = require('spdx-license-list/full') as Record<string, { licenseText: string }>;
const FSF = 'This program is free software; you can redistribute it and/or modify it under the terms of the GNU';

test('GNU notices: versions offered side by side, "any later version" after the name, other wordings', () => {
  const cases: [string, string][] = [
    [`${FSF} General Public License as published by the Free Software Foundation; either version 2 of the License, or (at your option) version 3.`, 'GPL-2.0-only OR GPL-3.0-only'],
    [`${FSF} General Public License version 2 or (at your option) version 3 or any later version.`, 'GPL-2.0-only OR GPL-3.0-or-later'],
    // a later version "accepted by" a project's proxy is not the FSF's "any later version"
    [
      `${FSF} Lesser General Public License as published by the Free Software Foundation; either version 2.1 of the License, or (at your option) version 3, or any later version accepted by the membership of KDE e.V.`,
      'LGPL-2.1-only OR LGPL-3.0-only',
    ],
    ['under the terms of version 2 of the GNU General Public License or (at your option) any later version.', 'GPL-2.0-or-later'],
    ['under the terms of the GNU Public License version 2', 'GPL-2.0-only'],
    [
      `${FSF} General Public License version 2 as published by the Free Software Foundation.\n\nAlternatively, this software may be distributed under the terms of BSD license.`,
      'GPL-2.0-only OR BSD-3-Clause',
    ],
    ['under the terms of the Eclipse Distribution License v1.0', 'BSD-3-Clause'],
  ];
  for (const [text, expected] of cases) assert.equal(expressionKey(detectText(text)?.expression ?? null), expressionKey(expected), text);
  // one version with "or later" stays one licence
  assert.equal(
    detectText(`${FSF} General Public License as published by the Free Software Foundation; either version 2 of the License, or (at your option) any later version.`)?.expression,
    'GPL-2.0-or-later',
  );
});

test('header fields of SPDX ids: License: ISC, @license, Licence: CeCILL-C; free text is left to the notices', () => {
  assert.equal(detectText('# Author: Jane\n# License: ISC\n\nimport os\n')?.expression, 'ISC');
  assert.equal(detectText('/**\n * @license Zlib\n */\n')?.expression, 'Zlib');
  assert.equal(detectText('% Licence: CeCILL-C\n')?.expression, 'CECILL-C');
  assert.equal(expressionKey(detectText('License: (MIT OR Apache-2.0)\n')?.expression ?? null), expressionKey('MIT OR Apache-2.0'));
  // "GPL" without a version is GPL-1.0-or-later by the notice rules, not spdx-correct's guess
  assert.equal(detectText('License: GPL\n')?.expression, 'GPL-1.0-or-later');
  assert.equal(detectText('License: see the file COPYING\n'), null);
  assert.equal(detectText('license and copyright are described below\n'), null);
  // the first line under a README's licence heading, up to the holder
  assert.equal(detectText('# widget\n\nParses widgets.\n\n## License\n\nISC © Jane Doe\n')?.expression, 'ISC');
  assert.equal(detectText('License\n-------\n\nBSD-2-Clause\n')?.expression, 'BSD-2-Clause');
  assert.equal(detectText('## License\n\nSee LICENSE.\n'), null);
});

test('exceptions in notices attach to the one licence they are written for', () => {
  const gcc = `${FSF} General Public License as published by the Free Software Foundation; either version 3, or (at your option) any later version.\n\nUnder Section 7 of GPL version 3, you are granted additional permissions described in the GCC Runtime Library Exception, version 3.1, as published by the Free Software Foundation.`;
  assert.equal(detectText(gcc)?.expression, 'GPL-3.0-or-later WITH GCC-exception-3.1');
  assert.equal(detectText('Part of the LLVM Project, under the Apache License v2.0 with LLVM Exceptions.')?.expression, 'Apache-2.0 WITH LLVM-exception');
  // an exception with no licence it can modify is left out, not guessed
  assert.equal(detectText('Licensed under the MIT license. See the GCC Runtime Library Exception for libgcc.')?.expression, 'MIT');
});

test('GNU notices: the version after "in" or "only", a dated version, "v.2.1", "at your" any word', () => {
  const cases: [string, string][] = [
    [`${FSF} Lesser General Public License v.2.1.`, 'LGPL-2.1-only'],
    [`${FSF} General Public License ver.2 as published by the Free Software Foundation.`, 'GPL-2.0-only'],
    [`${FSF} General Public License as published by the Free Software Foundation in version 2 of the License.`, 'GPL-2.0-only'],
    [`${FSF} General Public License as published by the Free Software Foundation; only version 2 of the License applies.`, 'GPL-2.0-only'],
    [`${FSF} General Public License as published by the Free Software Foundation; version 3 dated 29 June 2007, or (at your option) any later version.`, 'GPL-3.0-or-later'],
    [`${FSF} General Public License as published by the Free Software Foundation; version 3 dated 29 June 2007.`, 'GPL-3.0-only'],
    [`${FSF} General Public License as published by the Free Software Foundation; version 2 of the License, or (at your choice) any later version.`, 'GPL-2.0-or-later'],
  ];
  for (const [text, expected] of cases) assert.equal(detectText(text)?.expression, expected, text);
});

test('"Alternatively" names a choice even past the first licence\'s disclaimer (the Mozilla tri-licence header)', () => {
  const header = [
    'The contents of this file are subject to the Mozilla Public License Version 1.1 (the "License"); you may not use this file except in compliance with the License.',
    'Software distributed under the License is provided on an "AS IS" basis, WITHOUT WARRANTY OF ANY KIND, either express or implied. See the License for the specific terms.',
    'Alternatively, the contents of this file may be used under the terms of either the GNU General Public License Version 2 or later (the "GPL"), or the GNU Lesser General Public License Version 2.1 or later (the "LGPL").',
  ].join('\n\n');
  assert.equal(expressionKey(detectText(header)?.expression ?? null), expressionKey('MPL-1.1 OR GPL-2.0-or-later OR LGPL-2.1-or-later'));
});

test('an exception text SPDX files under a deprecated id attaches to the licence the notice grants', () => {
  // the deprecated ids' texts are the exception alone ("insert GPL v2 license text here")
  const exceptionText = (id: string) => spdx[id].licenseText.replace(/^insert GPL v\d (?:license )?text here\s*/i, '');
  const bison = exceptionText('GPL-2.0-with-bison-exception');
  const font = exceptionText('GPL-2.0-with-font-exception');
  const gpl = (version: string) => `${FSF} General Public License as published by the Free Software Foundation, either version ${version} of the License, or (at your option) any later version.`;
  assert.equal(detectText(`${gpl('3')}\n\n${bison}`)?.expression, 'GPL-3.0-or-later WITH Bison-exception-2.2');
  assert.equal(detectText(`${gpl('2')}\n\n${bison}`)?.expression, 'GPL-2.0-or-later WITH Bison-exception-2.2');
  assert.equal(detectText(`${gpl('2')}\n\n${font}`)?.expression, 'GPL-2.0-or-later WITH Font-exception-2.0');
  // alone, it is read as SPDX indexes it
  assert.equal(detectText(bison)?.expression, 'GPL-2.0-only WITH Bison-exception-2.2');
});

test('BSD clause counts, zlib and libpng source headers, misnamed GNU licences as people write them', () => {
  const cases: [string, string | null][] = [
    ['Licensed under BSD-3, see LICENSE.', 'BSD-3-Clause'],
    ['This software is licensed under the BSD3 license.', 'BSD-3-Clause'],
    ['License: new BSD', 'BSD-3-Clause'],
    ['Distributed under the BSD License (3-clause).', 'BSD-3-Clause'],
    ['This program is distributed under the terms of the BSD-new license.', 'BSD-3-Clause'],
    ['Released under the simplified BSD.', 'BSD-2-Clause'],
    ['Licensed under BSD-3.0 terms', null],
    // zlib's own files point to the licence in zlib.h, libpng's to png.h
    ['Copyright (C) 1995-2011 Jean-loup Gailly\nFor conditions of distribution and use, see copyright notice in zlib.h', 'Zlib'],
    ['This file is under the same license as zlib.', 'Zlib'],
    ['This code is released under the libpng license.\nFor conditions of distribution and use, see the disclaimer and license in png.h', 'Libpng'],
    // GNU licences named without "General", or as the "Lesser GPL"; a bare abbreviation granted by "licensed" after it
    [`${FSF} Lesser Public License as published by the Free Software Foundation; either version 2.1 of the License, or (at your option) any later version.`, 'LGPL-2.1-or-later'],
    ['under the terms of the GNU Library Public License version 2', 'LGPL-2.0-only'],
    ['distributed under the Lesser GPL, version 2.1', 'LGPL-2.1-only'],
    ['This file is LGPL licensed.', 'LGPL-2.0-or-later'],
    ['Dual licensed under CC BY-SA 3.0 and LGPL2 or later', 'CC-BY-SA-3.0 OR LGPL-2.0-or-later'],
    // one family named twice without a version is one licence, the more specific name
    ['All files are licensed under the GNU Lesser General Public License; treat the library as being LGPL licensed.', 'LGPL-2.1-or-later'],
    // curl's file header cites its copyright page
    [
      'This software is licensed as described in the file COPYING, which you should have received as part of this distribution. The terms are also available at https://curl.se/docs/copyright.html.',
      'curl',
    ],
  ];
  for (const [text, expected] of cases) assert.equal(expressionKey(detectText(text)?.expression ?? null), expressionKey(expected), text);
});

test('GNU "or later" as projects word it: subsequent, "and later", "under the terms of any later version", the abbreviation beside name or version', () => {
  const cases: [string, string][] = [
    [`${FSF} General Public License as published by the Free Software Foundation; either version 2 of the License, or any subsequent version.`, 'GPL-2.0-or-later'],
    [`${FSF} General Public License, version 2 and later.`, 'GPL-2.0-or-later'],
    [`${FSF} General Public License as published by the Free Software Foundation; either version 2, or (at your option) under the terms of any later version.`, 'GPL-2.0-or-later'],
    [`${FSF} General Public License (GPL) as published by the Free Software Foundation; either version 2 of the License, or (at your option) any later version.`, 'GPL-2.0-or-later'],
    [`${FSF} General Public License (GPLv2) as published by the Free Software Foundation.`, 'GPL-2.0-only'],
    ['under the GNU General Public License, version 2 ("GPLv2") or (at your option) any later version', 'GPL-2.0-or-later'],
    ['Licensed under the GPL version 2 (or, at your option, any later version).', 'GPL-2.0-or-later'],
    [`${FSF} General Public License version 2 as published by the Free Software Foundation.`, 'GPL-2.0-only'],
  ];
  for (const [text, expected] of cases) assert.equal(detectText(text)?.expression, expected, text);
});
