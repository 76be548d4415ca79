/**
 * CLIP's pre-tokenising pattern (Python `regex`, IGNORECASE) in JavaScript. With the `u` flag
 * `\p{L}`/`\p{N}` are Unicode properties and `i` folds case as `regex` does by default (simple
 * folding: `'ſ` matches `'s`). The text is already cleaned, so its only whitespace is ' ':
 * `[^\s…]` is written `[^ …]` because JavaScript's `\s` also holds U+FEFF, which Python's does not.
 */
export const CLIP_PATTERN = /<\|startoftext\|>|<\|endoftext\|>|'s|'t|'re|'ve|'m|'ll|'d|\p{L}+|\p{N}|[^ \p{L}\p{N}]+/giu;
