/**
 * The Stack v2's encoded-data rule: a base64, hex or unicode-escape run longer than 1,024
 * characters, or such runs covering over half of a file, mark it as data, not code.
 *
 * The reference is BigCode's Python tooling, so the patterns mean what Python's `re` makes of
 * them: `\b` and `\s` are Unicode-aware there (a hex digit right after `ß` is not at a word
 * boundary) and ASCII-only in JavaScript. Pure-ASCII texts, nearly all code, take the plain
 * JavaScript patterns; others take spelled-out equivalents of Python's classes. Lengths are in
 * code points. Where runs of two kinds overlap (hex digits are base64 characters too), a
 * character counts once toward the half-of-the-file share.
 */
import { codePoints } from './code-points.js';

/** `[a-zA-Z0-9+/\n=]`: the characters of Stack v2's base64 pattern, over Latin-1 code units. */
const BASE64_CHAR: Uint8Array = (() => {
  const t = new Uint8Array(256);
  for (const c of 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+/\n=') t[c.charCodeAt(0)] = 1;
  return t;
})();

/** A run as [start, end) in UTF-16 units. */
interface Run {
  start: number;
  end: number;
  kind: string;
}

/** The shortest base64 run that counts. */
const MIN_BASE64_RUN = 64;

const isBase64 = (c: number) => c < 256 && BASE64_CHAR[c] === 1;

/**
 * Runs of `[a-zA-Z0-9+/\n=]{64,}`, the longest at each place, as the regex finds them (which
 * rescans from every start inside a short run). A run of 64 starting in [pos, pos + 63] holds
 * the character at pos + 63: where that one is not a base64 character the whole window is
 * skipped, and where it is, a backward scan finds the last break before it. Code is full of
 * breaks (spaces, dots, brackets), so most characters are never looked at. The characters are
 * ASCII, so units are code points. `pos` is always 0 or right after a non-base64 character.
 */
function base64Runs(text: string, out: Run[]): void {
  const n = text.length;
  const last = MIN_BASE64_RUN - 1;
  let pos = 0;
  while (pos + last < n) {
    if (!isBase64(text.charCodeAt(pos + last))) {
      pos += MIN_BASE64_RUN;
      continue;
    }
    let j = pos + last - 1;
    while (j >= pos && isBase64(text.charCodeAt(j))) j--;
    if (j >= pos) {
      pos = j + 1;
      continue;
    }
    let end = pos + MIN_BASE64_RUN;
    while (end < n && isBase64(text.charCodeAt(end))) end++;
    out.push({ start: pos, end, kind: 'base64' });
    pos = end + 1;
  }
}

// Python's \w and \s for str patterns, spelled out for JavaScript (with the `u` flag).
const PY_WORD = '[\\p{L}\\p{N}_]';
const PY_B = `(?:(?<=${PY_WORD})(?!${PY_WORD})|(?<!${PY_WORD})(?=${PY_WORD}))`;
const PY_S = '[\\t\\n\\v\\f\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]';

const hexRun = (b: string, s: string, flags: string) => new RegExp(`(?:${b}(?:0x|\\\\x)?[0-9a-fA-F]{2}(?:,|${b}${s}*)){8,}`, flags);
/**
 * Four hex tokens in a row without the leading `\b`. Every hex run's first four tokens match it
 * at the run's first digit, so where it finds nothing the run pattern finds nothing either, and
 * no run starts more than two characters (a `0x` or `\x`) before it. It is twice as fast: a
 * pattern that starts with `\b` is tried at every position.
 */
const hexGate = (b: string, s: string, flags: string) => {
  const token = `(?:0x|\\\\x)?[0-9a-fA-F]{2}`;
  const sep = `(?:,|${b}${s}*)`;
  return new RegExp(`[0-9a-fA-F]{2}${sep}${token}${sep}${token}${sep}${token}`, flags);
};

const ASCII_RUN = hexRun('\\b', '\\s', 'g');
const UNICODE_RUN = hexRun(PY_B, PY_S, 'gu');
/**
 * One gate for both: JavaScript's `\b` with Python's whitespace added to `\s`. In the gate a
 * `\b` always follows a hex digit, an ASCII word character, where Python's `\b` holding implies
 * JavaScript's; JavaScript's `\s` holds Python's but for \x85 and \x1c-\x1f. So where this finds
 * nothing, the Python-style gate finds nothing, and it is much cheaper than the look-behinds.
 */
const GATE = hexGate('\\b', '[\\s\\x85\\x1c-\\x1f]', '');
/** Where JavaScript's `\b`/`\s` and Python's differ: any non-ASCII character, and \x1c-\x1f (whitespace to Python). */
const NOT_PLAIN_ASCII = /[^\u0000-\u001b\u0020-\u007f]/; // eslint-disable-line no-control-regex
const UNICODE_ESCAPE_RUN = /(?:\\u[0-9a-fA-F]{4}){8,}/g;

function matches(re: RegExp, text: string, from: number, kind: string, out: Run[]): void {
  re.lastIndex = from;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) out.push({ start: m.index, end: m.index + m[0].length, kind });
}

/** Every base64, hex and unicode-escape run of `text`, in that order. */
export function encodedRuns(text: string): Run[] {
  const runs: Run[] = [];
  base64Runs(text, runs);
  const gate = GATE.exec(text);
  if (gate) matches(NOT_PLAIN_ASCII.test(text) ? UNICODE_RUN : ASCII_RUN, text, Math.max(0, gate.index - 2), 'hex', runs);
  if (text.includes('\\u')) matches(UNICODE_ESCAPE_RUN, text, 0, 'unicode-escape', runs);
  return runs;
}

/**
 * Characters covered by at least one run. Every character a run can hold (base64 and hex
 * digits, `,`, `\`, `x`, `u`, and whitespace, all in the BMP) is one code point, so a run's
 * length in UTF-16 units is its length in code points.
 */
function covered(runs: Run[]): number {
  const sorted = [...runs].sort((a, b) => a.start - b.start);
  let total = 0;
  let end = 0;
  for (const r of sorted) {
    const from = Math.max(r.start, end);
    if (r.end > from) total += r.end - from;
    end = Math.max(end, r.end);
  }
  return total;
}

/** Why `text` counts as encoded data (a run over 1,024 characters, or runs covering over half of it), if it does. */
export function encodedData(text: string): string | undefined {
  const runs = encodedRuns(text);
  for (const r of runs) {
    const n = r.end - r.start; // code points (see covered)
    if (n > 1024) return `${r.kind} run of ${n} characters`;
  }
  if (runs.length === 0) return undefined;
  const total = covered(runs);
  // The file has at least half as many code points as UTF-16 units: runs covering at most a
  // quarter of the units cover at most half of the code points, and the count is not needed.
  if (4 * total <= text.length) return undefined;
  const all = codePoints(text, 0, text.length);
  return total > all / 2 ? `encoded runs cover ${Math.round((100 * total) / all)}% of the file` : undefined;
}
