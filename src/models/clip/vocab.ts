/**
 * CLIP's vocabulary as integer tables. openai/CLIP's SimpleTokenizer builds 49,408 tokens: the
 * 256 byte symbols of `bytes_to_unicode` (ids 0..255), the same with `</w>` (256..511), one
 * token per BPE merge in rank order (512..49405), then `<|startoftext|>` and `<|endoftext|>`.
 * Every merge joins two earlier tokens, so a merge is stored as the pair of their ids and no
 * token string is needed to tokenise: ids in, ids out.
 */

export const VOCAB_SIZE = 49408;
export const SOT = 49406;
export const EOT = 49407;
/** Merges SimpleTokenizer reads: lines 1..48894 of the BPE file (`merges[1:49152-256-2+1]`). */
export const MERGE_COUNT = VOCAB_SIZE - 512 - 2;
export const FIRST_MERGE_ID = 512;
/** The `</w>` form of byte-symbol id b is b + END_OF_WORD. */
export const END_OF_WORD = 256;

/** GPT-2's `bytes_to_unicode` order: printable Latin-1 bytes first, then the rest from 0. */
function byteOrder(): number[] {
  const bs: number[] = [];
  for (let b = 0x21; b <= 0x7e; b++) bs.push(b);
  for (let b = 0xa1; b <= 0xac; b++) bs.push(b);
  for (let b = 0xae; b <= 0xff; b++) bs.push(b);
  const printable = new Set(bs);
  for (let b = 0; b < 256; b++) if (!printable.has(b)) bs.push(b);
  return bs;
}

const BYTE_ORDER = byteOrder();
/** How many bytes `bytes_to_unicode` keeps as their own character ('!'..'~', '¡'..'¬', '®'..'ÿ'). */
const PRINTABLE_COUNT = 188;

/** UTF-8 byte → its byte-symbol id (0..255). */
export const BYTE_TO_ID: Uint8Array = (() => {
  const t = new Uint8Array(256);
  BYTE_ORDER.forEach((b, id) => (t[b] = id));
  return t;
})();

/** The unicode character `bytes_to_unicode` gives byte-symbol id `id`: the printable bytes are
 * themselves, the other bytes become U+0100.. in byte order. */
export function byteSymbolChar(id: number): string {
  return String.fromCharCode(id < PRINTABLE_COUNT ? BYTE_ORDER[id] : 256 + id - PRINTABLE_COUNT);
}

/** The merges as id pairs: merge r (rank r) makes token FIRST_MERGE_ID + r from left[r] + right[r]. */
export interface ClipMerges {
  left: Uint16Array;
  right: Uint16Array;
}

/** Every token's string, in id order (as SimpleTokenizer's `encoder` keys). */
export function tokenStrings(merges: ClipMerges): string[] {
  const out: string[] = [];
  for (let id = 0; id < 256; id++) out.push(byteSymbolChar(id));
  for (let id = 0; id < 256; id++) out.push(out[id] + '</w>');
  for (let r = 0; r < merges.left.length; r++) out.push(out[merges.left[r]] + out[merges.right[r]]);
  out.push('<|startoftext|>', '<|endoftext|>');
  return out;
}

/**
 * The BPE file's text (as in openai/CLIP) → id pairs, exactly as SimpleTokenizer reads it.
 * Throws if a merge names a token not defined before it or makes a token twice: then string
 * ranks and id ranks would differ and the id tables could not be exact.
 */
export function mergesFromBpeText(text: string): ClipMerges {
  const lines = text.split('\n').slice(1, MERGE_COUNT + 1);
  if (lines.length !== MERGE_COUNT) throw new Error(`BPE file has ${lines.length} merges, expected ${MERGE_COUNT}`);
  const ids = new Map<string, number>();
  for (let id = 0; id < 256; id++) {
    ids.set(byteSymbolChar(id), id);
    ids.set(byteSymbolChar(id) + '</w>', id + END_OF_WORD);
  }
  const left = new Uint16Array(MERGE_COUNT);
  const right = new Uint16Array(MERGE_COUNT);
  lines.forEach((line, r) => {
    const parts = line.split(/\s+/).filter(Boolean);
    if (parts.length !== 2) throw new Error(`BPE merge ${r + 1} is not two symbols: ${JSON.stringify(line)}`);
    const [a, b] = parts;
    const ia = ids.get(a);
    const ib = ids.get(b);
    if (ia === undefined || ib === undefined) throw new Error(`BPE merge ${r + 1} uses a symbol not defined before it: ${line}`);
    if (ids.has(a + b)) throw new Error(`BPE merge ${r + 1} makes ${a + b} a second time`);
    ids.set(a + b, FIRST_MERGE_ID + r);
    left[r] = ia;
    right[r] = ib;
  });
  return { left, right };
}

/** Compact form shipped in the package: u32 LE count, then count × (u16 left, u16 right). */
export function mergesToBytes(m: ClipMerges): Uint8Array {
  const n = m.left.length;
  const buf = new Uint8Array(4 + 4 * n);
  const dv = new DataView(buf.buffer);
  dv.setUint32(0, n, true);
  for (let r = 0; r < n; r++) {
    dv.setUint16(4 + 4 * r, m.left[r], true);
    dv.setUint16(6 + 4 * r, m.right[r], true);
  }
  return buf;
}

export function mergesFromBytes(buf: Uint8Array): ClipMerges {
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const n = dv.getUint32(0, true);
  if (n !== MERGE_COUNT || buf.byteLength !== 4 + 4 * n) throw new Error(`CLIP merges: expected ${MERGE_COUNT} merges, file holds ${n} (${buf.byteLength} bytes)`);
  const left = new Uint16Array(n);
  const right = new Uint16Array(n);
  for (let r = 0; r < n; r++) {
    left[r] = dv.getUint16(4 + 4 * r, true);
    right[r] = dv.getUint16(6 + 4 * r, true);
  }
  return { left, right };
}
