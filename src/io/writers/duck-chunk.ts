import duckdb from '@duckdb/node-bindings';
import type { DuckDBType } from '@duckdb/node-api';
import { EncodedStrings } from '../../core/encoded-strings.js';
import type { ColumnType, Value } from '../../core/record.js';

/** What a writer buffers for a cell: its value, or the encoded column it still lies in (string columns). */
export type Cell = Value | EncodedStrings;

/**
 * Fills DuckDB data chunks straight from column arrays. The generic vector classes of
 * @duckdb/node-api cache every value, convert numbers to BigInt and cross into C++ once per
 * string; here fixed-width data is built in typed arrays and copied once per vector, strings
 * of up to 12 ASCII bytes are written inline into DuckDB's 16-byte string_t slots, and only
 * longer strings cost a call each. (That was most of the time of writing a release.)
 */

const INLINE = 12; // DuckDB keeps strings of up to 12 bytes inside string_t
const TWO_32 = 4294967296;

const isInt32 = (x: unknown) => typeof x === 'number' && Number.isInteger(x) && x >= -2147483648 && x <= 2147483647;
const isNumber = (x: unknown) => typeof x === 'number';
const isString = (x: unknown) => typeof x === 'string';

/** Whether a non-null value can be stored in a column of `type` (checked when a row is taken, so errors name it). */
export function fits(type: ColumnType, v: unknown): boolean {
  switch (type) {
    case 'string':
      return typeof v === 'string';
    case 'int64':
      return typeof v === 'bigint' ? BigInt.asIntN(64, v) === v : typeof v === 'number' && Number.isInteger(v) && Math.abs(v) < 2 ** 63;
    case 'float64':
      return typeof v === 'number';
    case 'bool':
      return typeof v === 'boolean';
    case 'int32[]':
      return Array.isArray(v) && v.every((x) => x === null || isInt32(x));
    case 'float32[]':
      return Array.isArray(v) && v.every((x) => x === null || isNumber(x));
    case 'string[]':
      return Array.isArray(v) && v.every((x) => x === null || isString(x));
  }
}

function validityOf(values: readonly Cell[], count: number): Uint8Array | undefined {
  let bits: Uint8Array | undefined;
  for (let k = 0; k < count; k++) {
    const v = values[k];
    if (v !== null && v !== undefined) continue;
    bits ??= new Uint8Array(Math.ceil(count / 64) * 8).fill(0xff);
    bits[k >> 3] &= ~(1 << (k & 7));
  }
  return bits;
}

function applyValidity(vector: duckdb.Vector, bits: Uint8Array | undefined): void {
  if (!bits) return;
  duckdb.vector_ensure_validity_writable(vector);
  duckdb.copy_data_to_vector_validity(vector, 0, bits.buffer as ArrayBuffer, bits.byteOffset, bits.byteLength);
}

function copyInto(vector: duckdb.Vector, data: ArrayBufferView): void {
  if (data.byteLength > 0) duckdb.copy_data_to_vector(vector, 0, data.buffer as ArrayBuffer, data.byteOffset, data.byteLength);
}

/**
 * Strings, all in one copy of the vector's 16-byte string_t slots: short ones inline; the
 * bytes of the long ones joined into one string that DuckDB stores in the vector's own string
 * heap (one assign call), each long slot then pointing into it (length, 4-byte prefix,
 * pointer: duckdb_string_t of the C API). DuckDB copies the bytes out of the heap when the
 * chunk is appended. One N-API call per long string cost a third of writing a caption pool.
 * A cell still in an encoded column (rows[k] its row there) goes in as its UTF-8 bytes.
 */
function fillStrings(vector: duckdb.Vector, values: readonly Cell[], count: number, rows?: readonly number[]): void {
  const slots = new Uint8Array(count * 16);
  const words = new Uint32Array(slots.buffer);
  let long: number[] | undefined;
  let longBytes = 0;
  for (let k = 0; k < count; k++) {
    const v = values[k];
    if (v === null || v === undefined) continue;
    if (v instanceof EncodedStrings) {
      const at = v.byteOffsets()!;
      const i = rows![k];
      const n = at[i + 1] - at[i];
      if (n > INLINE) {
        (long ??= []).push(k);
        longBytes += n;
        continue;
      }
      words[k * 4] = n;
      for (let b = 0; b < n; b++) slots[k * 16 + 4 + b] = v.bytes[at[i] + b];
      continue;
    }
    const s = v as string;
    const n = s.length;
    let ascii = n <= INLINE;
    for (let i = 0; ascii && i < n; i++) if (s.charCodeAt(i) > 0x7f) ascii = false;
    if (!ascii) {
      (long ??= []).push(k);
      longBytes += 3 * n;
      continue;
    }
    words[k * 4] = n;
    for (let i = 0; i < n; i++) slots[k * 16 + 4 + i] = s.charCodeAt(i);
  }
  if (long) pointLongStrings(vector, values, rows, long, longBytes, slots);
  copyInto(vector, slots);
}

// DuckDB copies the joined bytes into its own heap, so one buffer serves every chunk: a fresh
// one per chunk (megabytes of file content) faulted in new pages each time (~5 ms/MiB here).
// Chunks beyond the cap (rare: thousands of large files) get their own buffer, not a resident one.
const JOIN_KEEP_MAX = 64 * 1024 * 1024;
let joined = Buffer.alloc(0);
function joinBuffer(bytes: number): Buffer {
  if (bytes > JOIN_KEEP_MAX) return Buffer.allocUnsafeSlow(bytes);
  if (joined.length < bytes) joined = Buffer.allocUnsafeSlow(Math.min(JOIN_KEEP_MAX, Math.max(bytes, 2 * joined.length)));
  return joined;
}

/** Joins the long strings into the vector's heap and fills their slots with pointers into it. */
function pointLongStrings(vector: duckdb.Vector, values: readonly Cell[], rows: readonly number[] | undefined, long: readonly number[], maxBytes: number, slots: Uint8Array): void {
  const heap = joinBuffer(maxBytes);
  const offsets = new Int32Array(long.length + 1);
  let used = 0;
  for (let j = 0; j < long.length; j++) {
    const k = long[j];
    const v = values[k];
    if (v instanceof EncodedStrings) {
      const at = v.byteOffsets()!;
      const i = rows![k];
      const from = at[i];
      const n = at[i + 1] - from;
      if (n < 512) {
        // Buffer.copy's JavaScript checks cost more than this loop for captions
        const src = v.bytes;
        for (let b = 0; b < n; b++) heap[used + b] = src[from + b];
        used += n;
      } else {
        used += v.bytes.copy(heap, used, from, from + n);
      }
    } else {
      used += heap.write(v as string, used, 'utf8');
    }
    offsets[j + 1] = used;
  }
  // A string may have been short but not ASCII: it is inline after all when its UTF-8 fits.
  const first = long[0];
  duckdb.vector_assign_string_element_len(vector, first, heap.subarray(0, used));
  const data = duckdb.vector_get_data(vector, (first + 1) * 16);
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const baseLow = view.getUint32(first * 16 + 8, true);
  const baseHigh = view.getUint32(first * 16 + 12, true);
  const words = new Uint32Array(slots.buffer);
  for (let j = 0; j < long.length; j++) {
    const k = long[j];
    const start = offsets[j];
    const n = offsets[j + 1] - start;
    words[k * 4] = n;
    if (n <= INLINE) {
      for (let b = 0; b < n; b++) slots[k * 16 + 4 + b] = heap[start + b];
      continue;
    }
    for (let b = 0; b < 4; b++) slots[k * 16 + 4 + b] = heap[start + b];
    const low = baseLow + start;
    words[k * 4 + 2] = low >>> 0;
    words[k * 4 + 3] = baseHigh + (low >= TWO_32 ? 1 : 0);
  }
}

function fillInt64(vector: duckdb.Vector, values: readonly Value[], count: number): void {
  const words = new Int32Array(count * 2); // little-endian int64 as (low, high) words: no BigInt per value
  for (let k = 0; k < count; k++) {
    const v = values[k] as unknown;
    if (v === null || v === undefined) continue;
    if (typeof v === 'bigint') {
      words[2 * k] = Number(BigInt.asUintN(32, v)) | 0;
      words[2 * k + 1] = Number(BigInt.asIntN(32, v >> 32n));
    } else {
      words[2 * k] = (v as number) >>> 0;
      words[2 * k + 1] = Math.floor((v as number) / TWO_32) | 0;
    }
  }
  copyInto(vector, words);
}

function fillFloat64(vector: duckdb.Vector, values: readonly Value[], count: number): void {
  const out = new Float64Array(count);
  for (let k = 0; k < count; k++) {
    const v = values[k];
    if (v === null || v === undefined) continue;
    out[k] = v as number;
  }
  copyInto(vector, out);
}

function fillBool(vector: duckdb.Vector, values: readonly Value[], count: number): void {
  const out = new Uint8Array(count);
  for (let k = 0; k < count; k++) {
    const v = values[k];
    if (v === null || v === undefined) continue;
    out[k] = v === true ? 1 : 0;
  }
  copyInto(vector, out);
}

/** Lists: (offset, length) entries, then the child vector filled like a column of its own. */
function fillList(vector: duckdb.Vector, values: readonly Value[], count: number, type: 'int32[]' | 'float32[]' | 'string[]'): void {
  const entries = new Uint32Array(count * 4); // u64 offset, u64 length: high words stay 0
  let total = 0;
  for (let k = 0; k < count; k++) {
    const v = values[k];
    if (v === null || v === undefined) continue;
    const list = v as unknown[];
    entries[4 * k] = total;
    entries[4 * k + 2] = list.length;
    total += list.length;
  }
  copyInto(vector, entries);
  duckdb.list_vector_reserve(vector, total);
  duckdb.list_vector_set_size(vector, total);
  const child = duckdb.list_vector_get_child(vector);
  const flat = new Array<Value>(total);
  let at = 0;
  for (let k = 0; k < count; k++) {
    const v = values[k];
    if (Array.isArray(v)) for (const x of v) flat[at++] = x as Value;
  }
  if (type === 'string[]') fillStrings(child, flat, total);
  else {
    const data = type === 'int32[]' ? new Int32Array(total) : new Float32Array(total);
    for (let i = 0; i < total; i++) if (flat[i] !== null) data[i] = flat[i] as number;
    copyInto(child, data);
  }
  applyValidity(child, validityOf(flat, total));
}

/** A column as a batch holds it: its values, or its still-encoded strings. */
export type ColumnSource = readonly Value[] | EncodedStrings;

/** Approximate uncompressed bytes of each selected row (as valueBytes() counts them), column by column. */
export function rowBytes(sources: readonly ColumnSource[], rows: Int32Array): Float64Array {
  const out = new Float64Array(rows.length);
  for (const source of sources) {
    if (source instanceof EncodedStrings) {
      const at = source.byteOffsets()!;
      for (let k = 0; k < rows.length; k++) out[k] += at[rows[k] + 1] - at[rows[k]];
      continue;
    }
    let last: string | undefined;
    let lastBytes = 0;
    for (let k = 0; k < rows.length; k++) {
      const v = source[rows[k]];
      if (v === null || v === undefined) continue;
      if (typeof v === 'string') {
        // columns such as `source` repeat one string row after row
        if (v !== last) {
          last = v;
          lastBytes = Buffer.byteLength(v, 'utf8');
        }
        out[k] += lastBytes;
      } else {
        out[k] += Array.isArray(v) ? listBytes(v) : 8;
      }
    }
  }
  return out;
}

function listBytes(v: readonly unknown[]): number {
  let n = 0;
  for (const x of v) n += typeof x === 'string' ? Buffer.byteLength(x, 'utf8') : 8;
  return n;
}

/** Types of a chunk's columns, made once per writer. */
export class ChunkShape {
  private readonly logical: duckdb.LogicalType[];

  constructor(
    readonly types: readonly ColumnType[],
    duckTypes: readonly DuckDBType[],
  ) {
    this.logical = duckTypes.map((t) => t.toLogicalType().logical_type);
  }

  /**
   * A data chunk of `count` rows (at most DuckDB's vector size) holding the first `count` cells
   * of each column (values checked with fits(); rows[c][k]: the row of an encoded cell).
   */
  /** A data chunk of the batch rows rows[start..start+count) (at most DuckDB's vector size), values already checked. */
  fillFrom(sources: readonly ColumnSource[], rows: Int32Array, start: number, count: number): duckdb.DataChunk {
    const cells: Cell[][] = [];
    const cellRows: number[][] = [];
    for (const source of sources) {
      const column = new Array<Cell>(count);
      const at = new Array<number>(count);
      if (source instanceof EncodedStrings) {
        for (let k = 0; k < count; k++) {
          const i = rows[start + k];
          column[k] = source.isPresent(i) ? source : null;
          at[k] = i;
        }
      } else {
        for (let k = 0; k < count; k++) column[k] = source[rows[start + k]] ?? null;
      }
      cells.push(column);
      cellRows.push(at);
    }
    return this.fill(cells, cellRows, count);
  }

  fill(columns: readonly (readonly Cell[])[], rows: readonly (readonly number[])[], count: number): duckdb.DataChunk {
    const chunk = duckdb.create_data_chunk(this.logical);
    duckdb.data_chunk_set_size(chunk, count);
    for (let c = 0; c < this.types.length; c++) {
      const vector = duckdb.data_chunk_get_vector(chunk, c);
      const values = columns[c];
      const type = this.types[c];
      if (type === 'string') fillStrings(vector, values, count, rows[c]);
      else if (type === 'int64') fillInt64(vector, values as Value[], count);
      else if (type === 'float64') fillFloat64(vector, values as Value[], count);
      else if (type === 'bool') fillBool(vector, values as Value[], count);
      else fillList(vector, values as Value[], count, type);
      applyValidity(vector, validityOf(values, count));
    }
    return chunk;
  }
}
