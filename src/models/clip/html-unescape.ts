/**
 * Python's `html.unescape` (3.11), which CLIP's `basic_clean` applies twice. The named
 * references are the HTML5 table: `character-entities` (every name, with `;`) plus
 * `character-entities-legacy` (the names also valid without `;`) hold exactly the 2,231 keys of
 * Python's `html.entities.html5`. Numeric references follow Python's rules, which differ from
 * browsers' (and the `entities` package's) for control characters: Python drops them.
 */
import { characterEntities } from 'character-entities';
import { characterEntitiesLegacy } from 'character-entities-legacy';

let table: Map<string, string> | undefined;

/** Python's `html5` dict: "amp;" → "&" for every name, "amp" → "&" for the legacy ones. */
function html5(): Map<string, string> {
  if (table) return table;
  table = new Map();
  for (const [name, value] of Object.entries(characterEntities)) table.set(name + ';', value);
  for (const name of characterEntitiesLegacy) table.set(name, characterEntities[name]);
  return table;
}

/** `_invalid_charrefs`: the references browsers map through windows-1252, and 0x00 and 0x0d. */
const INVALID_CHARREFS = new Map<number, string>([
  [0x00, '\ufffd'],
  [0x0d, '\r'],
  [0x80, '\u20ac'],
  [0x81, '\x81'],
  [0x82, '\u201a'],
  [0x83, '\u0192'],
  [0x84, '\u201e'],
  [0x85, '\u2026'],
  [0x86, '\u2020'],
  [0x87, '\u2021'],
  [0x88, '\u02c6'],
  [0x89, '\u2030'],
  [0x8a, '\u0160'],
  [0x8b, '\u2039'],
  [0x8c, '\u0152'],
  [0x8d, '\x8d'],
  [0x8e, '\u017d'],
  [0x8f, '\x8f'],
  [0x90, '\x90'],
  [0x91, '\u2018'],
  [0x92, '\u2019'],
  [0x93, '\u201c'],
  [0x94, '\u201d'],
  [0x95, '\u2022'],
  [0x96, '\u2013'],
  [0x97, '\u2014'],
  [0x98, '\u02dc'],
  [0x99, '\u2122'],
  [0x9a, '\u0161'],
  [0x9b, '\u203a'],
  [0x9c, '\u0153'],
  [0x9d, '\x9d'],
  [0x9e, '\u017e'],
  [0x9f, '\u0178'],
]);

/** `_invalid_codepoints`: references to these become the empty string. */
function isInvalidCodepoint(n: number): boolean {
  return (n >= 0x1 && n <= 0x8) || n === 0xb || (n >= 0xe && n <= 0x1f) || (n >= 0x7f && n <= 0x9f) || (n >= 0xfdd0 && n <= 0xfdef) || (n & 0xfffe) === 0xfffe;
}

function numericReference(digits: string, radix: number): string {
  // Python's int() has no limit; past 0x10FFFF the answer is U+FFFD whatever the size, so
  // saturating (parseInt gives a huge finite number or Infinity) gives the same result.
  const n = parseInt(digits, radix);
  const invalid = INVALID_CHARREFS.get(n);
  if (invalid !== undefined) return invalid;
  if ((n >= 0xd800 && n <= 0xdfff) || n > 0x10ffff) return '\ufffd';
  if (isInvalidCodepoint(n)) return '';
  return String.fromCodePoint(n);
}

function namedReference(s: string): string {
  const names = html5();
  const whole = names.get(s);
  if (whole !== undefined) return whole;
  // the longest name that is a prefix (only the legacy names, without ';', can be)
  const cps = Array.from(s);
  for (let x = cps.length - 1; x > 1; x--) {
    const prefix = cps.slice(0, x).join('');
    const v = names.get(prefix);
    if (v !== undefined) return v + cps.slice(x).join('');
  }
  return '&' + s;
}

/** Python's `_charref`; the `u` flag so `{1,32}` counts code points as Python does. */
const CHARREF = /&(#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[^\t\n\f <&#;]{1,32};?)/gu;

function replaceCharref(_match: string, s: string): string {
  if (s[0] === '#') {
    const hex = s[1] === 'x' || s[1] === 'X';
    const digits = s.slice(hex ? 2 : 1).replace(/;$/, '');
    return numericReference(digits, hex ? 16 : 10);
  }
  return namedReference(s);
}

/** Python's `html.unescape(s)`. */
export function htmlUnescape(s: string): string {
  if (!s.includes('&')) return s;
  return s.replace(CHARREF, replaceCharref);
}
