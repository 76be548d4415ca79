import type { Value } from './record.js';

/**
 * Buffer's UTF-8 fast paths (public since Node 0.x, untyped in @types/node): about 30% faster
 * than toString() with an encoding argument.
 */
type FastBuffer = Buffer & { utf8Slice(start: number, end: number): string };

/**
 * A string column as an intermediate file holds it: the rows' UTF-8 joined in one buffer,
 * row boundaries as UTF-16 offsets, a presence bitmap. A batch keeps a column in this form until
 * a stage asks for its values, so a column that no stage reads (the text, after a barrier whose
 * stage only needs ids) goes from file to file, or into DuckDB, as bytes: decoding it to
 * JavaScript strings and encoding them again cost 5× the copy on 10 KB texts.
 */
export class EncodedStrings {
  private bytesAt: Int32Array | null | undefined;
  private joined: Buffer;
  private releaseHook: (() => void) | undefined;
  private released = false;

  constructor(
    /** The column's strings joined, as UTF-8. */
    bytes: Buffer,
    /** units[k]..units[k+1]: row k's UTF-16 code units within the joined text (length rows + 1). */
    readonly units: Int32Array,
    /** Bit k set: row k holds a string (absent rows hold null). */
    private readonly present: Uint8Array,
    readonly length: number,
    /** Row byte offsets when the producer knows them (else found on first use). */
    bytesAt?: Int32Array,
    /** Called by release(): the buffer `bytes` lies in may be reused (see EncodedStringsBuilder.takeRecyclable). */
    onRelease?: () => void,
  ) {
    this.joined = bytes;
    this.bytesAt = bytesAt;
    this.releaseHook = onRelease;
  }

  /** The column's strings joined, as UTF-8. */
  get bytes(): Buffer {
    if (this.released) throw new Error('string column read after its batch was released');
    return this.joined;
  }

  /**
   * The column will not be read again: a column whose buffer its builder lent gives it back.
   * Reading it after this throws rather than see another batch's bytes.
   */
  release(): void {
    const hook = this.releaseHook;
    if (!hook) return;
    this.releaseHook = undefined;
    this.released = true;
    hook();
  }

  isPresent(i: number): boolean {
    return (this.present[i >> 3] & (1 << (i & 7))) !== 0;
  }

  /** Every row as a JavaScript string (or null): one decode, then substrings. */
  decodeAll(): Value[] {
    const joined = (this.bytes as FastBuffer).utf8Slice(0, this.bytes.length);
    const n = this.length;
    if (joined.length !== this.units[n]) throw new Error(`string column holds ${joined.length} UTF-16 units, offsets say ${this.units[n]}`);
    const out = new Array<Value>(n);
    for (let k = 0; k < n; k++) out[k] = this.isPresent(k) ? joined.substring(this.units[k], this.units[k + 1]) : null;
    return out;
  }

  /**
   * Row k's bytes are bytes[at[k]..at[k+1]); undefined when a row boundary falls inside a
   * character (a string ending in a lone high surrogate followed by one starting with a low
   * one: joined, they encode as one 4-byte character), where only decodeAll() is exact.
   * Found by one scan of the bytes, 4 ASCII bytes at a time, on first use.
   */
  byteOffsets(): Int32Array | undefined {
    if (this.bytesAt === undefined) this.bytesAt = this.bytes.length === this.units[this.length] ? this.units : scanOffsets(this.bytes, this.units, this.length);
    return this.bytesAt ?? undefined;
  }

  /** Row i's value, decoded alone (needs byteOffsets()). */
  value(i: number): string | null {
    if (!this.isPresent(i)) return null;
    const at = this.byteOffsets()!;
    return (this.bytes as FastBuffer).utf8Slice(at[i], at[i + 1]);
  }

  /** Row i's UTF-8 length (needs byteOffsets()). */
  byteLength(i: number): number {
    const at = this.byteOffsets()!;
    return at[i + 1] - at[i];
  }
}

/** Byte offsets of the row boundaries, walking the UTF-8 while counting UTF-16 units; null if one falls inside a character. */
function scanOffsets(bytes: Buffer, units: Int32Array, n: number): Int32Array | null {
  const out = new Int32Array(n + 1);
  const words = new Uint32Array(bytes.buffer, bytes.byteOffset & ~3, (bytes.length + (bytes.byteOffset & 3)) >> 2);
  const shift = bytes.byteOffset & 3; // bytes[p] is at word index (p + shift) >> 2
  let p = 0;
  let u = 0;
  for (let k = 1; k <= n; k++) {
    const target = units[k];
    while (u < target) {
      if (((p + shift) & 3) === 0 && target - u >= 4 && p + 4 <= bytes.length && (words[(p + shift) >> 2] & 0x80808080) === 0) {
        p += 4;
        u += 4;
        continue;
      }
      const b = bytes[p];
      if (b < 0x80) {
        p += 1;
        u += 1;
      } else if (b < 0xe0) {
        p += 2;
        u += 1;
      } else if (b < 0xf0) {
        p += 3;
        u += 1;
      } else {
        p += 4;
        u += 2;
      }
    }
    if (u !== target) return null;
    out[k] = p;
  }
  return out;
}

/**
 * Builds an EncodedStrings column row by row from UTF-8 byte ranges (a reader that found the
 * string in its input bytes) or from JavaScript strings, without decoding either.
 */
export class EncodedStringsBuilder {
  private bytes: Buffer;
  private used = 0;
  private units: Int32Array;
  private at: Int32Array;
  private present: Uint8Array;
  private rows = 0;
  /** Buffers that released columns gave back (see takeRecyclable). */
  private readonly returned: Buffer[] = [];

  constructor(rowsHint = 4096, bytesHint = 1 << 16) {
    this.bytes = Buffer.allocUnsafe(bytesHint);
    this.units = new Int32Array(rowsHint + 1);
    this.at = new Int32Array(rowsHint + 1);
    this.present = new Uint8Array((rowsHint + 7) >> 3);
  }

  get length(): number {
    return this.rows;
  }

  /** src[start..end) as the next row; `units` is its length in UTF-16 code units. */
  appendBytes(src: Buffer, start: number, end: number, units: number): void {
    const n = end - start;
    this.reserve(n);
    if (n < 512) {
      // Buffer.copy's JavaScript checks cost more than this loop for ids and captions
      const out = this.bytes;
      for (let i = 0, o = this.used; i < n; i++) out[o + i] = src[start + i];
    } else {
      src.copy(this.bytes, this.used, start, end);
    }
    this.push(n, units);
  }

  appendString(s: string): void {
    this.reserve(s.length * 3);
    const n = this.bytes.write(s, this.used, 'utf8');
    this.push(n, s.length);
  }

  appendNull(): void {
    this.reserve(0);
    const k = this.rows++;
    this.units[k + 1] = this.units[k];
    this.at[k + 1] = this.used;
  }

  /**
   * Room for `bytes` more bytes after the rows so far: a reader writes a row's bytes straight
   * into the returned buffer at `tail` (no copy), then `commit`s them, or simply does not.
   */
  spare(bytes: number): Buffer {
    this.reserve(bytes);
    return this.bytes;
  }

  /** Where the next row's bytes start in the buffer `spare` returned. */
  get tail(): number {
    return this.used;
  }

  /** The `byteLength` bytes written at `tail` as the next row, `units` UTF-16 code units long. */
  commit(byteLength: number, units: number): void {
    this.push(byteLength, units);
  }

  /**
   * The rows so far as a column; the builder starts empty again and keeps its buffer: memory
   * that is already mapped is far cheaper to write than fresh pages (see ContentBatches).
   */
  take(): EncodedStrings {
    return this.finish(Buffer.from(this.bytes.subarray(0, this.used)));
  }

  /**
   * The rows so far as a column that owns the builder's buffer, without copying it; the
   * column's release() gives the buffer back for later rows. A reader whose batches are
   * released once written (the engine does) fills the same two buffers for the whole read:
   * a fresh buffer costs more in page faults than the file reads that fill it.
   */
  takeRecyclable(): EncodedStrings {
    const owned = this.bytes;
    const out = this.finish(owned.subarray(0, this.used), () => {
      if (this.returned.length < 2) this.returned.push(owned);
    });
    this.bytes = this.returned.pop() ?? Buffer.allocUnsafe(owned.length);
    return out;
  }

  /** The rows so far over `joined`, their bytes; the builder starts empty again. */
  private finish(joined: Buffer, onRelease?: () => void): EncodedStrings {
    const n = this.rows;
    const out = new EncodedStrings(joined, this.units.slice(0, n + 1), this.present.slice(0, (n + 7) >> 3), n, this.at.slice(0, n + 1), onRelease);
    this.used = 0;
    this.rows = 0;
    this.present.fill(0);
    return out;
  }

  private push(byteLength: number, units: number): void {
    const k = this.rows++;
    this.used += byteLength;
    this.units[k + 1] = this.units[k] + units;
    this.at[k + 1] = this.used;
    this.present[k >> 3] |= 1 << (k & 7);
  }

  private reserve(extraBytes: number): void {
    if (this.used + extraBytes > this.bytes.length) {
      const grown = Buffer.allocUnsafe(Math.max(this.bytes.length * 2, this.used + extraBytes));
      this.bytes.copy(grown, 0, 0, this.used);
      this.bytes = grown;
    }
    if (this.rows + 2 > this.units.length) {
      const cap = this.units.length * 2;
      const units = new Int32Array(cap);
      units.set(this.units);
      this.units = units;
      const at = new Int32Array(cap);
      at.set(this.at);
      this.at = at;
      const present = new Uint8Array((cap + 7) >> 3);
      present.set(this.present);
      this.present = present;
    }
  }
}
