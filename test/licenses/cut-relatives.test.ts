import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import { detectText } from '../../src/licenses/detect.js';

const require = createRequire(import.meta.url);
const spdx = require('spdx-license-list/full') as Record<string, { licenseText: string }>;

/** The first `share` of a text's words, as a file cut by a page or line limit holds it. */
const head = (t: string, share: number) => {
  const parts = t.split(/(\s+)/);
  return parts.slice(0, Math.floor(parts.length * share)).join('');
};

const asComment = (t: string) =>
  `/*\n${t
    .split('\n')
    .map((l) => ` * ${l}`.trimEnd())
    .join('\n')}\n */\n\nint main(void) { return 0; }\n`;

test('a licence cut inside the clause that sets it apart from a near relative is still that licence', () => {
  // Xnet is MIT's text plus a governing-law clause, CryptoSwift zlib's with an acknowledgment
  // clause, HPND-UC-export-US HPND-UC's with an export sentence: cut in that clause, the copy
  // holds what it can of it, and judging it on the whole clause made it the relative
  for (const id of ['Xnet', 'CryptoSwift', 'HPND-UC-export-US'])
    for (const copy of [head(spdx[id].licenseText, 0.9), asComment(head(spdx[id].licenseText, 0.9))]) assert.equal(detectText(copy)?.expression, id, copy.slice(-160));
});

test('a licence cut where the text ends is judged on the part it copies', () => {
  // the differing words are in the copied part; the variant's own ending is simply not there
  for (const [id, share] of [
    ['BSD-3-Clause-No-Nuclear-License-2014', 0.6],
    ['X11-distribute-modifications-variant', 0.8],
    ['NLOD-2.0', 0.8],
  ] as const)
    assert.equal(detectText(head(spdx[id].licenseText, share))?.expression, id);
});

test('the base licence in full, or cut before a relative’s own words, stays the base', () => {
  // MIT whole is no Xnet; BSD-2-Clause cut short is no BSD-2-Clause-Views (whose own paragraph
  // comes after the cut); zlib whole is no CryptoSwift
  for (const id of ['MIT', 'Zlib', 'HPND-UC']) assert.equal(detectText(spdx[id].licenseText)?.expression, id);
  assert.equal(detectText(head(spdx['BSD-2-Clause'].licenseText, 0.8))?.expression, 'BSD-2-Clause');
  assert.equal(detectText(head(spdx['MIT'].licenseText, 0.9))?.expression, 'MIT');
});

test('a text without the preamble or appendix a relative adds is not a cut copy of the relative', () => {
  // ECL-2.0 is a preamble above Apache's terms, NPL-1.1 amendments above MPL-1.1's text: a copy
  // that lacks them, at the start of a file or with its own lines around it, is the licence it copies
  const apache = spdx['Apache-2.0'].licenseText;
  assert.equal(
    detectText(
      `${apache
        .split('\n')
        .map((l) => `dnl ${l}`)
        .join('\n')}\n\nAC_INIT([widget], [1.0])\n`,
    )?.expression,
    'Apache-2.0',
  );
  assert.equal(detectText(spdx['CUA-OPL-1.0'].licenseText.replace(/\s+/g, ' '))?.expression, 'CUA-OPL-1.0');
  assert.equal(detectText(spdx['MPL-1.1'].licenseText)?.expression, 'MPL-1.1');
});
