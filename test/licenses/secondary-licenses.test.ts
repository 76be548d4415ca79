import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import { detectText } from '../../src/licenses/detect.js';

const require = createRequire(import.meta.url);
const epl = (require('spdx-license-list/full') as Record<string, { licenseText: string }>)['EPL-2.0'].licenseText;

/** EPL-2.0's own Exhibit A, the notice of a Secondary License, with `name` in its blank. */
function secondaryNotice(name: string): string {
  const exhibit = /“(This Source Code may also be made available under the following Secondary Licenses[^”]*)”/.exec(epl);
  assert.ok(exhibit, 'EPL-2.0 text without its Exhibit A');
  return exhibit[1].replace(/\{[^}]*\}/, name);
}

test('an EPL-2.0 header offering a Secondary License is a choice between the two', () => {
  const header = `This program is made available under the terms of the Eclipse Public License 2.0.\n\n${secondaryNotice('GNU General Public License, version 2 with the GNU Classpath Exception')}`;
  assert.equal(detectText(header)?.expression, 'EPL-2.0 OR GPL-2.0-only WITH Classpath-exception-2.0');
  // the Exhibit alone names the EPL as the licence whose conditions it sets forth
  assert.equal(detectText(secondaryNotice('GNU General Public License, version 2 or later'))?.expression, 'EPL-2.0 OR GPL-2.0-or-later');
});

test('the EPL-2.0 text itself, whose Exhibit A names no Secondary License, is EPL-2.0 alone', () => {
  assert.equal(detectText(epl)?.expression, 'EPL-2.0');
});

test('"licensed under either of" a list of names with their files and URLs is a choice among them', () => {
  // written for this test, in the form many projects use in their README
  const readme = [
    '## License',
    '',
    'Licensed under either of',
    '',
    ' * Apache License, Version 2.0 (LICENSE-APACHE or https://www.apache.org/licenses/LICENSE-2.0)',
    ' * MIT license (LICENSE-MIT or https://opensource.org/licenses/MIT)',
    '',
    'at your option.',
  ].join('\n');
  assert.equal(detectText(readme)?.expression, 'Apache-2.0 OR MIT');
});
