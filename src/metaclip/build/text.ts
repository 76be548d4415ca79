/**
 * Text rules of MetaCLIP 2's metadata build (facebookresearch/MetaCLIP
 * metaclip/metadata/build_metadata.py and build_ngram.py): what counts as punctuation, which
 * strings may be entries, how Wikipedia text splits into tokens.
 */
import { isUnpaddedCodePoint } from '../automaton.js';
import { isPythonSpace, pythonStrip } from '../spacing.js';

/** Languages written without spaces between words: bigrams are joined without one. */
export const NO_SPACE_LANGUAGES: ReadonlySet<string> = new Set(['bo', 'dz', 'ja', 'km', 'lo', 'my', 'ryu', 'th', 'zh', 'zh_classical', 'zh_yue']);

/** Longest entry kept, in code points (the reference's `max_len`). */
export const MAX_ENTRY_LENGTH = 256;

const ASCII_PUNCTUATION = '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~';
/** The build scripts' `additional_punctuation`: the matcher's list plus "¿". */
const BUILD_ADDITIONAL_PUNCTUATION = '，。、；：？¿！“”‘’（）【】《》〈〉「」『』～—';
const PUNCTUATION: ReadonlySet<string> = new Set([...(ASCII_PUNCTUATION + BUILD_ADDITIONAL_PUNCTUATION)]);

export function isPunctuation(char: string): boolean {
  return PUNCTUATION.has(char);
}

/** Every character is punctuation (true for "" too, as the reference's loop). */
export function isPurePunctuation(s: string): boolean {
  for (const c of s) if (!PUNCTUATION.has(c)) return false;
  return true;
}

function codePointLength(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const u = s.charCodeAt(i);
    if (u < 0xdc00 || u > 0xdfff || i === 0 || s.charCodeAt(i - 1) < 0xd800 || s.charCodeAt(i - 1) > 0xdbff) n++;
  }
  return n;
}

/**
 * A candidate as the reference admits it: stripped; empty, over-long or all-punctuation → null.
 * (The reference checks the length of Wikipedia candidates only: WordNet passes Infinity.)
 */
export function cleanEntry(candidate: string, maxLength = MAX_ENTRY_LENGTH): string | null {
  const m = pythonStrip(candidate);
  if (m.length === 0 || (m.length > maxLength && codePointLength(m) > maxLength) || isPurePunctuation(m)) return null;
  return m;
}

/** build_ngram's `is_cjk_or_similar`: the matcher's rule, with the build's punctuation (adds "¿"). */
function isCjkOrSimilar(cp: number): boolean {
  return isUnpaddedCodePoint(cp) || cp === 0xbf;
}

/**
 * build_ngram's `simple_tokenizer` for languages written with spaces: split on whitespace, and
 * every CJK/Thai-type or punctuation character is a token of its own ("dog," → "dog", ",").
 */
export function simpleTokens(text: string, out: string[] = []): string[] {
  let start = -1;
  let i = 0;
  while (i < text.length) {
    const cp = text.codePointAt(i) as number;
    const width = cp > 0xffff ? 2 : 1;
    if (isCjkOrSimilar(cp)) {
      if (start >= 0) out.push(text.slice(start, i));
      start = -1;
      out.push(text.slice(i, i + width));
    } else if (width === 1 && isPythonSpace(cp)) {
      if (start >= 0) out.push(text.slice(start, i));
      start = -1;
    } else if (start < 0) {
      start = i;
    }
    i += width;
  }
  if (start >= 0) out.push(text.slice(start));
  return out;
}

/** Python's `str.split()` with no argument: runs of whitespace separate, none kept. */
export function pythonSplit(text: string): string[] {
  const out: string[] = [];
  let start = -1;
  for (let i = 0; i < text.length; i++) {
    if (isPythonSpace(text.charCodeAt(i))) {
      if (start >= 0) out.push(text.slice(start, i));
      start = -1;
    } else if (start < 0) start = i;
  }
  if (start >= 0) out.push(text.slice(start));
  return out;
}

const HTML_TAG = /&lt;.*?&gt;|<.*?>/g;

/** build_ngram's `remove_html_tags` (WikiExtractor output keeps `<doc ...>` lines and some tags). */
export function removeHtmlTags(text: string): string {
  return text.replace(HTML_TAG, '');
}

const PAIRED_PUNCTUATION: readonly (readonly [string, string])[] = [
  ['(', ')'],
  ['[', ']'],
  ['{', '}'],
  ['“', '”'],
  ['‘', '’'],
  ['（', '）'],
  ['【', '】'],
  ['《', '》'],
  ['〈', '〉'],
  ['「', '」'],
  // the reference writes this pair with a space after 『; kept so counts agree
  ['『 ', '』'],
];

/** build_ngram's `check_weird_token`: starts with punctuation, or holds half of a bracket pair. */
export function isWeirdToken(token: string): boolean {
  if (isPunctuation(String.fromCodePoint(token.codePointAt(0) as number))) return true;
  return PAIRED_PUNCTUATION.some(([open, close]) => token.includes(open) !== token.includes(close));
}
