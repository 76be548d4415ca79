/**
 * How a metadata entry becomes the string the matcher looks for: MetaCLIP 1 pads every entry
 * with a space on both sides; MetaCLIP 2 leaves an end unpadded when its character belongs to a
 * script written without spaces, or is punctuation.
 */

/**
 * `metaclip1`: every entry padded with a space on both sides (MetaCLIP 1, English).
 * `metaclip2`: an end of the entry is not padded when its character is of a script written
 * without spaces or is punctuation (MetaCLIP 2 `get_spaced_metadata`).
 */
export type PaddingRule = 'metaclip1' | 'metaclip2';

export interface MatcherOptions {
  /** default `metaclip1` */
  padding?: PaddingRule;
}

/** ASCII punctuation as in Python's `string.punctuation`. */
const ASCII_PUNCTUATION = '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~';

/** MetaCLIP 2's `additional_punctuation` (full-width and CJK punctuation). */
const ADDITIONAL_PUNCTUATION = '，。、；：？！“”‘’（）【】《》〈〉「」『』～—';

const PUNCTUATION_CODE_POINTS: ReadonlySet<number> = new Set([...(ASCII_PUNCTUATION + ADDITIONAL_PUNCTUATION)].map((c) => c.codePointAt(0) as number));

/**
 * MetaCLIP 2's `is_cjk_or_similar`, code point ranges copied from the reference
 * (metaclip/curation/substr_matching.py): CJK unified ideographs and extensions A-F,
 * compatibility ideographs, CJK radicals, Kangxi radicals, ideographic description
 * characters; Thai, Lao, Myanmar, Khmer, Tibetan; and punctuation.
 *
 * Note the reference does NOT list Hiragana/Katakana (U+3040-U+30FF) or Hangul: a Japanese
 * entry ending in kana is padded with a space. We keep the reference's ranges so counts match.
 */
export function isUnpaddedCodePoint(cp: number): boolean {
  return (
    (cp >= 0x4e00 && cp <= 0x9fff) ||
    (cp >= 0x3400 && cp <= 0x4dbf) ||
    (cp >= 0x20000 && cp <= 0x2a6df) ||
    (cp >= 0x2a700 && cp <= 0x2b73f) ||
    (cp >= 0x2b740 && cp <= 0x2b81f) ||
    (cp >= 0x2b820 && cp <= 0x2ceaf) ||
    (cp >= 0x2ceb0 && cp <= 0x2ebef) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0x2e80 && cp <= 0x2eff) ||
    (cp >= 0x2f00 && cp <= 0x2fdf) ||
    (cp >= 0x2ff0 && cp <= 0x2fff) ||
    (cp >= 0x0e00 && cp <= 0x0e7f) || // Thai
    (cp >= 0x0e80 && cp <= 0x0eff) || // Lao
    (cp >= 0x1000 && cp <= 0x109f) || // Myanmar
    (cp >= 0x1780 && cp <= 0x17ff) || // Khmer
    (cp >= 0x0f00 && cp <= 0x0fff) || // Tibetan
    PUNCTUATION_CODE_POINTS.has(cp)
  );
}

function lastCodePoint(s: string): number {
  const last = s.charCodeAt(s.length - 1);
  if (last >= 0xdc00 && last <= 0xdfff && s.length >= 2) {
    const high = s.charCodeAt(s.length - 2);
    if (high >= 0xd800 && high <= 0xdbff) return ((high - 0xd800) << 10) + (last - 0xdc00) + 0x10000;
  }
  return last;
}

/** The string the matcher looks for in `spacing(text)` for one entry. */
export function paddedKey(entry: string, padding: PaddingRule = 'metaclip1'): string {
  if (padding === 'metaclip1') return ` ${entry} `;
  if (entry.length === 0) {
    throw new RangeError('empty metadata entry: with MetaCLIP 2 padding it has no end to pad (the reference fails on it too)');
  }
  const head = isUnpaddedCodePoint(entry.codePointAt(0) as number) ? '' : ' ';
  const tail = isUnpaddedCodePoint(lastCodePoint(entry)) ? '' : ' ';
  return head + entry + tail;
}
