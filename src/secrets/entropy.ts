/**
 * Does a candidate look random? Shannon entropy alone punishes short strings (a 12-character
 * string can reach at most log2(12) = 3.58 bits per character) and small alphabets (hex tops
 * out at 4 bits), so the test compares a string's entropy with what a random string of the
 * same length over the same alphabet would reach.
 */
import { wordCoverage } from './words.js';

const asciiCounts = new Int32Array(128);

/** Shannon entropy in bits per character over the string's UTF-16 code units. */
export function shannonEntropy(s: string): number {
  if (s.length === 0) return 0;
  let ascii = true;
  for (let i = 0; i < s.length && ascii; i++) ascii = s.charCodeAt(i) < 128;
  if (!ascii) return entropyOfCounts(countUnits(s).values(), s.length);
  // candidates are ASCII: a reused table instead of a Map (this runs on every candidate value)
  const counts = asciiCounts;
  for (let i = 0; i < s.length; i++) counts[s.charCodeAt(i)]++;
  let h = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const n = counts[c];
    if (n === 0) continue;
    const p = n / s.length;
    h -= p * Math.log2(p);
    counts[c] = 0;
  }
  return h;
}

function countUnits(s: string): Map<number, number> {
  const counts = new Map<number, number>();
  for (let i = 0; i < s.length; i++) counts.set(s.charCodeAt(i), (counts.get(s.charCodeAt(i)) ?? 0) + 1);
  return counts;
}

function entropyOfCounts(counts: Iterable<number>, length: number): number {
  let h = 0;
  for (const n of counts) h -= (n / length) * Math.log2(n / length);
  return h;
}

const DIGIT = 1;
const LOWER_HEX = 2;
const LOWER = 4;
const UPPER_HEX = 8;
const UPPER = 16;
const BASE64_PUNCT = 32; // + / = _ . - ~ (base64 and the URL-safe characters)
const OTHER = 64;
const CHAR_CLASS = new Uint8Array(128).map((_, c) => {
  const ch = String.fromCharCode(c);
  if (/[0-9]/.test(ch)) return DIGIT;
  if (/[a-f]/.test(ch)) return LOWER_HEX;
  if (/[g-z]/.test(ch)) return LOWER;
  if (/[A-F]/.test(ch)) return UPPER_HEX;
  if (/[G-Z]/.test(ch)) return UPPER;
  if (/[+/=_.~-]/.test(ch)) return BASE64_PUNCT;
  return OTHER;
});

/** Size of the smallest usual key alphabet the string fits: digits, hex (one case or both), alphanumeric, base64 / URL-safe, printable. */
export function alphabetSize(s: string): number {
  let seen = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    seen |= c < 128 ? CHAR_CLASS[c] : OTHER;
  }
  if (seen & OTHER) return 94;
  if (seen & BASE64_PUNCT) return 66;
  if ((seen & ~DIGIT) === 0) return 10;
  if ((seen & ~(DIGIT | LOWER_HEX)) === 0 || (seen & ~(DIGIT | UPPER_HEX)) === 0) return 16;
  // hex digits of both cases: 22 symbols, where judging against base62 would call a random body repetitive
  if ((seen & ~(DIGIT | LOWER_HEX | UPPER_HEX)) === 0) return 22;
  if ((seen & ~(DIGIT | LOWER_HEX | LOWER)) === 0 || (seen & ~(DIGIT | UPPER_HEX | UPPER)) === 0) return 36;
  return 62;
}

const expected = new Map<number, number>();

/**
 * Mean Shannon entropy of a uniformly random string of length n over k symbols, estimated once
 * per (n, k) from 64 strings of a fixed-seed generator (deterministic, cached; n capped at 256,
 * where the mean is within 0.01 bit of log2(k) − (k−1)/(2n ln 2)).
 */
export function expectedRandomEntropy(n: number, k: number): number {
  const len = Math.min(n, 256);
  const key = len * 1000 + k;
  let e = expected.get(key);
  if (e === undefined) {
    let seed = 0x9e3779b9 ^ key;
    const next = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) >>> 8) % k;
    let sum = 0;
    for (let t = 0; t < 64; t++) sum += shannonEntropy(String.fromCharCode(...Array.from({ length: len }, () => 48 + next())));
    expected.set(key, (e = sum / 64));
  }
  return e;
}

/**
 * Share of case changes between neighbouring letters (`aB`, `Ab`): about one in two in random
 * mixed-case keys, one in five or fewer in camelCase identifiers, none in words.
 */
export function caseSwitchRate(s: string): number {
  let letters = 0;
  let switches = 0;
  let prev = 0; // 1 lower, 2 upper, 0 none yet
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const kind = c >= 97 && c <= 122 ? 1 : c >= 65 && c <= 90 ? 2 : 0;
    if (kind === 0) continue;
    if (prev !== 0 && kind !== prev) switches++;
    prev = kind;
    letters++;
  }
  return letters < 2 ? 0 : switches / (letters - 1);
}

/**
 * Whether a candidate reads as a random key (The Stack v2: "a key must look random and be longer
 * than 8"): at least `minLength` (9) characters; Shannon entropy at least `ratio` (0.85) of the
 * mean a uniformly random string of its length and alphabet reaches (random 40-character
 * base64 keys score about 1.0, `abcd1234abcd1234...` 0.79); under half of it dictionary words
 * (words.ts; hex has too few letters to spell any); and, over an alphabet wider than hex, a
 * digit or case changes as frequent as a random mixed-case string's (a third of neighbouring
 * letters or more). A random 12-character alphanumeric string lacks a digit with probability
 * 0.12, a 20-character one 0.03, and a mixed-case one has the case changes, while words and
 * identifiers (`Credential`, `prettyToken`, `punctuator`) have neither.
 *
 * Separators (`-`, `_`, `.`, `~`) between random parts are structure, not randomness: when the rest
 * fits a smaller alphabet (`v1.0-ff0a…-6f0a…` is hex) it is judged without them.
 */
export function looksRandom(s: string, ratio = 0.85, minLength = 9): boolean {
  if (s.length < minLength) return false;
  const bare = /[-_.~]/.test(s) ? s.replace(/[-_.~]+/g, '') : s;
  const v = bare.length >= minLength && alphabetSize(bare) < alphabetSize(s) ? bare : s;
  const k = alphabetSize(v);
  if (shannonEntropy(v) < ratio * expectedRandomEntropy(v.length, k)) return false;
  if (k > 16 && wordCoverage(s) >= 0.5) return false; // the separators cut words apart
  if (k > 16 && !/[0-9]/.test(v) && caseSwitchRate(v) < 1 / 3) return false;
  return true;
}

/**
 * Letters of one case, `minLength` (16) or more, with the spread of a random string and no words
 * (`qzkvmbxtrwplhcnd`): looksRandom asks a digit or case changes of them, which such a key lacks.
 * For values a name or a header already calls a secret: the word test is too costly for every
 * nameless literal.
 */
export function oneCaseRandom(s: string, minLength = 16): boolean {
  if (s.length < minLength || !(/^[a-z]+$/.test(s) || /^[A-Z]+$/.test(s))) return false;
  return shannonEntropy(s) >= 0.85 * expectedRandomEntropy(s.length, 26) && wordCoverage(s) < 0.3;
}

/**
 * Letters of both cases alone, 16 or more, with case changes between a quarter of neighbouring
 * letters or more, a random string's spread and no words (`oyRUTLLKOXySxsxsrODFyVGV`): one random
 * string of letters in eight has fewer case changes than looksRandom's third. For values a name
 * already calls a key; identifiers with as many case changes (`XMLHttpRequestUpload`) are words.
 */
export function mixedCaseRandom(s: string): boolean {
  if (s.length < 16 || !/^[A-Za-z]+$/.test(s) || caseSwitchRate(s) < 0.25) return false;
  return shannonEntropy(s) >= 0.85 * expectedRandomEntropy(s.length, 52) && wordCoverage(s) < 0.2;
}
