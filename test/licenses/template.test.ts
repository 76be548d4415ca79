import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import { loadCorpus, wordIds } from '../../src/licenses/corpus.js';
import { detectText } from '../../src/licenses/detect.js';
import { diffHunks, templateScore } from '../../src/licenses/diff.js';
import { licenseWords, normalizeLicenseText, PLACEHOLDER } from '../../src/licenses/normalize.js';
import { needsShared, sharedPath } from '../helpers/shared.js';

const require = createRequire(import.meta.url);
const spdx = require('spdx-license-list/full') as Record<string, { licenseText: string }>;
const scancode = (file: string) => readFileSync(sharedPath('data', 'code', 'scancode-license-tests', file), 'utf8');
const detected = (content: string) => detectText(content)?.expression ?? null;

function ids(text: string): Int32Array {
  return wordIds(licenseWords(text), loadCorpus().vocabulary, new Map());
}

test('word diff: a name filled in is one short replaced stretch; a clause left out is counted word by word', () => {
  const licence = ids(spdx['BSD-3-Clause'].licenseText);
  const named = ids(spdx['BSD-3-Clause'].licenseText.replace('the copyright holder nor', 'Acme Widgets Inc. nor'));
  const [hunk, ...others] = diffHunks(licence, named, 0, named.length, 100)!;
  assert.deepEqual([hunk.deleted, hunk.inserted, others.length], [3, 3, 0]);
  // where the inserted words are in the text: the name
  const words = licenseWords(spdx['BSD-3-Clause'].licenseText.replace('the copyright holder nor', 'Acme Widgets Inc. nor'));
  assert.deepEqual(words.slice(hunk.insertedFrom, hunk.insertedTo), ['acme', 'widgets', 'inc']);
  const clause =
    'Neither the name of the copyright holder nor the names of its contributors may be used to endorse or promote products derived from this software without specific prior written permission.';
  const shorter = ids(spdx['BSD-3-Clause'].licenseText.replace(clause, ''));
  const hunks = diffHunks(licence, shorter, 0, shorter.length, 100)!;
  // the clause goes (Myers may part it where a word of it repeats next to it); nothing is added
  assert.ok(hunks.length <= 2, JSON.stringify(hunks));
  assert.equal(
    hunks.reduce((n, h) => n + h.inserted, 0),
    0,
  );
  assert.ok(hunks.reduce((n, h) => n + h.deleted, 0) > 20, JSON.stringify(hunks));
  // the replaced name costs less than the missing clause, and nothing is 1
  const total = (w: Int32Array) => licence.length + w.length;
  assert.equal(templateScore(licence, named, 0, named.length), 1 - 0.5 / total(named));
  assert.ok(templateScore(licence, shorter, 0, shorter.length)! < 0.95);
  assert.equal(templateScore(licence, licence, 0, licence.length), 1);
  // too many edits: no score (the caller keeps its bigram score)
  const mit = ids(spdx.MIT.licenseText);
  assert.equal(diffHunks(licence, mit, 0, mit.length, 10), null);
});

test('template rescue: ScanCode copies with their own names in (Apache-1.1, NTP)', needsShared, () => {
  assert.equal(detected(scancode('lic2/apache-1.1_11.txt')), 'Apache-1.1');
  assert.equal(detected(scancode('lic2/apache-1.1_cyberneko.txt')), 'Apache-1.1');
  assert.equal(detected(scancode('external/licensecheck/grant/NTP/install.sh')), 'NTP');
});

test('notices: same terms as Ruby, the Go BSD-style header, a bare "BSD licensed", the SFL agreement', needsShared, () => {
  assert.equal(detected(scancode('lic4/hmac.rb')), 'Ruby');
  assert.equal(detected(scancode('lic4/oauth2.go')), 'BSD-3-Clause');
  assert.equal(detected(scancode('lic2/bsd-new_47.txt')), 'BSD-3-Clause');
  assert.equal(detected(scancode('lic4/sfl-license.txt')), 'iMatix');
  // the numbered and named BSD forms keep their own ids
  assert.equal(detected('Licensed under the Simplified BSD License.'), 'BSD-2-Clause');
  assert.equal(detected('This project is released under the BSD 2-Clause license.'), 'BSD-2-Clause');
});

test('placeholders stay one word; HTML tags go', () => {
  assert.equal(normalizeLicenseText('Neither the name of the <organization> nor'), `neither the name of the ${PLACEHOLDER} nor`);
  assert.equal(normalizeLicenseText('SHALL `<COPYRIGHT HOLDER>` BE <b>LIABLE</b><br>'), `shall ${PLACEHOLDER} be liable`);
});

test('close relatives: a BSD-3-Clause copy that names "the author" is BSD-3-Clause, not the HP variant', needsShared, () => {
  // HP's text words its holder "the author" too, but adds "patent infringement" to the disclaimer
  assert.equal(detected(scancode('lic2/bsd-new_130.txt')), 'BSD-3-Clause');
  // a copy with its blanks left as `<organization>` stays BSD-3-Clause as well
  const markdown = readFileSync(sharedPath('data', 'code', 'licensee-fixtures', 'spec', 'fixtures', 'bsd-3-clause_markdown', 'LICENSE.md'), 'utf8');
  assert.equal(detected(markdown), 'BSD-3-Clause');
});
