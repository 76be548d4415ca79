/**
 * CLIP's pre-tokenising pattern (Python `regex`, IGNORECASE) in JavaScript, checked code point
 * by code point against `regex` 2026.5.9. The text is already lower-cased, so IGNORECASE only
 * matters where case folding reaches past ASCII, and there `regex` and JavaScript's `iu` differ:
 * `regex` folds the literals (`'ſ` is a match for `'s`, `<|ſtartoftext|>` one token) but not
 * the property classes, where JavaScript's `i` would (U+0345, which folds to ι, becomes a letter).
 * In `regex` U+0345 matches no branch and is dropped like a space. Hence no `i` flag, ſ written
 * out beside s (the only lower-case letter of these literals with another simple case fold), and
 * U+0345 out of the last class. The text's only whitespace is ' ' after cleaning: `[^\s…]` is written
 * `[^ …]` because JavaScript's `\s` also holds U+FEFF, which Python's does not.
 */
export const CLIP_PATTERN = /<\|[sſ]tartoftext\|>|<\|endoftext\|>|'[sſ]|'t|'re|'ve|'m|'ll|'d|\p{L}+|\p{N}|[^ \p{L}\p{N}\u0345]+/gu;

const ASCII_ONLY = /^[\x00-\x7f]*$/; // eslint-disable-line no-control-regex -- the whole ASCII range

/** ASCII classes of the pattern: 1 letter, 2 digit, 3 space, 0 anything else. */
const ASCII_CLASS: Uint8Array = (() => {
  const t = new Uint8Array(128);
  for (let c = 0x61; c <= 0x7a; c++) t[c] = 1;
  for (let c = 0x41; c <= 0x5a; c++) t[c] = 1;
  for (let c = 0x30; c <= 0x39; c++) t[c] = 2;
  t[0x20] = 3;
  return t;
})();

/** Length of the contraction (`'s`, `'t`, `'re`, `'ve`, `'m`, `'ll`, `'d`) at i (an apostrophe), or 0. */
function contractionAt(s: string, i: number): number {
  const a = s.charCodeAt(i + 1);
  if (a === 0x73 || a === 0x74 || a === 0x6d || a === 0x64) return 2; // s t m d
  const b = s.charCodeAt(i + 2);
  if ((a === 0x72 || a === 0x76) && b === 0x65) return 3; // re ve
  if (a === 0x6c && b === 0x6c) return 3; // ll
  return 0;
}

/**
 * Calls `word` for each match of CLIP_PATTERN in `text` (cleaned and lower-cased), in order.
 * ASCII texts (most captions) are scanned by hand, without a match object per word; others go
 * through the pattern. Both give the same words (the reference and random-text tests run both).
 */
export function forEachWord(text: string, word: (w: string) => void): void {
  if (!ASCII_ONLY.test(text)) {
    const pattern = CLIP_PATTERN;
    pattern.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = pattern.exec(text)) !== null) word(m[0]);
    return;
  }
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    const cls = ASCII_CLASS[c];
    if (cls === 3) {
      i++;
      continue;
    }
    const start = i;
    if (cls === 1) {
      do i++;
      while (i < n && ASCII_CLASS[text.charCodeAt(i)] === 1);
    } else if (cls === 2) i++;
    else {
      let special = 0;
      if (c === 0x3c) special = text.startsWith('<|startoftext|>', i) ? 15 : text.startsWith('<|endoftext|>', i) ? 13 : 0;
      else if (c === 0x27) special = contractionAt(text, i);
      if (special > 0) i += special;
      else {
        do i++;
        while (i < n && ASCII_CLASS[text.charCodeAt(i)] === 0);
      }
    }
    word(text.slice(start, i));
  }
}
