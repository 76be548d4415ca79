/**
 * The matcher's tables as plain typed arrays: what a worker receives, what the matcher file
 * holds, and the checks that a set of tables read from elsewhere is consistent.
 */

import type { PaddingRule } from './padding.js';

/**
 * Everything a matcher needs, as typed arrays: post it to a worker (share it with
 * `{ shared: true }`, or list `transferList(t)` to move it) and rebuild there with
 * `MetaclipMatcher.fromTransferable`, which copies nothing.
 */
export interface MatcherTransferable {
  format: 'thresher-metaclip-matcher/1';
  padding: PaddingRule;
  entryCount: number;
  /** UTF-16 code unit -> alphabet code (0: in no key); length 65536 */
  charToCode: Uint16Array;
  /** double array: [base, check] per slot; base < 0 marks a node that ends a key */
  trie: Int32Array;
  /** per slot: the smallest entry id whose key ends at that node, or the tail index of a
   *  tail node (base 0), or -1 */
  slotEntry: Int32Array;
  /** codes of all tails, back to back; tail k is tailCodes[tailStart[k] .. tailStart[k+1]) */
  tailCodes: Uint16Array;
  tailStart: Int32Array;
  /** per tail: the smallest entry id whose key it ends */
  tailEntry: Int32Array;
  /** per entry: next larger entry id with the same key, or -1 (empty when no duplicates) */
  duplicateNext: Int32Array;
  /** per alphabet code: 1 when some key starts with it */
  startsKey: Uint8Array;
}

/** The typed arrays of the tables, by name. */
function tableArrays(t: MatcherTransferable): [string, Uint8Array | Uint16Array | Int32Array][] {
  return [
    ['charToCode', t.charToCode],
    ['trie', t.trie],
    ['slotEntry', t.slotEntry],
    ['tailCodes', t.tailCodes],
    ['tailStart', t.tailStart],
    ['tailEntry', t.tailEntry],
    ['duplicateNext', t.duplicateNext],
    ['startsKey', t.startsKey],
  ];
}

/** The buffers to list in `postMessage(t, transferList(t))` to move (not copy) the tables. */
export function transferList(t: MatcherTransferable): ArrayBuffer[] {
  return tableArrays(t)
    .map(([, a]) => a.buffer)
    .filter((b): b is ArrayBuffer => b instanceof ArrayBuffer);
}

/** Throws when `t` is not a set of tables this version can match with. */
export function checkTables(t: MatcherTransferable): void {
  if (t.format !== 'thresher-metaclip-matcher/1') throw new Error(`not a thresher MetaCLIP matcher: format ${String(t.format)}`);
  if (
    t.charToCode.length !== 65536 ||
    t.trie.length !== 2 * t.slotEntry.length ||
    t.startsKey.length === 0 ||
    t.tailStart.length !== t.tailEntry.length + 1 ||
    t.tailStart[t.tailEntry.length] !== t.tailCodes.length
  ) {
    throw new Error('MetaCLIP matcher tables are inconsistent');
  }
}

/**
 * A copy of the tables. `shared: true` copies into SharedArrayBuffers once, so any number of
 * workers can use one copy.
 */
export function copyTables(t: MatcherTransferable, options: { shared?: boolean } = {}): MatcherTransferable {
  const copy = <T extends Uint16Array | Int32Array | Uint8Array>(a: T): T => {
    if (a.byteLength === 0 || !options.shared) return a.slice() as T;
    const ctor = a.constructor as { new (b: SharedArrayBuffer): T };
    const out = new ctor(new SharedArrayBuffer(a.byteLength));
    out.set(a as never);
    return out;
  };
  return {
    format: 'thresher-metaclip-matcher/1',
    padding: t.padding,
    entryCount: t.entryCount,
    charToCode: copy(t.charToCode),
    trie: copy(t.trie),
    slotEntry: copy(t.slotEntry),
    tailCodes: copy(t.tailCodes),
    tailStart: copy(t.tailStart),
    tailEntry: copy(t.tailEntry),
    duplicateNext: copy(t.duplicateNext),
    startsKey: copy(t.startsKey),
  };
}

const MAGIC = new TextEncoder().encode('thresher-metaclip-matcher\n');

interface ArrayLayout {
  name: string;
  type: string;
  length: number;
  offset: number;
}

/**
 * The tables as one byte string, to cache a built matcher in a file: a magic line, a JSON
 * header, then each array 8-byte aligned (little-endian, as typed arrays are on every
 * platform Node runs on).
 */
export function tablesToBytes(t: MatcherTransferable): Uint8Array {
  const arrays = tableArrays(t);
  const layout: ArrayLayout[] = [];
  let offset = 0;
  for (const [name, a] of arrays) {
    layout.push({ name, type: a.constructor.name, length: a.length, offset });
    offset += Math.ceil(a.byteLength / 8) * 8;
  }
  const header = new TextEncoder().encode(JSON.stringify({ format: 'thresher-metaclip-matcher/1', padding: t.padding, entryCount: t.entryCount, arrays: layout }));
  const headerBytes = Math.ceil((MAGIC.length + 4 + header.length) / 8) * 8;
  const out = new Uint8Array(headerBytes + offset);
  out.set(MAGIC, 0);
  new DataView(out.buffer).setUint32(MAGIC.length, header.length, true);
  out.set(header, MAGIC.length + 4);
  for (let i = 0; i < arrays.length; i++) {
    const a = arrays[i][1];
    out.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), headerBytes + layout[i].offset);
  }
  return out;
}

type TableArray = Uint8Array | Uint16Array | Int32Array;
const ARRAY_TYPES: Record<string, { BYTES_PER_ELEMENT: number; new (b: ArrayBufferLike, o: number, n: number): TableArray }> = { Uint8Array, Uint16Array, Int32Array };

/** Read `tablesToBytes` output back (views into `bytes` when aligned, else copies); checked. */
export function tablesFromBytes(bytes: Uint8Array): MatcherTransferable {
  const bad = (why: string): never => {
    throw new Error(`not a thresher MetaCLIP matcher file: ${why}`);
  };
  if (bytes.length < MAGIC.length + 4 || MAGIC.some((b, i) => bytes[i] !== b)) bad('wrong magic');
  const headerLength = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(MAGIC.length, true);
  let header: { format: string; padding: PaddingRule; entryCount: number; arrays: ArrayLayout[] };
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(MAGIC.length + 4, MAGIC.length + 4 + headerLength)));
  } catch {
    return bad('unreadable header');
  }
  const headerBytes = Math.ceil((MAGIC.length + 4 + headerLength) / 8) * 8;
  const arrays: Record<string, TableArray> = {};
  for (const a of header.arrays) {
    const ctor = ARRAY_TYPES[a.type] ?? bad(`array type ${a.type}`);
    const start = bytes.byteOffset + headerBytes + a.offset;
    const byteLength = a.length * ctor.BYTES_PER_ELEMENT;
    if (headerBytes + a.offset + byteLength > bytes.length) bad('truncated');
    arrays[a.name] =
      start % ctor.BYTES_PER_ELEMENT === 0 ? new ctor(bytes.buffer, start, a.length) : new ctor(bytes.slice(headerBytes + a.offset, headerBytes + a.offset + byteLength).buffer, 0, a.length);
  }
  const t: MatcherTransferable = {
    format: header.format as MatcherTransferable['format'],
    padding: header.padding,
    entryCount: header.entryCount,
    charToCode: arrays.charToCode as Uint16Array,
    trie: arrays.trie as Int32Array,
    slotEntry: arrays.slotEntry as Int32Array,
    tailCodes: arrays.tailCodes as Uint16Array,
    tailStart: arrays.tailStart as Int32Array,
    tailEntry: arrays.tailEntry as Int32Array,
    duplicateNext: arrays.duplicateNext as Int32Array,
    startsKey: arrays.startsKey as Uint8Array,
  };
  checkTables(t);
  return t;
}
