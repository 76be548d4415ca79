/**
 * The Stack v2's encoded-data rule: a base64, hex or unicode-escape run longer than 1,024
 * characters, or such runs making up over half of a file, mark it as data, not code.
 */

import { latin1Bytes } from './latin1.js';

/** `[a-zA-Z0-9+/\n=]`: the characters of Stack v2's base64 pattern, over Latin-1 code units. */
const BASE64_CHAR: Uint8Array = (() => {
  const t = new Uint8Array(256);
  for (const c of 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+/\n=') t[c.charCodeAt(0)] = 1;
  return t;
})();

interface Runs {
  longest: number;
  total: number;
}

/** Folds one finished run of `run` base64 characters into `acc` (runs under 64 do not count). */
function endRun(acc: Runs, run: number): void {
  if (run < 64) return;
  acc.total += run;
  if (run > acc.longest) acc.longest = run;
}

/**
 * Runs of `[a-zA-Z0-9+/\n=]{64,}` in one linear pass (the regex rescans from every start
 * inside a long run and cost 4× the whole filter on real code), over bytes when the text is
 * Latin-1. Returns the longest run and the characters in runs.
 */
function base64Runs(text: string): Runs {
  const acc = { longest: 0, total: 0 };
  let run = 0;
  const bytes = latin1Bytes(text);
  if (bytes) {
    for (let i = 0; i < bytes.length; i++) {
      if (BASE64_CHAR[bytes[i]] === 1) run++;
      else {
        endRun(acc, run);
        run = 0;
      }
    }
  } else {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c < 256 && BASE64_CHAR[c] === 1) run++;
      else {
        endRun(acc, run);
        run = 0;
      }
    }
  }
  endRun(acc, run);
  return acc;
}

const HEX_RUN = /(?:\b(?:0x|\\x)?[0-9a-fA-F]{2}(?:,|\b\s*)){8,}/g;
/**
 * Four hex tokens in a row without the leading `\b`. Every hex run's first four tokens match it
 * at the run's first digit, so where it finds nothing the hex run pattern finds nothing either,
 * and no run starts more than two characters (a `0x` or `\x`) before its first match. It runs
 * twice as fast: a pattern that starts with `\b` is tried at every position.
 */
const HEX_GATE = /[0-9a-fA-F]{2}(?:,|\b\s*)(?:0x|\\x)?[0-9a-fA-F]{2}(?:,|\b\s*)(?:0x|\\x)?[0-9a-fA-F]{2}(?:,|\b\s*)(?:0x|\\x)?[0-9a-fA-F]{2}/;
const UNICODE_ESCAPE_RUN = /(?:\\u[0-9a-fA-F]{4}){8,}/g;

/** Lengths of every match of a global pattern from `from` on (stops early past `stopAbove`). */
function runLengths(re: RegExp, text: string, from: number, stopAbove: number): number[] {
  const out: number[] = [];
  re.lastIndex = from;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    out.push(m[0].length);
    if (m[0].length > stopAbove) break;
  }
  return out;
}

/** Why `text` counts as encoded data (a run over 1,024 characters, or runs over half of it), if it does. */
export function encodedData(text: string): string | undefined {
  const b64 = base64Runs(text);
  if (b64.longest > 1024) return `base64 run of ${b64.longest} characters`;
  let total = b64.total;
  const gate = HEX_GATE.exec(text);
  const hex = gate ? runLengths(HEX_RUN, text, Math.max(0, gate.index - 2), 1024) : [];
  const escapes = text.includes('\\u') ? runLengths(UNICODE_ESCAPE_RUN, text, 0, 1024) : [];
  for (const [kind, lengths] of [
    ['hex', hex],
    ['unicode-escape', escapes],
  ] as const) {
    for (const n of lengths) {
      if (n > 1024) return `${kind} run of ${n} characters`;
      total += n;
    }
  }
  return total > text.length / 2 ? `encoded runs are ${Math.round((100 * total) / text.length)}% of the file` : undefined;
}
