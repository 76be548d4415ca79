import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import { detectText } from '../../src/licenses/detect.js';
import { expressionKey } from '../../src/licenses/expression.js';

const require = createRequire(import.meta.url);
const spdx = require('spdx-license-list/full') as Record<string, { licenseText: string }>;

/** Whether the detector reads `text` as `expected` (operand order aside). */
function reads(text: string, expected: string | null): void {
  assert.equal(expressionKey(detectText(text)?.expression ?? null), expressionKey(expected), text.slice(0, 300));
}

const PERL = 'Artistic-1.0-Perl OR GPL-1.0-or-later';
// the grant CPAN's generated LICENSE files open with (written here, not copied from a package)
const GRANT =
  'This software is copyright (c) 2031 by A. Writer.\n\n' +
  'This is free software; you can redistribute it and/or modify it under\n' +
  'the same terms as the Perl 5 programming language system itself.\n\n' +
  'Terms of the Perl programming language system itself\n\n' +
  'a) the GNU General Public License as published by the Free\n' +
  '   Software Foundation; either version 1, or (at your option) any\n' +
  '   later version, or\n' +
  'b) the "Artistic License"\n';

test('"the same terms as the Perl 5 programming language system itself" is Perl\'s choice of licences', () => {
  reads(GRANT, PERL);
  reads('You may distribute this module under the same terms as the Perl programming language itself.', PERL);
  reads('This library is free software; you can redistribute it and/or modify it under the same terms as Perl itself.', PERL);
});

test("Perl's grant followed by the GPL's and an Artistic 1.0 text: the choice, not both licences together", () => {
  const file = `${GRANT}\n--- The GNU General Public License, Version 1, February 1989 ---\n\n${spdx['GPL-1.0'].licenseText}\n\n--- The Artistic License 1.0 ---\n\n${spdx['Artistic-1.0'].licenseText}\n`;
  reads(file, PERL);
});

test('an Artistic 1.0 text and a GPL text with no grant between them stay both licences', () => {
  reads(`${spdx['GPL-1.0'].licenseText}\n\n${spdx['Artistic-1.0'].licenseText}\n`, 'GPL-1.0-only AND Artistic-1.0');
});
