import { latin1Bytes } from './latin1.js';

/**
 * Line and character statistics of a text, as The Stack v2's file filters use them. Lengths
 * are in UTF-16 code units (what JavaScript counts; characters for all but astral text).
 */
export interface TextStats {
  /** Number of lines: line breaks (LF, CRLF, lone CR), plus one for a last line without one. */
  lines: number;
  maxLineLength: number;
  /** Characters outside line breaks divided by lines; 0 for empty content. */
  meanLineLength: number;
  /** Unicode letters / all UTF-16 code units; 0 for empty content. */
  alphaFraction: number;
  hasNul: boolean;
}

/** 0 = not yet known, 1 = letter, 2 = not a letter; for BMP code units. */
const letterCache = new Uint8Array(65536);
const LETTER = /^\p{L}$/u;
const astralLetters = new Map<number, boolean>();

function isBmpLetter(c: number): boolean {
  let k = letterCache[c];
  if (k === 0) {
    k = LETTER.test(String.fromCharCode(c)) ? 1 : 2;
    letterCache[c] = k;
  }
  return k === 1;
}

function isAstralLetter(cp: number): boolean {
  let isL = astralLetters.get(cp);
  if (isL === undefined) {
    isL = LETTER.test(String.fromCodePoint(cp));
    astralLetters.set(cp, isL);
  }
  return isL;
}

/** Letters among the 256 Latin-1 code units (ASCII letters, ª µ º, À–ÿ but × ÷). */
const LATIN1_LETTER: Uint8Array = (() => {
  const t = new Uint8Array(256);
  for (let c = 0; c < 256; c++) t[c] = isBmpLetter(c) ? 1 : 0;
  return t;
})();

/** Letters in a text whose code units are all below 256, counted over its bytes. */
function latin1Letters(bytes: Uint8Array): number {
  let alpha = 0;
  for (let i = 0; i < bytes.length; i++) alpha += LATIN1_LETTER[bytes[i]];
  return alpha;
}

/** Letters in any text: a surrogate pair that is a letter counts its two code units. */
function anyLetters(text: string): number {
  let alpha = 0;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c < 256) alpha += LATIN1_LETTER[c];
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < n) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        if (isAstralLetter(((c - 0xd800) << 10) + (d - 0xdc00) + 0x10000)) alpha += 2;
        i++;
      } else if (isBmpLetter(c)) alpha++;
    } else if (isBmpLetter(c)) alpha++;
  }
  return alpha;
}

/** Line count and lengths; `\n` found natively when the text holds no `\r` (almost always). */
function lineShape(text: string): { lines: number; maxLen: number; breaks: number } {
  const n = text.length;
  let lines = 0;
  let maxLen = 0;
  let breaks = 0; // code units that are line breaks
  if (text.indexOf('\r') < 0) {
    let start = 0;
    for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
      if (nl - start > maxLen) maxLen = nl - start;
      lines++;
      start = nl + 1;
    }
    breaks = lines;
    if (start < n) {
      lines++;
      if (n - start > maxLen) maxLen = n - start;
    }
    return { lines, maxLen, breaks };
  }
  let lineLen = 0;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13) {
      breaks++;
      if (c === 13 && i + 1 < n && text.charCodeAt(i + 1) === 10) {
        i++;
        breaks++;
      }
      lines++;
      if (lineLen > maxLen) maxLen = lineLen;
      lineLen = 0;
    } else lineLen++;
  }
  if (lineLen > 0) {
    lines++;
    if (lineLen > maxLen) maxLen = lineLen;
  }
  return { lines, maxLen, breaks };
}

/** The statistics of `text`: line shape from native searches, letters from one typed loop. */
export function textStats(text: string): TextStats {
  const n = text.length;
  const { lines, maxLen, breaks } = lineShape(text);
  const bytes = latin1Bytes(text);
  const alpha = bytes ? latin1Letters(bytes) : anyLetters(text);
  return {
    lines,
    maxLineLength: maxLen,
    meanLineLength: lines > 0 ? (n - breaks) / lines : 0,
    alphaFraction: n > 0 ? alpha / n : 0,
    hasNul: text.indexOf('\0') >= 0,
  };
}
