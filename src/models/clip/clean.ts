/**
 * CLIP's text normalisation before BPE: `whitespace_clean(basic_clean(text)).lower()`, with
 * ftfy's `fix_text` as the identity (ftfy has no JS port; the reference ids were made so).
 * Python's `str.strip`, `str.isspace` and `re`'s `\s` share one whitespace set, which is not
 * JavaScript's: Python adds U+001C..U+001F and U+0085, JavaScript adds U+FEFF.
 */
import { htmlUnescape } from './html-unescape.js';

const PY_SPACE_RUN = /[\t-\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/g; // eslint-disable-line no-control-regex -- U+001C..U+001F are whitespace to Python
/** Anything for the whitespace rule to change: a non-space whitespace, two spaces, or a space at an end. */
const NEEDS_SPACE_RULE = /[\t-\r\x1c-\x1f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]| {2}|^ | $/; // eslint-disable-line no-control-regex -- U+001C..U+001F are whitespace to Python

/** `basic_clean` then `whitespace_clean`: unescape twice, whitespace runs → one space, strip. */
export function clipClean(text: string): string {
  if (text.includes('&')) text = htmlUnescape(htmlUnescape(text));
  if (!NEEDS_SPACE_RULE.test(text)) return text;
  // strip, collapse, strip == collapse then drop a space at either end
  text = text.replace(PY_SPACE_RUN, ' ');
  const start = text.charCodeAt(0) === 32 ? 1 : 0;
  const end = text.length > start && text.charCodeAt(text.length - 1) === 32 ? text.length - 1 : text.length;
  return start === 0 && end === text.length ? text : text.slice(start, end);
}

/** The text BPE sees: cleaned and lower-cased (JavaScript's and Python's full lower-casing agree, final sigma included). */
export function clipNormalize(text: string): string {
  return clipClean(text).toLowerCase();
}
