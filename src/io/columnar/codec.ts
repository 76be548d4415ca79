import { EncodedStrings } from '../../core/encoded-strings.js';
import type { ColumnType, Value } from '../../core/record.js';

/**
 * Column encodings of thresher's intermediate files (see format.ts). Every section starts on
 * an 8-byte boundary so a reader can view it as a typed array without copying.
 *   null bitmap: ceil(n/8) bytes, bit set = value present
 *   string:      int32 offsets[n+1] in UTF-16 code units, u32 UTF-8 byte length, padding to 8,
 *                the column's strings joined, as UTF-8
 *   int64/float64: float64[n] (int64 values are exact below 2^53, as everywhere in thresher)
 *   bool:        uint8[n]
 *   int32[]/float32[]: int32 offsets[n+1] into the list data, int32|float32 data
 *   string[]:    the list as JSON text, stored as a string column
 */
export const align8 = (n: number) => (n + 7) & ~7;

/**
 * Buffer's UTF-8 fast path (public since Node 0.x, untyped in @types/node): about 30% faster
 * than write() with an encoding argument, which dominates encoding (decoding: encoded-strings.ts).
 */
type FastBuffer = Buffer & { utf8Write(text: string, offset: number): number };

/** Grows as needed; sections are appended 8-byte aligned. */
export class ByteSink {
  buf: Buffer;
  used = 0;

  constructor(initial = 1 << 20) {
    this.buf = Buffer.allocUnsafe(initial);
  }

  reserve(bytes: number): void {
    const need = this.used + bytes + 8;
    if (need <= this.buf.length) return;
    const grown = Buffer.allocUnsafe(Math.max(need, this.buf.length * 2));
    this.buf.copy(grown, 0, 0, this.used);
    this.buf = grown;
  }

  pad(): void {
    const to = align8(this.used);
    this.buf.fill(0, this.used, to);
    this.used = to;
  }

  typed(view: ArrayBufferView): void {
    this.pad();
    this.reserve(view.byteLength);
    this.buf.set(new Uint8Array(view.buffer, view.byteOffset, view.byteLength), this.used);
    this.used += view.byteLength;
  }
}

function nullBitmap(values: Value[], rows: Int32Array): Uint8Array {
  const bits = new Uint8Array((rows.length + 7) >> 3);
  for (let k = 0; k < rows.length; k++) {
    const v = values[rows[k]];
    if (v !== null && v !== undefined) bits[k >> 3] |= 1 << (k & 7);
  }
  return bits;
}

/**
 * A column's strings are joined and encoded in one call, and decoded in one call whose result
 * each row takes a substring of: a per-string encode and decode cost more than the rest of the
 * file's work together. Offsets count UTF-16 code units, which is what substring() takes; a
 * lone surrogate becomes U+FFFD, also one unit, so offsets stay aligned.
 */
function encodeStrings(sink: ByteSink, values: Value[], rows: Int32Array, asText: (v: Value) => string): void {
  const offsets = new Int32Array(rows.length + 1);
  const texts = new Array<string>(rows.length);
  let units = 0;
  for (let k = 0; k < rows.length; k++) {
    const v = values[rows[k]];
    const t = v === null || v === undefined ? '' : asText(v);
    texts[k] = t;
    offsets[k] = units;
    units += t.length;
  }
  offsets[rows.length] = units;
  const joined = texts.join('');
  sink.typed(offsets);
  const lengthAt = sink.used;
  sink.reserve(8 + units * 3); // upper bound of the UTF-8 bytes
  sink.used += 4;
  sink.pad();
  const written = (sink.buf as FastBuffer).utf8Write(joined, sink.used);
  sink.buf.writeUInt32LE(written, lengthAt);
  sink.used += written;
}

/**
 * The rows of a column still in its file encoding: their bytes copied (one copy when every row
 * is kept), offsets shifted; no string is made.
 */
function encodeEncoded(sink: ByteSink, enc: EncodedStrings, at: Int32Array, rows: Int32Array): void {
  const offsets = new Int32Array(rows.length + 1);
  const every = rows.length === enc.length;
  let units = 0;
  let bytes = 0;
  for (let k = 0; k < rows.length; k++) {
    const i = rows[k];
    offsets[k] = units;
    if (!enc.isPresent(i)) continue;
    units += enc.units[i + 1] - enc.units[i];
    bytes += at[i + 1] - at[i];
  }
  offsets[rows.length] = units;
  sink.typed(offsets);
  const lengthAt = sink.used;
  sink.reserve(8 + bytes);
  sink.used += 4;
  sink.pad();
  sink.buf.writeUInt32LE(bytes, lengthAt);
  if (every && bytes === enc.bytes.length) {
    enc.bytes.copy(sink.buf, sink.used);
    sink.used += bytes;
    return;
  }
  for (let k = 0; k < rows.length; k++) {
    const i = rows[k];
    if (!enc.isPresent(i)) continue;
    sink.used += enc.bytes.copy(sink.buf, sink.used, at[i], at[i + 1]);
  }
}

function encodeNumbers(sink: ByteSink, values: Value[], rows: Int32Array, type: ColumnType): void {
  if (type === 'bool') {
    const out = new Uint8Array(rows.length);
    for (let k = 0; k < rows.length; k++) out[k] = values[rows[k]] === true ? 1 : 0;
    sink.typed(out);
    return;
  }
  const out = new Float64Array(rows.length);
  for (let k = 0; k < rows.length; k++) {
    const v = values[rows[k]];
    out[k] = typeof v === 'number' ? v : 0;
  }
  sink.typed(out);
}

function encodeLists(sink: ByteSink, values: Value[], rows: Int32Array, type: 'int32[]' | 'float32[]'): void {
  const offsets = new Int32Array(rows.length + 1);
  let total = 0;
  for (let k = 0; k < rows.length; k++) {
    offsets[k] = total;
    const v = values[rows[k]];
    if (Array.isArray(v)) total += v.length;
  }
  offsets[rows.length] = total;
  const data = type === 'int32[]' ? new Int32Array(total) : new Float32Array(total);
  for (let k = 0; k < rows.length; k++) {
    const v = values[rows[k]];
    if (Array.isArray(v)) data.set(v as number[], offsets[k]);
  }
  sink.typed(offsets);
  sink.typed(data);
}

/** Append the `rows` of one column to the sink. */
export function encodeColumn(sink: ByteSink, values: Value[] | EncodedStrings, rows: Int32Array, type: ColumnType): void {
  if (values instanceof EncodedStrings) {
    const at = values.byteOffsets();
    if (type === 'string' && at) {
      const bits = new Uint8Array((rows.length + 7) >> 3);
      for (let k = 0; k < rows.length; k++) if (values.isPresent(rows[k])) bits[k >> 3] |= 1 << (k & 7);
      sink.typed(bits);
      encodeEncoded(sink, values, at, rows);
      return;
    }
    values = values.decodeAll();
  }
  sink.typed(nullBitmap(values, rows));
  if (type === 'string') encodeStrings(sink, values, rows, (v) => v as string);
  else if (type === 'string[]') encodeStrings(sink, values, rows, (v) => JSON.stringify(v));
  else if (type === 'int32[]' || type === 'float32[]') encodeLists(sink, values, rows, type);
  else encodeNumbers(sink, values, rows, type);
}

/** Reads sections back in order from one block (an ArrayBuffer starting 8-aligned). */
export class ByteSource {
  pos = 0;

  constructor(readonly buf: Buffer) {}

  private view<T>(make: (buffer: ArrayBufferLike, offset: number, length: number) => T, bytesPer: number, count: number): T {
    this.pos = align8(this.pos);
    const v = make(this.buf.buffer, this.buf.byteOffset + this.pos, count);
    this.pos += count * bytesPer;
    return v;
  }

  bytes(count: number): Uint8Array {
    return this.view((b, o, n) => new Uint8Array(b, o, n), 1, count);
  }

  int32(count: number): Int32Array {
    return this.view((b, o, n) => new Int32Array(b, o, n), 4, count);
  }

  float32(count: number): Float32Array {
    return this.view((b, o, n) => new Float32Array(b, o, n), 4, count);
  }

  float64(count: number): Float64Array {
    return this.view((b, o, n) => new Float64Array(b, o, n), 8, count);
  }
}

/** A string column's sections as they are: the rows stay bytes until a stage asks for them. */
function encodedStrings(src: ByteSource, n: number, bits: Uint8Array): EncodedStrings {
  const offsets = src.int32(n + 1);
  const bytes = src.buf.readUInt32LE(src.pos);
  src.pos = align8(src.pos + 4);
  const joined = src.buf.subarray(src.pos, src.pos + bytes);
  src.pos += bytes;
  return new EncodedStrings(joined, offsets, bits, n);
}

/** Decode one column of `n` rows; a string column stays encoded (see EncodedStrings). */
export function decodeColumn(src: ByteSource, n: number, type: ColumnType): Value[] | EncodedStrings {
  const bits = src.bytes((n + 7) >> 3);
  const present = (k: number) => (bits[k >> 3] & (1 << (k & 7))) !== 0;
  if (type === 'string') return encodedStrings(src, n, bits);
  if (type === 'string[]')
    return encodedStrings(src, n, bits)
      .decodeAll()
      .map((t) => (t === null ? null : (JSON.parse(t as string) as string[])));
  const out = new Array<Value>(n);
  if (type === 'int32[]' || type === 'float32[]') {
    const offsets = src.int32(n + 1);
    const data = type === 'int32[]' ? src.int32(offsets[n]) : src.float32(offsets[n]);
    for (let k = 0; k < n; k++) {
      if (!present(k)) {
        out[k] = null;
        continue;
      }
      const list = new Array<number>(offsets[k + 1] - offsets[k]); // a loop: Array.from on a typed view is 10x slower
      for (let j = offsets[k], i = 0; j < offsets[k + 1]; j++, i++) list[i] = data[j];
      out[k] = list;
    }
    return out;
  }
  if (type === 'bool') {
    const b = src.bytes(n);
    for (let k = 0; k < n; k++) out[k] = present(k) ? b[k] === 1 : null;
    return out;
  }
  const f = src.float64(n);
  for (let k = 0; k < n; k++) out[k] = present(k) ? f[k] : null;
  return out;
}
