/**
 * One definition of a line for every filter: a line ends at LF, CRLF or a lone CR (as
 * Python's `str.splitlines` treats those three, and as text-stats.ts counts them).
 */
const BREAK = /\r\n|\r|\n/g;

/** The text up to the end of its `k`-th line (line breaks inside kept, the last one dropped); the whole text if it is shorter. */
export function firstLines(text: string, k: number): string {
  BREAK.lastIndex = 0;
  for (let seen = 0; seen < k; seen++) {
    const m = BREAK.exec(text);
    if (!m) return text;
    if (seen === k - 1) return text.slice(0, m.index);
  }
  return text;
}
