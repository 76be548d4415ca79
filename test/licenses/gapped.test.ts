import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import { detectText } from '../../src/licenses/detect.js';
import { expressionKey } from '../../src/licenses/expression.js';

const require = createRequire(import.meta.url);
const spdx = require('spdx-license-list/full') as Record<string, { licenseText: string }>;

/** Sentences of a project's own, as copies add them between a licence's clauses. */
const ADDED = [
  'This notice applies to every file in the widget distribution unless a file says otherwise.',
  'Questions about these terms may be sent to the maintainers at the address given in the README file of this package.',
  'Note that some files in the contrib directory were written by other people and carry their own notices, which are listed in the AUTHORS file.',
];

/** The SPDX text with `n` of the sentences above put between its own, spread through it. */
function withAdded(id: string, n: number): string {
  const sentences = spdx[id].licenseText.split(/(?<=[.;:])\s+/);
  for (let k = 0; k < n; k++) sentences.splice(Math.floor((sentences.length * (k + 1)) / (n + 1)) + k, 0, ADDED[k]);
  return sentences.join('\n');
}

test('a short licence with sentences of its own added between its clauses is still that licence', () => {
  for (const id of ['BSD-3-Clause', 'BSD-2-Clause', 'Zlib', 'MIT', 'ISC', 'X11', 'BSD-4-Clause', 'MIT-0']) {
    for (const n of [1, 2, 3]) {
      const found = detectText(withAdded(id, n));
      assert.equal(found?.expression, id, `${id} with ${n} added sentences`);
    }
  }
  // the clause-level reading is the last resort, and says so
  assert.equal(detectText(withAdded('BSD-3-Clause', 3))?.method, 'gapped');
});

test('a clause left out is not made up for by added sentences', () => {
  // BSD-3-Clause without its non-endorsement clause, with added sentences: BSD-2-Clause, not 3
  const bsd3 = spdx['BSD-3-Clause'].licenseText;
  const third = bsd3.slice(bsd3.indexOf('3. Neither'), bsd3.indexOf('THIS SOFTWARE'));
  const without = bsd3.replace(third, `${ADDED[0]} ${ADDED[1]}\n\n`);
  assert.equal(detectText(without)?.expression, 'BSD-2-Clause');
  // MIT without its condition sentence reads as MIT-0 (which has none), never as MIT
  const condition = /The above copyright notice and this permission notice shall be included in all copies or substantial portions of the Software\.\s*/.source.replace(/ /g, '\\s+');
  const mit = spdx.MIT.licenseText.replace(new RegExp(condition), `${ADDED[0]} ${ADDED[2]}\n\n`);
  assert.notEqual(mit, spdx.MIT.licenseText);
  assert.notEqual(detectText(mit)?.expression, 'MIT');
});

test('"Alternatively" beside a licence text offers a second licence, also when written inside the text', () => {
  const bsd3 = spdx['BSD-3-Clause'].licenseText;
  const offer = 'Alternatively, this software may be distributed under the terms of the GNU General Public License ("GPL") version 2 as published by the Free Software Foundation.';
  const [terms, disclaimer] = bsd3.split('THIS SOFTWARE IS PROVIDED');
  for (const text of [`${bsd3}\n\n${offer}`, `${offer}\n\n${bsd3}`, `${terms}\n${offer}\n\nTHIS SOFTWARE IS PROVIDED${disclaimer}`])
    assert.equal(expressionKey(detectText(text)?.expression ?? null), expressionKey('BSD-3-Clause OR GPL-2.0-only'));
  // without "alternatively", a second grant beside a text is a second licence that applies too
  assert.equal(
    expressionKey(detectText(`${bsd3}\n\nThe documentation is distributed under the GNU General Public License version 2.`)?.expression ?? null),
    expressionKey('BSD-3-Clause AND GPL-2.0-only'),
  );
});
