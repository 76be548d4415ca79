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
