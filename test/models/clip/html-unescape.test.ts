/** Python 3.11 `html.unescape` outputs for the rules it has (each expected value is Python's). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { htmlUnescape } from '../../../src/models/clip/html-unescape.js';

const cases: [string, string, string][] = [
  ['one level only', '&amp;amp;', '&amp;'],
  ['legacy name without ";" before letters', '&ampfoo', '&foo'],
  ['longest legacy prefix', '&notin', '\u00acin'],
  ['full name with ";"', '&notin;', '\u2209'],
  ['a name that needs ";" stays', '&hellip', '&hellip'],
  ['control characters become nothing', '&#1;', ''],
  ['NUL becomes U+FFFD', '&#0;', '\ufffd'],
  ['windows-1252 for 0x80..0x9f', '&#x80;', '\u20ac'],
  ['unassigned windows-1252 bytes stay C1', '&#x81;', '\x81'],
  ['no ";" needed for numbers; astral', '&#128512', '\u{1f600}'],
  ['surrogates', '&#xD800;', '\ufffd'],
  ['huge numbers', '&#99999999999999999999;', '\ufffd'],
  ['past U+10FFFF', '&#x110000;', '\ufffd'],
  ['non-characters become nothing', '&#xFFFE;', ''],
  ['"&#;" is no reference', '&#;', '&#;'],
  ['"&#x;" is no reference', '&#x;', '&#x;'],
  ['upper-case legacy name', '&AMP', '&'],
  ['two legacy names back to back', '&lt&gt', '<>'],
  ['long runs are cut at 32 characters and left alone', '&' + 'a'.repeat(40), '&' + 'a'.repeat(40)],
  ['names with two characters', '&NotNestedGreaterGreater;', '\u2aa2\u0338'],
  ['a lone ampersand', 'a & b', 'a & b'],
  ['carriage return', '&#13;', '\r'],
];

for (const [rule, input, expected] of cases) {
  test(`htmlUnescape: ${rule}`, () => assert.equal(htmlUnescape(input), expected));
}
