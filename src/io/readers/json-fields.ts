/**
 * Finds a few top-level fields of a one-line JSON object in its UTF-8 bytes, without building
 * the object: the JSONL reader's fast path. A string field comes back as the byte range
 * between its quotes, so a caption goes from the input buffer to the batch (and on to the
 * writer) without ever becoming a JavaScript string; JSON.parse + object building cost two
 * thirds of reading a caption pool.
 *
 * The scanner only answers for lines it fully understands and has checked to be valid JSON;
 * anything else (escaped keys, a syntax error, not an object) returns false, and the caller
 * parses that line with JSON.parse, which gives the exact error message. Bytes must already
 * be known to be valid UTF-8.
 */

/** The field is not in the object (or not wanted). */
export const ABSENT = 0;
/** A string without escapes: its UTF-8 is start..end, its UTF-16 length `units`. */
export const PLAIN_STRING = 1;
/** A string with escapes: `value` holds it decoded. */
export const ESCAPED_STRING = 2;
/** A number, literal, object or array: `value` holds it parsed. */
export const OTHER = 3;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** Bytes that may follow a backslash in a JSON string. */
const ESCAPABLE = new Uint8Array(256);
for (const c of '"\\/bfnrtu') ESCAPABLE[c.charCodeAt(0)] = 1;

const HEX = new Uint8Array(256);
for (const c of '0123456789abcdefABCDEF') HEX[c.charCodeAt(0)] = 1;

/** What a byte means inside a JSON string, for the scan loop. */
const ORDINARY = 0;
const END = 1;
const CONTROL = 2;
const ESCAPE = 3;
const CONTINUATION = 4;
const LEAD = 5;
const ASTRAL = 6;
const BYTE_CLASS = new Uint8Array(256);
for (let b = 0; b < 256; b++) {
  BYTE_CLASS[b] = b < 0x20 ? CONTROL : b === QUOTE ? END : b === BACKSLASH ? ESCAPE : b < 0x80 ? ORDINARY : b < 0xc0 ? CONTINUATION : b < 0xf0 ? LEAD : ASTRAL;
}

type FastBuffer = Buffer & { utf8Slice(start: number, end: number): string };

export class JsonFieldScanner {
  /** Per wanted field, after a successful scan: ABSENT, PLAIN_STRING, ESCAPED_STRING or OTHER. */
  readonly kind: Uint8Array;
  readonly start: Int32Array;
  readonly end: Int32Array;
  readonly units: Int32Array;
  readonly value: unknown[];
  private readonly keys: Uint8Array[];
  /** Where the last string scanned ended, and what it held (set by scanString). */
  private stringEnd = 0;
  private stringUnits = 0;
  private stringEscaped = false;

  constructor(fields: readonly string[]) {
    this.keys = fields.map((f) => Buffer.from(f, 'utf8'));
    const n = fields.length;
    this.kind = new Uint8Array(n);
    this.start = new Int32Array(n);
    this.end = new Int32Array(n);
    this.units = new Int32Array(n);
    this.value = new Array<unknown>(n).fill(undefined);
  }

  /** Scans buf[from..to): true when it is one JSON object and the wanted fields are located. */
  scan(buf: Buffer, from: number, to: number): boolean {
    this.kind.fill(ABSENT);
    let p = skipSpace(buf, from, to);
    if (p >= to || buf[p] !== 0x7b) return false; // {
    p = skipSpace(buf, p + 1, to);
    if (p < to && buf[p] === 0x7d) return skipSpace(buf, p + 1, to) === to; // {}
    for (;;) {
      if (p >= to || buf[p] !== QUOTE) return false;
      const keyStart = p + 1;
      if (!this.scanString(buf, keyStart, to) || this.stringEscaped) return false; // escaped keys: JSON.parse
      const field = this.fieldOf(buf, keyStart, this.stringEnd);
      p = skipSpace(buf, this.stringEnd + 1, to);
      if (p >= to || buf[p] !== 0x3a) return false; // :
      p = skipSpace(buf, p + 1, to);
      if (p >= to) return false;
      if (buf[p] === QUOTE) {
        if (!this.scanString(buf, p + 1, to)) return false;
        if (this.stringEscaped && field >= 0) {
          // the scan checked every escape: only a wanted string needs decoding
          let decoded: unknown;
          try {
            decoded = JSON.parse((buf as FastBuffer).utf8Slice(p, this.stringEnd + 1));
          } catch {
            return false;
          }
          this.set(field, ESCAPED_STRING, p + 1, this.stringEnd, 0, decoded);
        } else if (field >= 0) {
          this.set(field, PLAIN_STRING, p + 1, this.stringEnd, this.stringUnits, undefined);
        }
        p = this.stringEnd + 1;
      } else {
        const end = skipValue(buf, p, to);
        if (end < 0) return false;
        let parsed: unknown;
        try {
          parsed = JSON.parse((buf as FastBuffer).utf8Slice(p, end));
        } catch {
          return false;
        }
        if (field >= 0) this.set(field, OTHER, p, end, 0, parsed);
        p = end;
      }
      p = skipSpace(buf, p, to);
      if (p >= to) return false;
      if (buf[p] === 0x2c) {
        p = skipSpace(buf, p + 1, to); // ,
        continue;
      }
      if (buf[p] === 0x7d) return skipSpace(buf, p + 1, to) === to; // }
      return false;
    }
  }

  private set(field: number, kind: number, start: number, end: number, units: number, value: unknown): void {
    // a repeated key: the last one wins, as in JSON.parse
    this.kind[field] = kind;
    this.start[field] = start;
    this.end[field] = end;
    this.units[field] = units;
    this.value[field] = value;
  }

  private fieldOf(buf: Buffer, start: number, end: number): number {
    const n = end - start;
    next: for (let f = 0; f < this.keys.length; f++) {
      const key = this.keys[f];
      if (key.length !== n) continue;
      for (let i = 0; i < n; i++) if (key[i] !== buf[start + i]) continue next;
      return f;
    }
    return -1;
  }

  /**
   * The string whose contents start at `p`: sets stringEnd (its closing quote), stringUnits
   * (UTF-16 length, exact when not escaped) and stringEscaped. False on a raw control
   * character, a bad escape or no closing quote.
   */
  private scanString(buf: Buffer, p: number, to: number): boolean {
    const start = p;
    let continuation = 0;
    let astral = 0;
    let escaped = false;
    for (;;) {
      while (p < to && BYTE_CLASS[buf[p]] === ORDINARY) p++;
      if (p >= to) return false;
      const b = buf[p];
      switch (BYTE_CLASS[b]) {
        case END:
          this.stringEnd = p;
          this.stringUnits = p - start - continuation + astral;
          this.stringEscaped = escaped;
          return true;
        case CONTROL:
          return false;
        case ESCAPE: {
          const e = buf[p + 1];
          if (p + 1 >= to || ESCAPABLE[e] === 0) return false;
          if (e === 0x75) {
            // \uXXXX
            if (p + 5 >= to || !HEX[buf[p + 2]] || !HEX[buf[p + 3]] || !HEX[buf[p + 4]] || !HEX[buf[p + 5]]) return false;
            p += 6;
          } else {
            p += 2;
          }
          escaped = true;
          break;
        }
        // UTF-16 length: one unit per character, two for 4-byte ones
        case CONTINUATION:
          continuation++;
          p++;
          break;
        case ASTRAL:
          astral++;
          p++;
          break;
        default: // the lead byte of a 2- or 3-byte character
          p++;
      }
    }
  }
}

function skipSpace(buf: Buffer, p: number, to: number): number {
  while (p < to) {
    const b = buf[p];
    if (b !== 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d) return p;
    p++;
  }
  return p;
}

/**
 * The end of the non-string value starting at `p` (a number, literal, object or array), found
 * by bracket depth with strings skipped; -1 when unbalanced. Validity is left to JSON.parse.
 */
function skipValue(buf: Buffer, p: number, to: number): number {
  let depth = 0;
  while (p < to) {
    const b = buf[p];
    if (b === QUOTE) {
      p++;
      while (p < to && buf[p] !== QUOTE) p += buf[p] === BACKSLASH ? 2 : 1;
      if (p >= to) return -1;
      p++;
      continue;
    }
    if (b === 0x7b || b === 0x5b) depth++;
    else if (b === 0x7d || b === 0x5d) {
      if (depth === 0) return p; // the enclosing object's }
      if (--depth === 0) return p + 1;
    } else if (depth === 0 && (b === 0x2c || b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d)) return p;
    p++;
  }
  return depth === 0 ? p : -1;
}
