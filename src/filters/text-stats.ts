import { latin1Bytes } from './latin1.js';

/**
 * Line and character statistics of a text, as The Stack v2's file filters use them. Lengths
 * count code points (Python's `len`, which BigCode's tooling used): an emoji is one character,
 * not two UTF-16 units. A line ends at LF, CRLF or a lone CR, everywhere in thresher (see
 * lines.ts).
 */
export interface TextStats {
  /** Number of lines: line breaks, plus one for a last line without one. */
  lines: number;
  /** Longest line in code points, its line break excluded. */
  maxLineLength: number;
  /** Code points outside line breaks divided by lines; 0 for empty content. */
  meanLineLength: number;
  /** Letters (Unicode category L, Python's `isalpha`) / code points; 0 for empty content. */
  alphaFraction: number;
  /** Letters and numbers (categories L and N, Python's `isalnum`) / code points; 0 for empty content. */
  alnumFraction: number;
  hasNul: boolean;
  codePoints: number;
}

const LETTER = /^\p{L}$/u;
const NUMBER = /^\p{N}$/u;
/** Per BMP code unit: 0 = not yet known, else 1 + (letter ? 1 : 0) + (number ? 2 : 0). */
const bmpClass = new Uint8Array(65536);
const astralClass = new Map<number, number>();

function classOf(ch: string): number {
  return 1 + (LETTER.test(ch) ? 1 : 0) + (NUMBER.test(ch) ? 2 : 0);
}

function bmp(c: number): number {
  let k = bmpClass[c];
  if (k === 0) bmpClass[c] = k = classOf(String.fromCharCode(c));
  return k;
}

function astral(cp: number): number {
  let k = astralClass.get(cp);
  if (k === undefined) astralClass.set(cp, (k = classOf(String.fromCodePoint(cp))));
  return k;
}

/** Class bits of the 256 Latin-1 code units: 1 letter, 2 number (digits, ¹ ² ³ ¼ ½ ¾). */
const LATIN1: Uint8Array = (() => {
  const t = new Uint8Array(256);
  for (let c = 0; c < 256; c++) t[c] = bmp(c) - 1;
  return t;
})();

interface Counts {
  letters: number;
  alnum: number;
}

/** Letters (bit 0) and letters-or-numbers (any bit) of one Latin-1 byte, added to `c`. */
function countByte(c: Counts, b: number): void {
  const k = LATIN1[b];
  c.letters += k & 1;
  c.alnum += k === 0 ? 0 : 1;
}

/** The number of set high bits (0x80 of each byte) of a 32-bit mask. */
const highBits = (m: number) => Math.imul(m >>> 7, 0x01010101) >>> 24;

/**
 * Letters and letters-or-numbers of a Latin-1 text, over its bytes (code points = bytes). Four
 * ASCII bytes are classified at once (SWAR: each byte compared against the ends of `a-z` after
 * folding case, and of `0-9`, by adding an offset that sets its high bit); a word holding a byte
 * over 0x7f takes the table, as do the last bytes.
 */
function latin1Counts(bytes: Uint8Array): Counts {
  const c: Counts = { letters: 0, alnum: 0 };
  let i = 0;
  if (bytes.byteOffset % 4 === 0) {
    const words = new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.length >>> 2);
    let letters = 0;
    let digits = 0;
    for (let k = 0; k < words.length; k++) {
      const w = words[k];
      if ((w & 0x80808080) !== 0) {
        for (let j = 4 * k; j < 4 * k + 4; j++) countByte(c, bytes[j]);
        continue;
      }
      const x = w | 0x20202020; // A-Z → a-z; '@', '[' .. '_' land on '`', '{' .. 0x7f
      letters += highBits((x + 0x1f1f1f1f) & ~(x + 0x05050505) & 0x80808080); // 0x61 ≤ byte < 0x7b
      digits += highBits((w + 0x50505050) & ~(w + 0x46464646) & 0x80808080); // 0x30 ≤ byte < 0x3a
    }
    c.letters += letters;
    c.alnum += letters + digits;
    i = words.length * 4;
  }
  for (; i < bytes.length; i++) countByte(c, bytes[i]);
  return c;
}

interface Shape {
  lines: number;
  maxLen: number;
  /** code points that are line breaks (CRLF is two) */
  breaks: number;
}

/** Line count and lengths of a text whose code units are code points; `\n` found natively when there is no `\r`. */
function unitLineShape(text: string): Shape {
  const n = text.length;
  let lines = 0;
  let maxLen = 0;
  if (text.indexOf('\r') < 0) {
    let start = 0;
    for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
      if (nl - start > maxLen) maxLen = nl - start;
      lines++;
      start = nl + 1;
    }
    const breaks = lines;
    if (start < n) {
      lines++;
      if (n - start > maxLen) maxLen = n - start;
    }
    return { lines, maxLen, breaks };
  }
  return codePointScan(text, false).shape;
}

/** One pass over code points: line shape, and (when asked) letters and numbers. */
function codePointScan(text: string, count: boolean): { shape: Shape; counts: Counts; codePoints: number } {
  const n = text.length;
  let lines = 0;
  let maxLen = 0;
  let breaks = 0;
  let lineLen = 0;
  let letters = 0;
  let alnum = 0;
  let codePoints = 0;
  for (let i = 0; i < n; i++) {
    let c = text.charCodeAt(i);
    codePoints++;
    if (c === 10 || c === 13) {
      breaks++;
      if (c === 13 && i + 1 < n && text.charCodeAt(i + 1) === 10) {
        i++;
        breaks++;
        codePoints++;
      }
      lines++;
      if (lineLen > maxLen) maxLen = lineLen;
      lineLen = 0;
      continue;
    }
    lineLen++;
    if (!count) continue;
    let k: number;
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < n && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      c = ((c - 0xd800) << 10) + (text.charCodeAt(++i) - 0xdc00) + 0x10000;
      k = astral(c) - 1;
    } else k = c < 256 ? LATIN1[c] : bmp(c) - 1;
    letters += k & 1;
    alnum += k === 0 ? 0 : 1;
  }
  if (lineLen > 0) {
    lines++;
    if (lineLen > maxLen) maxLen = lineLen;
  }
  return { shape: { lines, maxLen, breaks }, counts: { letters, alnum }, codePoints };
}

/** The statistics of `text`: Latin-1 texts by native searches and a byte loop, others in one code point pass. */
export function textStats(text: string): TextStats {
  const bytes = latin1Bytes(text);
  let shape: Shape;
  let counts: Counts;
  let codePoints: number;
  if (bytes) {
    shape = unitLineShape(text);
    counts = latin1Counts(bytes);
    codePoints = text.length;
  } else {
    ({ shape, counts, codePoints } = codePointScan(text, true));
  }
  return {
    lines: shape.lines,
    maxLineLength: shape.maxLen,
    meanLineLength: shape.lines > 0 ? (codePoints - shape.breaks) / shape.lines : 0,
    alphaFraction: codePoints > 0 ? counts.letters / codePoints : 0,
    alnumFraction: codePoints > 0 ? counts.alnum / codePoints : 0,
    hasNul: text.indexOf('\0') >= 0,
    codePoints,
  };
}
