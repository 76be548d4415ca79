import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import { detectText } from '../../src/licenses/detect.js';

const require = createRequire(import.meta.url);
const spdx = require('spdx-license-list/full') as Record<string, { licenseText: string }>;

/** Sentences of a project's own put between a text's own, at a third and two thirds of it (written for this test). */
function withOwnSentences(t: string): string {
  const own = [
    'Each file of the gadget toolkit falls under these terms unless the file itself says otherwise.',
    'Questions about these terms may be sent to the people who maintain the toolkit at the address given in its README file.',
  ];
  const sentences = t.split(/(?<=[.;:])\s+/);
  own.forEach((s, k) => sentences.splice(Math.floor((sentences.length * (k + 1)) / (own.length + 1)) + k, 0, s));
  return sentences.join('\n');
}

test('a shorter licence whose words are a stretch of a longer one found around it is part of that text', () => {
  // HPND-DEC and HPND-export2-US hold HPND-Pbmplus's clauses: with sentences added, the shorter
  // licence took that stretch first and the text read as "X AND HPND-Pbmplus"
  for (const id of ['HPND-DEC', 'HPND-export2-US']) assert.equal(detectText(withOwnSentences(spdx[id].licenseText))?.expression, id);
});

test('two licences one after the other, the second holding the first one’s words, stay two', () => {
  for (const [a, b] of [
    ['BSD-2-Clause', 'BSD-3-Clause'],
    ['MIT', 'X11'],
    ['HPND-Pbmplus', 'HPND-DEC'],
  ]) {
    const found = detectText(`${spdx[a].licenseText}\n\n-----\n\n${spdx[b].licenseText}`)?.expression ?? '';
    assert.deepEqual(found.split(' AND ').sort(), [a, b].sort(), `${a} then ${b}: ${found}`);
  }
});
