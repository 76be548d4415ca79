import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import { loadCorpus } from '../../src/licenses/corpus.js';
import { matchLicenseText, DEFAULT_THRESHOLD } from '../../src/licenses/match.js';
import { licenseWords, normalizeLicenseText } from '../../src/licenses/normalize.js';
import { detectText } from '../../src/licenses/detect.js';

const require = createRequire(import.meta.url);
const spdx = require('spdx-license-list/full') as Record<string, { licenseText: string }>;
const text = (id: string) => spdx[id].licenseText;
const ids = (t: string) => matchLicenseText(t).map((m) => m.id);

test('normalisation: case, punctuation, bullets, comment leaders, copyright lines, markup, varietal words', () => {
  assert.equal(normalizeLicenseText('Hello,   WORLD!\n\n  "Quoted" -- text'), 'hello world quoted text');
  assert.equal(normalizeLicenseText(' * 1. First clause.\n * (b) Second\n * - third\n// iv. fourth'), 'first clause second third fourth');
  assert.equal(normalizeLicenseText('Copyright (c) 2020 Someone\nAll rights reserved.\nPermission is granted'), 'permission is granted');
  // "copyright notice" inside a wrapped sentence is text, not a copyright line
  assert.equal(normalizeLicenseText('retain the above\ncopyright notice, this list'), 'retain the above copyright notice this list');
  assert.equal(normalizeLicenseText('<p>The <b>Licence</b> &amp; [terms](https://x.org/t) v2.1.</p>'), 'the license terms v2.1');
  assert.equal(normalizeLicenseText('Copyright <<var;name=copyright;original=(c) <year>;match=.+>> holder\nBEHAVIOUR'), 'behavior');
  assert.equal(normalizeLicenseText('NONINFRINGEMENT https://a'), normalizeLicenseText('non-infringement http://a'));
  assert.deepEqual(licenseWords('Version 2.0, or 3.'), ['version', '2.0', 'or', '3']);
  assert.equal(normalizeLicenseText('constructor toString'), 'constructor tostring', 'words that are Object properties stay words');
});

test('exact matches: real SPDX texts, re-wrapped, commented and with a real copyright line', () => {
  for (const id of ['MIT', 'Apache-2.0', 'BSD-3-Clause', 'ISC', 'MPL-2.0', 'GPL-3.0-only', 'Unlicense', 'BSL-1.0', 'Zlib']) {
    const [m] = matchLicenseText(text(id));
    assert.equal(m.id, id, id);
    assert.equal(m.method, 'exact', id);
  }
  const commented = text('MIT')
    .replace('<year> <copyright holders>', '2024 Jane Doe <jane@example.org>')
    .split('\n')
    .map((l) => ` * ${l}`)
    .join('\n');
  assert.deepEqual(
    matchLicenseText(`/*\n${commented}\n */`).map((m) => [m.id, m.method]),
    [['MIT', 'exact']],
  );
});

test('near matches: edited texts stay above the threshold, other licences stay apart', () => {
  const edited = text('BSD-3-Clause')
    .replace('Neither the name of the copyright holder nor', 'Neither the name of ACME Corporation nor')
    .replace('THE COPYRIGHT HOLDERS AND CONTRIBUTORS', 'ACME CORPORATION');
  const [m] = matchLicenseText(edited);
  assert.equal(m.id, 'BSD-3-Clause');
  assert.equal(m.method, 'dice');
  assert.ok(m.score >= DEFAULT_THRESHOLD && m.score < 1, String(m.score));
  // close relatives are told apart by the best score
  assert.deepEqual(ids(text('BSD-2-Clause')), ['BSD-2-Clause']);
  assert.deepEqual(ids(text('MIT-0')), ['MIT-0']);
  assert.deepEqual(ids(text('LGPL-2.1-only')), ['LGPL-2.1-only']);
  // GPL text without its optional "How to Apply" part is still the GPL, not a relative
  const gpl = text('GPL-3.0-only');
  assert.deepEqual(ids(gpl.slice(0, gpl.indexOf('END OF TERMS AND CONDITIONS'))), ['GPL-3.0-only']);
  // Apache-2.0 without its appendix is Apache-2.0, not Pixar (Apache terms plus a paragraph)
  const apache = text('Apache-2.0');
  assert.deepEqual(ids(apache.slice(0, apache.indexOf('END OF TERMS AND CONDITIONS'))), ['Apache-2.0']);
  // half a licence is no licence
  const mit = text('MIT');
  assert.deepEqual(ids(mit.slice(0, mit.length / 2)), []);
  assert.deepEqual(ids('This is just a README about a program that parses JSON.'), []);
});

test('concatenated licences: each found in its own window, in text order', () => {
  const both = `${text('MIT')}\n\n-----\n\n${text('Apache-2.0')}`;
  const found = matchLicenseText(both);
  assert.deepEqual(
    found.map((m) => m.id),
    ['MIT', 'Apache-2.0'],
  );
  assert.ok(found[0].end <= found[1].start);
  const three = `Parts of this project:\n\n${text('ISC')}\n\nThe parser:\n\n${text('BSD-2-Clause')}\n\nThe fonts:\n\n${text('Zlib')}`;
  assert.deepEqual(ids(three), ['ISC', 'BSD-2-Clause', 'Zlib']);
  assert.equal(detectText(three)?.expression, 'ISC AND BSD-2-Clause AND Zlib');
});

test('a licence and a relative that holds its words, one after the other: both, not the relative alone or a third', () => {
  // the window of a licence that contains the first (BSD-3-Clause holds BSD-2-Clause) reaches into
  // the second text for the clause it lacks: it explains more bigrams, but beside the first text,
  // not around it, and a window spanning two copies of a licence's clauses is no copy of it
  for (const [a, b] of [
    ['BSD-2-Clause', 'BSD-3-Clause'],
    ['BSD-2-Clause', 'BSD-4-Clause'],
    ['BSD-1-Clause', 'BSD-3-Clause'],
    ['BSD-2-Clause', 'BSD-2-Clause-Patent'],
    ['BSD-3-Clause', 'BSD-3-Clause-Attribution'],
    ['BSD-2-Clause', 'SSLeay-standalone'],
  ])
    assert.deepEqual(ids(`${text(a)}\n\n${text(b)}`), [a, b], `${a} + ${b}`);
});

test('the corpus is built once per process and indexes deprecated licence-with-exception texts under expressions', () => {
  assert.equal(loadCorpus(), loadCorpus());
  const corpus = loadCorpus();
  assert.ok(corpus.licenses.length > 600);
  const byId = new Map(corpus.licenses.map((l) => [l.id, l]));
  assert.ok(byId.has('GPL-2.0-only WITH Classpath-exception-2.0'));
  assert.ok(!byId.has('GPL-2.0'), 'deprecated ids are not indexed');
  assert.ok(byId.get('GPL-2.0-only')!.aliases.includes('GPL-2.0-or-later'), 'the same text: -only preferred');
  assert.deepEqual(ids(text('GPL-2.0-with-classpath-exception')), ['GPL-2.0-only WITH Classpath-exception-2.0']);
});

test('a licence kept in a string literal: written-out \\n escapes are line breaks, not letters of the next word', () => {
  for (const id of ['MIT', 'BSD-3-Clause', 'Zlib', 'ISC']) {
    const text = spdx[id].licenseText.replace(/<[^>\n]+>/g, 'Acme Widgets');
    assert.equal(detectText(`{"name": "widget", "licenseText": ${JSON.stringify(text)}}`)?.expression, id, id);
  }
});
