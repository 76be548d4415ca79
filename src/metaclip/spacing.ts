/**
 * MetaCLIP's text normalisation before substring matching (`spacing` in
 * facebookresearch/MetaCLIP `metaclip/substr_matching.py`), reproduced exactly:
 *
 *   " " + text + " ", then each of  , . ; : ? ! `  becomes itself with a space on both sides,
 *   then tab, CR and LF become a space.
 *
 * No lowercasing, no Unicode normalisation, no collapsing of repeated spaces: matching is
 * case-sensitive and "a  b" (two spaces) stays two spaces, as in the reference.
 *
 * The rule is a per-character mapping (the inserted characters are spaces, which no later
 * replacement touches), so the matcher applies it on the fly without building this string;
 * `spacing()` exists for display, tests and callers that want the reference string.
 */

/** Characters the reference wraps in spaces: `x` becomes ` x `. */
export const WRAPPED_PUNCTUATION = [',', '.', ';', ':', '?', '!', '`'] as const;

/** Characters the reference turns into a single space. */
export const SPACED_CONTROLS = ['\t', '\n', '\r'] as const;

/** How one UTF-16 code unit is rewritten by the spacing rule: kept, wrapped " c ", or " ". */
export const SPACING_KEEP = 0;
export const SPACING_WRAP = 1;
export const SPACING_SPACE = 2;

/** Spacing kind for code units below 128 (every special character is ASCII). */
export const ASCII_SPACING_KIND: Uint8Array = (() => {
  const kinds = new Uint8Array(128);
  for (const c of WRAPPED_PUNCTUATION) kinds[c.charCodeAt(0)] = SPACING_WRAP;
  for (const c of SPACED_CONTROLS) kinds[c.charCodeAt(0)] = SPACING_SPACE;
  return kinds;
})();

/** The reference normalisation as a string: `spacing("a,b")` is `" a , b "`. */
export function spacing(text: string): string {
  let out = ' ';
  let runStart = 0;
  for (let i = 0; i < text.length; i++) {
    const u = text.charCodeAt(i);
    if (u >= 128) continue;
    const kind = ASCII_SPACING_KIND[u];
    if (kind === SPACING_KEEP) continue;
    out += text.slice(runStart, i);
    out += kind === SPACING_WRAP ? ` ${text[i]} ` : ' ';
    runStart = i + 1;
  }
  out += text.slice(runStart);
  return out + ' ';
}

/**
 * Python's `str.strip()` with no argument: removes what Python calls whitespace (`isspace`:
 * bidirectional class WS, B or S, or category Zs) from both ends. Not JavaScript's `trim()`,
 * which also strips U+FEFF and keeps U+001C–U+001F and U+0085. MetaCLIP 2 strips each text
 * before `spacing`. Returns `text` itself when nothing is stripped.
 */
export function pythonStrip(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && isPythonSpace(text.charCodeAt(start))) start++;
  while (end > start && isPythonSpace(text.charCodeAt(end - 1))) end--;
  return start === 0 && end === text.length ? text : text.slice(start, end);
}

export function isPythonSpace(u: number): boolean {
  if (u <= 0x20) return u === 0x20 || (u >= 0x09 && u <= 0x0d) || (u >= 0x1c && u <= 0x1f);
  if (u < 0x85) return false;
  return u === 0x85 || u === 0xa0 || u === 0x1680 || (u >= 0x2000 && u <= 0x200a) || u === 0x2028 || u === 0x2029 || u === 0x202f || u === 0x205f || u === 0x3000;
}

/** `pythonStrip` on UTF-8: the byte range left after stripping Python whitespace from both ends. */
export function pythonStripUtf8(bytes: Uint8Array, start: number, end: number): [number, number] {
  while (start < end) {
    const [cp, size] = codePointAt(bytes, start);
    if (cp > 0xffff || !isPythonSpace(cp)) break;
    start += size;
  }
  while (end > start) {
    let lead = end - 1;
    while (lead > start && (bytes[lead] & 0xc0) === 0x80) lead--;
    const [cp] = codePointAt(bytes, lead);
    if (cp > 0xffff || !isPythonSpace(cp)) break;
    end = lead;
  }
  return [start, end];
}

function codePointAt(bytes: Uint8Array, i: number): [number, number] {
  const b = bytes[i];
  if (b < 0x80) return [b, 1];
  if (b < 0xe0) return [((b & 0x1f) << 6) | (bytes[i + 1] & 0x3f), 2];
  if (b < 0xf0) return [((b & 0x0f) << 12) | ((bytes[i + 1] & 0x3f) << 6) | (bytes[i + 2] & 0x3f), 3];
  return [(((b & 0x07) << 18) | ((bytes[i + 1] & 0x3f) << 12) | ((bytes[i + 2] & 0x3f) << 6) | (bytes[i + 3] & 0x3f)) >>> 0, 4];
}
