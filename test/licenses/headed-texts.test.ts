import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import { detectText } from '../../src/licenses/detect.js';
import { expressionKey } from '../../src/licenses/expression.js';

const require = createRequire(import.meta.url);
const spdx = require('spdx-license-list/full') as Record<string, { licenseText: string }>;

function reads(text: string, expected: string | null): void {
  assert.equal(expressionKey(detectText(text)?.expression ?? null), expressionKey(expected), text.slice(0, 300));
}

test("a project's 'or later' notice above a GNU text makes the text's licence 'or later'", () => {
  const header = (v: string, later: boolean) =>
    `Frobnicator 1.3\nCopyright (c) 2020 Jane Doe.\n\nThis program is free software; you can redistribute it and/or modify it under the terms of the GNU General Public License as published by the Free Software Foundation; ${later ? `either version ${v} of the License, or (at your option) any later version` : `version ${v} of the License`}.\n\nA copy of the GNU General Public License is included below.\n-----\n\n`;
  reads(header('3', true) + spdx['GPL-3.0'].licenseText, 'GPL-3.0-or-later');
  reads(header('2', true) + spdx['GPL-2.0'].licenseText, 'GPL-2.0-or-later');
  // "version 2 of the License" alone: the text's own version only
  reads(header('2', false) + spdx['GPL-2.0'].licenseText, 'GPL-2.0-only');
  // the bare text stays "only"
  reads(spdx['GPL-3.0'].licenseText, 'GPL-3.0-only');
  reads(spdx['LGPL-2.1'].licenseText, 'LGPL-2.1-only');
});

test('"the BSD license" above a text of the BSD family names that text, not a second licence', () => {
  const body = (id: string) => `Copyright (c) 2020 Jane Doe\n\n${spdx[id].licenseText.replace(/^Copyright.*\n/, '')}`;
  for (const header of ['This software is released under the BSD license:', 'Released under the "BSD" license (commonly called the BSD 2-Clause License):']) {
    reads(`${header}\n\n${body('BSD-2-Clause')}`, 'BSD-2-Clause');
    reads(`${header}\n\n${body('BSD-3-Clause')}`, 'BSD-3-Clause');
  }
  // beside another family's text it still counts as a licence of its own
  reads(`This software is released under the BSD license.\n\nThe bundled parser:\n\n${body('MIT')}`, 'MIT AND BSD-3-Clause');
  // and alone it is the 3-clause licence
  reads('This software is released under the BSD license.', 'BSD-3-Clause');
});
