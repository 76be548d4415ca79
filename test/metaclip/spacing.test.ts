import assert from 'node:assert/strict';
import { test } from 'node:test';
import { spacing } from '../../src/metaclip/spacing.js';

// The reference, transcribed: sequential str.replace calls.
function referenceSpacing(text: string): string {
  let s = ` ${text} `;
  for (const p of [',', '.', ';', ':', '?', '!', '`']) s = s.split(p).join(` ${p} `);
  for (const c of ['\t', '\n', '\r']) s = s.split(c).join(' ');
  return s;
}

test('spacing pads, wraps the seven punctuation marks and turns tab/CR/LF into spaces', () => {
  assert.equal(spacing(''), '  ');
  assert.equal(spacing('a'), ' a ');
  assert.equal(spacing('St. Louis'), ' St .  Louis ');
  assert.equal(spacing('a,b;c:d?e!f`g'), ' a , b ; c : d ? e ! f ` g ');
  assert.equal(spacing('x\ty\r\nz'), ' x y  z ');
  assert.equal(spacing("dog's"), " dog's ");
});

test('spacing keeps case, Unicode and repeated spaces', () => {
  assert.equal(spacing('Café  NAÏVE'), ' Café  NAÏVE ');
  assert.equal(spacing('e\u0301'), ' e\u0301 ');
  assert.equal(spacing('😀.😀'), ' 😀 . 😀 ');
  assert.equal(spacing('full，width。'), ' full，width。 ');
});

test('spacing equals the sequential replace of the reference on mixed inputs', () => {
  const alphabet = ['a', 'B', ' ', ',', '.', ';', ':', '?', '!', '`', '\t', '\n', '\r', 'é', '😀', "'", '-'];
  let seed = 7;
  for (let n = 0; n < 500; n++) {
    let s = '';
    const len = n % 40;
    for (let i = 0; i < len; i++) {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      s += alphabet[seed % alphabet.length];
    }
    assert.equal(spacing(s), referenceSpacing(s));
  }
});
