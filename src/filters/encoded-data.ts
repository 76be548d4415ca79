/**
 * The Stack v2's encoded-data rule: a base64, hex or unicode-escape run longer than 1,024
 * characters, or such runs making up over half of a file, mark it as data, not code.
 */

/** `[a-zA-Z0-9+/\n=]`: the characters of Stack v2's base64 pattern. */
const BASE64_CHAR: Uint8Array = (() => {
  const t = new Uint8Array(128);
  for (const c of 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+/\n=') t[c.charCodeAt(0)] = 1;
  return t;
})();

/**
 * Runs of `[a-zA-Z0-9+/\n=]{64,}` in one linear pass (the regex rescans from every start
 * inside a long run and cost 4× the whole filter on real code). Returns the longest run and
 * the characters in runs.
 */
function base64Runs(text: string): { longest: number; total: number } {
  let longest = 0;
  let total = 0;
  let run = 0;
  for (let i = 0; i <= text.length; i++) {
    const c = i < text.length ? text.charCodeAt(i) : 0;
    if (c < 128 && BASE64_CHAR[c] === 1) {
      run++;
      continue;
    }
    if (run >= 64) {
      total += run;
      if (run > longest) longest = run;
    }
    run = 0;
  }
  return { longest, total };
}

/** Stack v2's other encoded-data patterns: hex byte lists, unicode escapes. */
const ENCODED_RUNS: readonly [string, RegExp][] = [
  ['hex', /(?:\b(?:0x|\\x)?[0-9a-fA-F]{2}(?:,|\b\s*)){8,}/g],
  ['unicode-escape', /(?:\\u[0-9a-fA-F]{4}){8,}/g],
];

/** Why `text` counts as encoded data (a run over 1,024 characters, or runs over half of it), if it does. */
export function encodedData(text: string): string | undefined {
  const b64 = base64Runs(text);
  if (b64.longest > 1024) return `base64 run of ${b64.longest} characters`;
  let total = b64.total;
  for (const [kind, re] of ENCODED_RUNS) {
    re.lastIndex = 0;
    for (let m = re.exec(text); m !== null; m = re.exec(text)) {
      const n = m[0].length;
      if (n > 1024) return `${kind} run of ${n} characters`;
      total += n;
    }
  }
  return total > text.length / 2 ? `encoded runs are ${Math.round((100 * total) / text.length)}% of the file` : undefined;
}
