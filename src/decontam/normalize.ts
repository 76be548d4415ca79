/**
 * The normalisation decontamination matches under, applied alike to benchmark items and files:
 * lower-case (per UTF-16 code unit, `String.prototype.toLowerCase` where it maps one unit to
 * one unit), and whitespace (JavaScript's `\s`: spaces, tabs, line breaks, NBSP, ...) either
 * removed entirely (`remove`, the default) or collapsed to one space with the ends trimmed
 * (`collapse`).
 *
 * Why `remove` by default: a benchmark solution pasted into a repository is re-indented,
 * re-wrapped and re-formatted (`a+b` → `a + b`, `f(a,b)` → `f(a, b)`, one-line bodies split
 * over lines); only removing every whitespace character makes all of these the same string.
 * The price, two tokens fusing (`return x` = `returnx`), cannot make a long item match text
 * that does not contain it apart from spacing.
 */
export type WhitespaceRule = 'remove' | 'collapse';

let lower: Uint16Array | undefined;
let space: Uint8Array | undefined;

/** Code unit → its lower-case code unit (itself where lower-casing changes the length). */
export function lowerTable(): Uint16Array {
  if (!lower) {
    lower = new Uint16Array(65536);
    for (let u = 0; u < 65536; u++) {
      const l = String.fromCharCode(u).toLowerCase();
      lower[u] = l.length === 1 ? l.charCodeAt(0) : u;
    }
  }
  return lower;
}

/** Code unit → 1 when it is whitespace (`\s`). */
export function spaceTable(): Uint8Array {
  if (!space) {
    space = new Uint8Array(65536);
    for (let u = 0; u < 65536; u++) if (/\s/.test(String.fromCharCode(u))) space[u] = 1;
  }
  return space;
}

/** `text` normalised under `rule`. */
export function normalize(text: string, rule: WhitespaceRule): string {
  const lo = lowerTable();
  const sp = spaceTable();
  const out = new Uint16Array(text.length);
  let n = 0;
  let pendingSpace = false;
  for (let i = 0; i < text.length; i++) {
    const u = text.charCodeAt(i);
    if (sp[u]) {
      pendingSpace = rule === 'collapse' && n > 0;
      continue;
    }
    if (pendingSpace) out[n++] = 32;
    pendingSpace = false;
    out[n++] = lo[u];
  }
  return unitsToString(out.subarray(0, n));
}

const utf16 = new TextDecoder('utf-16le');

/** The string of these code units: TextDecoder (fast) unless a surrogate is there, which it might replace. */
function unitsToString(units: Uint16Array): string {
  let surrogate = false;
  for (let i = 0; i < units.length && !surrogate; i++) surrogate = units[i] >= 0xd800 && units[i] <= 0xdfff;
  if (!surrogate) return utf16.decode(units);
  let s = '';
  for (let i = 0; i < units.length; i += 4096) s += String.fromCharCode(...units.subarray(i, i + 4096));
  return s;
}
