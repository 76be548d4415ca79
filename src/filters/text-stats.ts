import { isLatin1, latin1Copy } from './latin1.js';

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
  return codePointScan(utf16(text), false).shape;
}

/** Per BMP code unit: 0 = not yet known, else 4 | letter | (letter or number) << 1. */
const shareBits = new Uint8Array(65536);
/** A class of `bmp`/`astral` (1 + letter + 2·number) as share bits. */
const shareBitsOf = (k: number) => 4 | ((k - 1) & 1) | (k > 1 ? 2 : 0);

let units16 = Buffer.allocUnsafeSlow(1 << 17); // its own ArrayBuffer at offset 0, so a Uint16Array view fits

/**
 * The text's UTF-16 code units, copied natively into a reused buffer: the scan below loops over a
 * typed array, much faster than charCodeAt. Valid until the next call.
 */
function utf16(text: string): Uint16Array {
  if (units16.length < 2 * text.length) units16 = Buffer.allocUnsafeSlow(Math.max(2 * text.length, 2 * units16.length));
  units16.write(text, 0, 'utf16le');
  return new Uint16Array(units16.buffer, 0, text.length);
}

/** One pass over code points: line shape, and (when asked) letters and numbers. */
function codePointScan(units: Uint16Array, count: boolean): { shape: Shape; counts: Counts; codePoints: number } {
  const n = units.length;
  let lines = 0;
  let maxLen = 0;
  let breaks = 0;
  let lineLen = 0;
  let letters = 0;
  let alnum = 0;
  let codePoints = 0;
  for (let i = 0; i < n; i++) {
    let c = units[i];
    codePoints++;
    if (c === 10 || c === 13) {
      breaks++;
      if (c === 13 && i + 1 < n && units[i + 1] === 10) {
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
    let v: number;
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < n && (units[i + 1] & 0xfc00) === 0xdc00) {
      c = ((c - 0xd800) << 10) + (units[++i] - 0xdc00) + 0x10000;
      v = shareBitsOf(astral(c));
    } else {
      v = shareBits[c];
      if (v === 0) v = shareBits[c] = shareBitsOf(bmp(c));
    }
    // adds without a branch on the class: code mixes letters, digits and punctuation at random
    letters += v & 1;
    alnum += (v >> 1) & 1;
  }
  if (lineLen > 0) {
    lines++;
    if (lineLen > maxLen) maxLen = lineLen;
  }
  return { shape: { lines, maxLen, breaks }, counts: { letters, alnum }, codePoints };
}

/** Line count and lengths, code points and NUL: what every file's verdict needs. */
export type LineStats = Pick<TextStats, 'lines' | 'maxLineLength' | 'meanLineLength' | 'hasNul' | 'codePoints'>;
export type LetterShares = Pick<TextStats, 'alphaFraction' | 'alnumFraction'>;

const SURROGATE = /[\ud800-\udfff]/;

/**
 * A text's line statistics, and its letter shares on demand. Texts without surrogates (nearly
 * all) get their lines by native searches and their letters only when asked: Latin-1 ones by a
 * byte loop, others by a pass over their code units. Texts with surrogates take that pass for both.
 */
export function measureText(text: string): { lines: LineStats; shares(): LetterShares } {
  let shape: Shape;
  let codePoints: number;
  let counts: Counts | undefined;
  const latin1 = isLatin1(text);
  // without surrogates code units are code points: lines by native searches, letters when asked
  const units = latin1 || !SURROGATE.test(text);
  if (units) {
    shape = unitLineShape(text);
    codePoints = text.length;
  } else ({ shape, counts, codePoints } = codePointScan(utf16(text), true));
  const lines: LineStats = {
    lines: shape.lines,
    maxLineLength: shape.maxLen,
    meanLineLength: shape.lines > 0 ? (codePoints - shape.breaks) / shape.lines : 0,
    hasNul: text.indexOf('\0') >= 0,
    codePoints,
  };
  const shares = (): LetterShares => {
    counts ??= latin1 ? latin1Counts(latin1Copy(text)) : codePointScan(utf16(text), true).counts;
    return {
      alphaFraction: codePoints > 0 ? counts.letters / codePoints : 0,
      alnumFraction: codePoints > 0 ? counts.alnum / codePoints : 0,
    };
  };
  return { lines, shares };
}

/** The statistics of `text`. */
export function textStats(text: string): TextStats {
  const m = measureText(text);
  return { ...m.lines, ...m.shares() };
}
