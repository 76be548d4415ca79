/**
 * Does a candidate look random? Shannon entropy alone punishes short strings (a 12-character
 * string can reach at most log2(12) = 3.58 bits per character) and small alphabets (hex tops
 * out at 4 bits), so the test compares a string's entropy with what a random string of the
 * same length over the same alphabet would reach.
 */

/** Shannon entropy in bits per character over the string's UTF-16 code units. */
export function shannonEntropy(s: string): number {
  if (s.length === 0) return 0;
  const counts = new Map<number, number>();
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    counts.set(c, (counts.get(c) ?? 0) + 1);
  }
  let h = 0;
  for (const n of counts.values()) {
    const p = n / s.length;
    h -= p * Math.log2(p);
  }
  return h;
}

/** Size of the smallest usual key alphabet the string fits: digits, hex, alphanumeric, base64 / URL-safe, printable. */
export function alphabetSize(s: string): number {
  if (/^[0-9]+$/.test(s)) return 10;
  if (/^[0-9a-f]+$/.test(s) || /^[0-9A-F]+$/.test(s)) return 16;
  if (/^[a-z0-9]+$/.test(s) || /^[A-Z0-9]+$/.test(s)) return 36;
  if (/^[A-Za-z0-9]+$/.test(s)) return 62;
  if (/^[A-Za-z0-9+/=_.-]+$/.test(s)) return 66;
  return 94;
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
 * Share of the string covered by pronounceable letter runs (camelCase or snake_case words:
 * three or more letters with at least one vowel in four). Identifiers (`getElementById`,
 * `XMLHttpRequestUpload`) and phrases are mostly words; random keys are not.
 *
 * `strict` counts only runs of four or more letters with no four consonants in a row: random
 * base62 strings form the looser runs (`Jxo`, `Wodlez`) often enough that by a count over random
 * strings one 32-character key in five read as a quarter words or more (one in thirty when
 * strict), while identifiers stay at half words or more (`getElementById` 0.5). Used where the
 * string has other context already (a provider-style prefix); the loose count stays where a
 * value has nothing else to go by, which keeps the flags on ordinary code down.
 */
export function wordCoverage(s: string, strict = false): number {
  let covered = 0;
  const min = strict ? 4 : 3;
  for (const m of s.matchAll(/[A-Z]?[a-z]{2,}|[A-Z]{3,}(?![a-z])/g)) {
    const w = m[0];
    const vowels = w.replace(/[^aeiouAEIOU]/g, '').length;
    if (w.length >= min && vowels >= 1 && vowels * 4 >= w.length && !(strict && /[^aeiouy]{4}/i.test(w))) covered += w.length;
  }
  return s.length === 0 ? 0 : covered / s.length;
}

/**
 * Whether a candidate reads as a random key (The Stack v2: "a key must look random and be longer
 * than 8"): at least `minLength` (9) characters; Shannon entropy at least `ratio` (0.85) of the
 * mean a uniformly random string of its length and alphabet reaches (random 40-character
 * base64 keys score about 1.0, `abcd1234abcd1234...` 0.79); under half of it pronounceable words;
 * and, from 12 characters on over an alphabet wider than hex, at least one digit (a random
 * 12-character alphanumeric string lacks one with probability 0.12, a 20-character one 0.03,
 * while identifiers and phrases almost always do).
 */
export function looksRandom(s: string, ratio = 0.85, minLength = 9): boolean {
  if (s.length < minLength) return false;
  const k = alphabetSize(s);
  if (shannonEntropy(s) < ratio * expectedRandomEntropy(s.length, k)) return false;
  if (k > 16 && wordCoverage(s) >= 0.5) return false;
  if (k > 16 && s.length >= 12 && !/[0-9]/.test(s)) return false;
  return true;
}
