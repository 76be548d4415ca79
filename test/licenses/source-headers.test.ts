import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import { detectText } from '../../src/licenses/detect.js';
import { expressionKey } from '../../src/licenses/expression.js';

const require = createRequire(import.meta.url);
const spdx = require('spdx-license-list/full') as Record<string, { licenseText: string }>;
const comment = (text: string): string =>
  `/*\n${text
    .split('\n')
    .map((l) => ` * ${l}`)
    .join('\n')}\n */\n`;

// Licence notices as source files' comment headers write them (texts written for these tests, and SPDX's).
const check = (cases: [string, string | null][]): void => {
  for (const [text, expected] of cases) {
    const got = detectText(text)?.expression ?? null;
    assert.equal(got === null ? null : expressionKey(got), expected === null ? null : expressionKey(expected), text);
  }
};

test('a choice whose last name is followed by "at your option", with each name\'s file and URL between', () => {
  check([
    [
      '// Copyright 2019 The Widget Developers.\n//\n// Licensed under the Apache License, Version 2.0 <LICENSE-APACHE or\n// http://www.apache.org/licenses/LICENSE-2.0> or the MIT license\n// <LICENSE-MIT or http://opensource.org/licenses/MIT>, at your\n// option. This file may not be copied, modified, or distributed\n// except according to those terms.\n',
      'Apache-2.0 OR MIT',
    ],
    ['# Licensed under the Apache License, Version 2.0 (see LICENSE-APACHE or http://www.apache.org/licenses/LICENSE-2.0) or the MIT license (see LICENSE-MIT), at your option.', 'Apache-2.0 OR MIT'],
    // two grants in two sentences stay two licences
    ['/* Parts are licensed under the Apache License, Version 2.0. The rest of this file is released under the MIT license. */', 'Apache-2.0 AND MIT'],
  ]);
});

test('"Apache Public License", a common misnaming, and a list offered "as alternatives"', () => {
  check([
    [' * You may use this work under the terms of a Creative Commons CC0 1.0\n * License/Waiver or the Apache Public License 2.0, at your option.\n', 'CC0-1.0 OR Apache-2.0'],
    [
      '# This package is offered under the following three licenses as alternatives:\n#   1. GNU Lesser General Public License (LGPL) V2.1 or any newer version\n#   2. GNU General Public License (GPL) V2 or any newer version\n#   3. Apache License, V2.0 or any newer version\n',
      'LGPL-2.1-or-later OR GPL-2.0-or-later OR Apache-2.0',
    ],
  ]);
});

test('licence notices inside HTML/XML comments, one comment per line', () => {
  check([
    [
      '<!-- Permission is granted to copy, distribute and/or modify this document -->\n<!-- under the terms of the GNU Free Documentation License, Version 1.2 -->\n<!-- or any later version published by the Free Software Foundation. -->\n<p>Hello</p>\n',
      'GFDL-1.2-or-later',
    ],
    ['<?xml version="1.0"?>\n<!-- Licensed under the MIT license. -->\n<root/>\n', 'MIT'],
    // tags are still markup
    ['<p>Released under the <b>MIT</b> license.</p>', 'MIT'],
  ]);
});

test('GNU notices: a second version written "v3", "v.3"; the Affero GPL abbreviated', () => {
  check([
    [' * This program may be copied and modified subject to the terms and conditions\n * of the GNU General Public License v.2 or v.3.\n', 'GPL-2.0-only OR GPL-3.0-only'],
    ['# License: GNU GPL v2 or v3 (see License.txt)', 'GPL-2.0-only OR GPL-3.0-only'],
    ['Foo is Free Software licensed under the GNU Affero GPLv3+', 'AGPL-3.0-or-later'],
    ['released under the Affero GPL version 3', 'AGPL-3.0-only'],
  ]);
});

test('a version written before the licence name: "version 3.01 of the PHP license"', () => {
  check([
    ['/*\n  | This source file is subject to version 3.01 of the PHP license,     |\n  | that is bundled with this package in the file LICENSE.              |\n*/\n', 'PHP-3.01'],
    ['This file is distributed under version 2.0 of the Mozilla Public License.', 'MPL-2.0'],
  ]);
});

test('CC0 named alone as a grant; a bare mention is no grant', () => {
  check([
    ['/* This example code can be freely copied under CC0 (public domain) license. */', 'CC0-1.0'],
    ['# Released under the terms of the CC0.', 'CC0-1.0'],
    ['# Converts CC0 metadata to JSON.', null],
  ]);
});

test('a copyright line that goes on with "free software under the terms of" keeps its grant', () => {
  check([
    ['dnl copyright by the foo project - free software under the terms of the LGPL 2.1\ndnl see COPYING and AUTHORS files in distribution\n', 'LGPL-2.1-only'],
    ['# Copyright (C) 2004 Jane Doe, under the terms of the GNU GPL version 2 or later', 'GPL-2.0-or-later'],
    // the FSF's own name is no grant
    ['# Copyright (C) 2004 Free Software Foundation, Inc.\n# Written by Jane Doe.\n', null],
  ]);
});

test('"the GNU GPL license version 2", the OSI-approved BSD License, the Perl Artistic License', () => {
  check([
    ['#!/usr/bin/perl -w\n# Licensed under the terms of the GNU GPL License version 2\n', 'GPL-2.0-only'],
    ['# under the LGPL license v2.1', 'LGPL-2.1-only'],
    ['# Distributed under the OSI-approved BSD License (the "License");\n# see accompanying file Copyright.txt for details.\n', 'BSD-3-Clause'],
    ['#  This package may be distributed under the terms of either the\n#  GNU General Public License\n#    or the\n#  Perl Artistic License\n', 'GPL-1.0-or-later OR Artistic-1.0-Perl'],
    // a bare GPL with a numbered clause after it is no version
    ['/* Released under the GPL.\n * 2. Do not remove this notice. */', 'GPL-1.0-or-later'],
  ]);
});

test('a warranty disclaimer beside a licence text is no second licence', () => {
  const tso = spdx['BSD-3-Clause-Tso'].licenseText;
  const disclaimer = tso.slice(tso.indexOf('THIS SOFTWARE IS PROVIDED'));
  check([
    [comment(`Copyright (C) 2021 Jane Doe\n\n${spdx.ISC.licenseText}\n\nParts of this file:\n\n${disclaimer}`), 'ISC'],
    [comment(`Copyright (C) 2021 Jane Doe\n\n${spdx.MIT.licenseText}\n\nThe rest of this file:\n\n${disclaimer}`), 'MIT'],
    // the licence whole is still read
    [comment(tso), 'BSD-3-Clause-Tso'],
  ]);
});

test('a GNU notice, then "ALTERNATIVELY ... under the terms of the following license" and its text: a choice', () => {
  const lgpl =
    'This library is free software; you can redistribute it and/or modify it under the terms of the GNU Lesser General Public License as published by the Free Software Foundation; either version 2.1 of the License, or (at your option) any later version.';
  const offer =
    'ALTERNATIVELY, this library may be distributed under the terms of the following license, in which case the provisions of this license are required INSTEAD OF the GNU Lesser General Public License. If you wish to allow use of your version of this file only under the terms of the GNU Lesser General Public License, and not to allow others to use your version of this file under the terms of the following license, indicate your decision by deleting this paragraph and the license below.';
  check([
    [comment(`${lgpl}\n\n${offer}\n\n${spdx['BSD-2-Clause'].licenseText}`), 'LGPL-2.1-or-later OR BSD-2-Clause'],
    // without the offer, both apply
    [comment(`${lgpl}\n\nParts of this file are also under the following license:\n\n${spdx['BSD-2-Clause'].licenseText}`), 'LGPL-2.1-or-later AND BSD-2-Clause'],
  ]);
});

test('a family name above a text ("Distributed under the BSD license:") does not pick the family member', () => {
  // SPDX's BSD-2-Clause worded for one holder, as headers often have it
  const text = spdx['BSD-2-Clause'].licenseText
    .replace(/Copyright \(c\) <year> <owner>\s*/, '')
    .replace('COPYRIGHT HOLDERS AND CONTRIBUTORS', 'COPYRIGHT HOLDER')
    .replace('COPYRIGHT HOLDER OR CONTRIBUTORS', 'COPYRIGHT HOLDER')
    .replace(/^(\d)\. /gm, '* ');
  check([
    [comment(`A tokenizer for a made-up language.\n\nDistributed under the BSD license:\n\n${text}`), 'BSD-2-Clause'],
    // a specific name still picks its text
    [comment(`Distributed under the BSD 3-Clause license:\n\n${spdx['BSD-3-Clause'].licenseText}`), 'BSD-3-Clause'],
  ]);
});

test('"License: Same as ZLIB", the header of zlib\'s contributed code', () => {
  check([['/* Additional tools for Foo\n   License: Same as ZLIB (www.example.org)\n*/\n', 'Zlib']]);
});

test('the old GNU notice ("No author or distributor accepts responsibility ...") grants the GPL, not Crossword', () => {
  check([
    [
      comment(
        'This file is part of Frobnicator.\n\nFrobnicator is distributed in the hope that it will be useful, but\nWITHOUT ANY WARRANTY.  No author or distributor accepts responsibility\nto anyone for the consequences of using it or for whether it serves any\nparticular purpose or works at all, unless he says so in writing.  Refer\nto the GNU General Public License, Version 2 or later, for full details.\n\nEveryone is granted permission to copy, modify and redistribute\nFrobnicator, but only under the conditions described in the GNU General\nPublic License.  A copy of this license is supposed to have been\ngiven to you along with Frobnicator so you can know your rights and\nresponsibilities.',
      ),
      'GPL-2.0-or-later',
    ],
    // Crossword's own text is still Crossword
    [spdx.Crossword.licenseText, 'Crossword'],
  ]);
});

test('the LPPL\'s own notice: "the LaTeX Project Public License, either version 1.3c of this license or ... any later version"', () => {
  check([
    [
      '% This work may be distributed and/or modified under the\n% conditions of the LaTeX Project Public License, either version 1.3c\n% of this license or (at your option) any later version.\n',
      'LPPL-1.3c',
    ],
    ['% under the Mozilla Public License, either version 2.0 or a later one', 'MPL-2.0'],
  ]);
});
