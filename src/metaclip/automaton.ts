/**
 * MetaCLIP substring matcher: which metadata entries occur in a text, exactly as the
 * reference decides it (entry `e` matches when `" " + e + " "` is a substring of
 * `spacing(text)`; case-sensitive; nested and overlapping entries all count; each entry once
 * per text), answered as sorted ascending entry ids.
 *
 * Design (measured against MetaCLIP's own pyahocorasick matcher, see bench/metaclip/match.ts):
 *
 * - Every padded key starts with a space (MetaCLIP 1) or, with the MetaCLIP 2 padding rule,
 *   with a space or a character of a script written without spaces. So instead of an
 *   Aho-Corasick automaton with failure links we keep a plain trie of the padded keys and walk
 *   it from each position whose character starts some key (in English text: each space).
 *   A walk stops at the first character the trie does not continue with; walks are short
 *   (about one word plus the start of the next), so each character is looked at once or
 *   twice. There are no failure or output links: every key ending on the walk is reported
 *   where it ends. Worst case is O(text length x longest key), fine for keys of a few words.
 * - The trie is a double array (base/check interleaved in one Int32Array, so one cache line
 *   holds both) over a dense alphabet: the UTF-16 code units that occur in keys, numbered by
 *   frequency (space first) through a 64 K-entry Uint16Array. Units that occur in no key map
 *   to 0, which never has a transition. A node's base is negated when the node ends a key.
 * - Tails: where the rest of the trie below a node is one key's unbranched suffix, the
 *   suffix is stored as a run of codes and compared in one sequential loop instead of a
 *   step per character (base 0 marks such a node). The double array shrinks 4x (500k
 *   entries: 3.96M trie nodes, 1.0M slots; tables 20 MiB); matching speed is unchanged.
 * - Placement is first fit in depth-first order; for nodes with several children the search
 *   only tries each free slot a bounded number of times, so alphabets of thousands of
 *   characters (CJK) still build in well under a second.
 * - Measured and dropped: a word-level engine (hash each word, trie over word ids), a jump
 *   table for the first characters after a space, two interleaved walks, breadth-first
 *   placement. Matching is bound by dependent loads into the trie; all of these were even.
 * - The spacing rule is applied while the text is copied into a reused Uint16Array of
 *   alphabet codes; no spaced string is built and no per-text garbage is made except the
 *   returned id array (and `matchView` avoids even that).
 * - Ids are collected as found and sorted with repeats dropped at the end: cheaper than a
 *   per-entry "seen" stamp, whose random accesses miss the cache on a big metadata.
 *
 * UTF-16 code units vs code points: the reference (Python) compares code points. For
 * well-formed strings, a UTF-16 substring match of a well-formed key is always aligned to
 * code points, so both agree; surrogate pairs need no special handling.
 */

import { ASCII_SPACING_KIND, SPACING_KEEP, SPACING_WRAP, isPythonSpace, pythonStrip } from './spacing.js';

/**
 * `metaclip1`: every entry padded with a space on both sides (MetaCLIP 1, English).
 * `metaclip2`: an end of the entry is not padded when its character is of a script written
 * without spaces or is punctuation (MetaCLIP 2 `get_spaced_metadata`).
 */
export type PaddingRule = 'metaclip1' | 'metaclip2';

export interface MatcherOptions {
  /** default `metaclip1` */
  padding?: PaddingRule;
}

/** ASCII punctuation as in Python's `string.punctuation`. */
const ASCII_PUNCTUATION = '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~';

/** MetaCLIP 2's `additional_punctuation` (full-width and CJK punctuation). */
const ADDITIONAL_PUNCTUATION = '，。、；：？！“”‘’（）【】《》〈〉「」『』～—';

const PUNCTUATION_CODE_POINTS: ReadonlySet<number> = new Set([...(ASCII_PUNCTUATION + ADDITIONAL_PUNCTUATION)].map((c) => c.codePointAt(0) as number));

/**
 * MetaCLIP 2's `is_cjk_or_similar`, code point ranges copied from the reference
 * (metaclip/curation/substr_matching.py): CJK unified ideographs and extensions A-F,
 * compatibility ideographs, CJK radicals, Kangxi radicals, ideographic description
 * characters; Thai, Lao, Myanmar, Khmer, Tibetan; and punctuation.
 *
 * Note the reference does NOT list Hiragana/Katakana (U+3040-U+30FF) or Hangul: a Japanese
 * entry ending in kana is padded with a space. We keep the reference's ranges so counts match.
 */
export function isUnpaddedCodePoint(cp: number): boolean {
  return (
    (cp >= 0x4e00 && cp <= 0x9fff) ||
    (cp >= 0x3400 && cp <= 0x4dbf) ||
    (cp >= 0x20000 && cp <= 0x2a6df) ||
    (cp >= 0x2a700 && cp <= 0x2b73f) ||
    (cp >= 0x2b740 && cp <= 0x2b81f) ||
    (cp >= 0x2b820 && cp <= 0x2ceaf) ||
    (cp >= 0x2ceb0 && cp <= 0x2ebef) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0x2e80 && cp <= 0x2eff) ||
    (cp >= 0x2f00 && cp <= 0x2fdf) ||
    (cp >= 0x2ff0 && cp <= 0x2fff) ||
    (cp >= 0x0e00 && cp <= 0x0e7f) || // Thai
    (cp >= 0x0e80 && cp <= 0x0eff) || // Lao
    (cp >= 0x1000 && cp <= 0x109f) || // Myanmar
    (cp >= 0x1780 && cp <= 0x17ff) || // Khmer
    (cp >= 0x0f00 && cp <= 0x0fff) || // Tibetan
    PUNCTUATION_CODE_POINTS.has(cp)
  );
}

function lastCodePoint(s: string): number {
  const last = s.charCodeAt(s.length - 1);
  if (last >= 0xdc00 && last <= 0xdfff && s.length >= 2) {
    const high = s.charCodeAt(s.length - 2);
    if (high >= 0xd800 && high <= 0xdbff) return ((high - 0xd800) << 10) + (last - 0xdc00) + 0x10000;
  }
  return last;
}

/** The string the matcher looks for in `spacing(text)` for one entry. */
export function paddedKey(entry: string, padding: PaddingRule = 'metaclip1'): string {
  if (padding === 'metaclip1') return ` ${entry} `;
  if (entry.length === 0) {
    throw new RangeError('empty metadata entry: with MetaCLIP 2 padding it has no end to pad (the reference fails on it too)');
  }
  const head = isUnpaddedCodePoint(entry.codePointAt(0) as number) ? '' : ' ';
  const tail = isUnpaddedCodePoint(lastCodePoint(entry)) ? '' : ' ';
  return head + entry + tail;
}

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

const MAGIC = new TextEncoder().encode('thresher-metaclip-matcher\n');

export interface MatcherStats {
  entries: number;
  alphabet: number;
  /** nodes kept in the double array (tails excluded) */
  trieNodes: number;
  slots: number;
  tails: number;
  tailCodes: number;
  bytes: number;
}

export class MetaclipMatcher {
  readonly padding: PaddingRule;
  readonly entryCount: number;
  private readonly charToCode: Uint16Array;
  private readonly trie: Int32Array;
  private readonly slotEntry: Int32Array;
  private readonly tailCodes: Uint16Array;
  private readonly tailStart: Int32Array;
  private readonly tailEntry: Int32Array;
  private readonly duplicateNext: Int32Array;
  private readonly startsKey: Uint8Array;
  private readonly spaceCode: number;
  /** ASCII unit -> alphabet code, or -1 wrap in spaces, or -2 becomes a space */
  private readonly asciiCode: Int32Array;

  // Per-instance scratch, reused across texts (a matcher is used by one thread).
  private codes: Uint16Array = new Uint16Array(1024);
  private found: Int32Array = new Int32Array(64);
  private count = 0;

  private constructor(t: MatcherTransferable) {
    this.padding = t.padding;
    this.entryCount = t.entryCount;
    this.charToCode = t.charToCode;
    this.trie = t.trie;
    this.slotEntry = t.slotEntry;
    this.tailCodes = t.tailCodes;
    this.tailStart = t.tailStart;
    this.tailEntry = t.tailEntry;
    this.duplicateNext = t.duplicateNext;
    this.startsKey = t.startsKey;
    this.spaceCode = t.charToCode[0x20];
    this.asciiCode = new Int32Array(128);
    for (let u = 0; u < 128; u++) {
      const kind = ASCII_SPACING_KIND[u];
      this.asciiCode[u] = kind === SPACING_KEEP ? t.charToCode[u] : kind === SPACING_WRAP ? -1 : -2;
    }
  }

  /** Build from the metadata entry list (entry id = index). */
  static build(entries: readonly string[], options: MatcherOptions = {}): MetaclipMatcher {
    return new MetaclipMatcher(buildTables(entries, options.padding ?? 'metaclip1'));
  }

  /** Wrap tables made by `toTransferable` (in this or another thread); nothing is copied. */
  static fromTransferable(t: MatcherTransferable): MetaclipMatcher {
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
    return new MetaclipMatcher(t);
  }

  /**
   * The tables as typed arrays. Copies by default so this matcher stays usable even when the
   * copy is transferred; `shared: true` copies into SharedArrayBuffers once, so any number
   * of workers can use one copy.
   */
  toTransferable(options: { shared?: boolean } = {}): MatcherTransferable {
    const copy = <T extends Uint16Array | Int32Array | Uint8Array>(a: T): T => {
      if (a.byteLength === 0) return a.slice() as T;
      if (!options.shared) return a.slice() as T;
      const ctor = a.constructor as { new (b: SharedArrayBuffer): T };
      const out = new ctor(new SharedArrayBuffer(a.byteLength));
      out.set(a as never);
      return out;
    };
    return {
      format: 'thresher-metaclip-matcher/1',
      padding: this.padding,
      entryCount: this.entryCount,
      charToCode: copy(this.charToCode),
      trie: copy(this.trie),
      slotEntry: copy(this.slotEntry),
      tailCodes: copy(this.tailCodes),
      tailStart: copy(this.tailStart),
      tailEntry: copy(this.tailEntry),
      duplicateNext: copy(this.duplicateNext),
      startsKey: copy(this.startsKey),
    };
  }

  /**
   * The tables as one byte string, to cache a built matcher in a file: a magic line, a JSON
   * header, then each array 8-byte aligned (little-endian, as typed arrays are on every
   * platform Node runs on).
   */
  toBytes(): Uint8Array {
    const arrays = tableArrays(this.toTransferable());
    const layout: { name: string; type: string; length: number; offset: number }[] = [];
    let offset = 0;
    for (const [name, a] of arrays) {
      layout.push({ name, type: a.constructor.name, length: a.length, offset });
      offset += Math.ceil(a.byteLength / 8) * 8;
    }
    const header = new TextEncoder().encode(JSON.stringify({ format: 'thresher-metaclip-matcher/1', padding: this.padding, entryCount: this.entryCount, arrays: layout }));
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

  /** Rebuild from `toBytes()` output (views into `bytes` when aligned, else copies). */
  static fromBytes(bytes: Uint8Array): MetaclipMatcher {
    const bad = (why: string): never => {
      throw new Error(`not a thresher MetaCLIP matcher file: ${why}`);
    };
    if (bytes.length < MAGIC.length + 4 || MAGIC.some((b, i) => bytes[i] !== b)) bad('wrong magic');
    const headerLength = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(MAGIC.length, true);
    let header: { format: string; padding: PaddingRule; entryCount: number; arrays: { name: string; type: string; length: number; offset: number }[] };
    try {
      header = JSON.parse(new TextDecoder().decode(bytes.subarray(MAGIC.length + 4, MAGIC.length + 4 + headerLength)));
    } catch {
      return bad('unreadable header');
    }
    const headerBytes = Math.ceil((MAGIC.length + 4 + headerLength) / 8) * 8;
    const ctors: Record<string, { BYTES_PER_ELEMENT: number; new (b: ArrayBufferLike, o: number, n: number): Uint8Array | Uint16Array | Int32Array }> = {
      Uint8Array,
      Uint16Array,
      Int32Array,
    };
    const arrays: Record<string, Uint8Array | Uint16Array | Int32Array> = {};
    for (const a of header.arrays) {
      const ctor = ctors[a.type] ?? bad(`array type ${a.type}`);
      const start = bytes.byteOffset + headerBytes + a.offset;
      const byteLength = a.length * ctor.BYTES_PER_ELEMENT;
      if (headerBytes + a.offset + byteLength > bytes.length) bad('truncated');
      arrays[a.name] =
        start % ctor.BYTES_PER_ELEMENT === 0 ? new ctor(bytes.buffer, start, a.length) : new ctor(bytes.slice(headerBytes + a.offset, headerBytes + a.offset + byteLength).buffer, 0, a.length);
    }
    return MetaclipMatcher.fromTransferable({
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
    });
  }

  stats(): MatcherStats {
    let nodes = 0;
    for (let s = 1; s < this.trie.length; s += 2) if (this.trie[s] !== -1) nodes++;
    nodes++; // the root
    return {
      entries: this.entryCount,
      alphabet: this.startsKey.length - 1,
      trieNodes: nodes,
      slots: this.slotEntry.length,
      tails: this.tailEntry.length,
      tailCodes: this.tailCodes.length,
      bytes:
        this.charToCode.byteLength +
        this.trie.byteLength +
        this.slotEntry.byteLength +
        this.tailCodes.byteLength +
        this.tailStart.byteLength +
        this.tailEntry.byteLength +
        this.duplicateNext.byteLength +
        this.startsKey.byteLength,
    };
  }

  /** Sorted ascending ids of the entries that match `text`, as a new array. */
  match(text: string): Int32Array {
    const n = this.collect(text);
    return this.found.slice(0, n);
  }

  /**
   * Same ids as `match`, as a view of a scratch buffer: valid only until the next call on
   * this matcher. For hot loops that copy or count the ids right away.
   */
  matchView(text: string): Int32Array {
    const n = this.collect(text);
    return this.found.subarray(0, n);
  }

  /**
   * Same ids as `matchView`, for the text whose UTF-8 is bytes[start..end) (valid UTF-8, as
   * readers guarantee): a text that stayed in its input bytes is matched without decoding.
   */
  matchUtf8View(bytes: Uint8Array, start: number, end: number): Int32Array {
    if (this.padding === 'metaclip2') [start, end] = pythonStripUtf8(bytes, start, end);
    const n = this.walk(this.encodeUtf8(bytes, start, end));
    return this.found.subarray(0, n);
  }

  /** Fill `found[0..n)` with the sorted matched ids; returns n. */
  private collect(text: string): number {
    // MetaCLIP 2 strips each text as Python does before spacing; MetaCLIP 1 does not
    return this.walk(this.encode(this.padding === 'metaclip2' ? pythonStrip(text) : text));
  }

  /** Walk the trie from every key-starting position of codes[0..length); returns the number of sorted ids in `found`. */
  private walk(length: number): number {
    const codes = this.codes;
    const trie = this.trie;
    const startsKey = this.startsKey;
    const slotEntry = this.slotEntry;
    const tailCodes = this.tailCodes;
    const tailStart = this.tailStart;
    const rootBase = trie[0];
    this.count = 0;

    for (let p = 0; p < length; p++) {
      const first = codes[p];
      if (startsKey[first] === 0) continue;
      // A key starts with `first`, so the root has this child.
      let s = rootBase + first;
      let q = p + 1;
      for (;;) {
        let base = trie[2 * s];
        if (base <= 0) {
          if (base === 0) {
            // Tail: the rest of one key. codes[length] is 0 and no tail code is, so the
            // comparison stops at the text end.
            const k = slotEntry[s];
            let i = tailStart[k];
            const end = tailStart[k + 1];
            while (i < end && tailCodes[i] === codes[q]) {
              i++;
              q++;
            }
            if (i === end) this.push(this.tailEntry[k]);
            break;
          }
          base = -base;
          this.push(slotEntry[s]);
        }
        // codes[length] is 0, which never has a transition: the walk ends at the text end.
        const t = base + codes[q];
        if (trie[2 * t + 1] !== s) break;
        s = t;
        q++;
      }
    }
    // Do not keep a huge scratch buffer alive after one huge text.
    if (this.codes.length > 1 << 22) this.codes = new Uint16Array(1024);
    return sortUnique(this.found, this.count);
  }

  /** Append entry e and the later ids of the same string to `found`. */
  private push(e: number): void {
    do {
      if (this.count === this.found.length) {
        const grown = new Int32Array(this.found.length * 2);
        grown.set(this.found);
        this.found = grown;
      }
      this.found[this.count++] = e;
      e = this.duplicateNext.length > 0 ? this.duplicateNext[e] : -1;
    } while (e >= 0);
  }

  /**
   * Write the alphabet codes of `spacing(text)` into `this.codes`, followed by a 0 sentinel;
   * returns the spaced length.
   */
  private encode(text: string): number {
    const len = text.length;
    if (this.codes.length < 3 * len + 3) this.codes = new Uint16Array(Math.max(3 * len + 3, 2 * this.codes.length));
    const codes = this.codes;
    const charToCode = this.charToCode;
    const asciiCode = this.asciiCode;
    const space = this.spaceCode;
    codes[0] = space;
    let n = 1;
    for (let i = 0; i < len; i++) {
      const u = text.charCodeAt(i);
      if (u < 128) {
        const c = asciiCode[u];
        if (c >= 0) {
          codes[n++] = c;
        } else if (c === -1) {
          codes[n] = space;
          codes[n + 1] = charToCode[u];
          codes[n + 2] = space;
          n += 3;
        } else {
          codes[n++] = space;
        }
      } else {
        codes[n++] = charToCode[u];
      }
    }
    codes[n++] = space;
    codes[n] = 0;
    return n;
  }

  /** `encode` for the text whose UTF-8 is bytes[start..end), decoding characters on the way. */
  private encodeUtf8(bytes: Uint8Array, start: number, end: number): number {
    const len = end - start; // UTF-16 units never outnumber UTF-8 bytes
    if (this.codes.length < 3 * len + 3) this.codes = new Uint16Array(Math.max(3 * len + 3, 2 * this.codes.length));
    const codes = this.codes;
    const charToCode = this.charToCode;
    const asciiCode = this.asciiCode;
    const space = this.spaceCode;
    codes[0] = space;
    let n = 1;
    let i = start;
    while (i < end) {
      const b = bytes[i];
      if (b < 0x80) {
        const c = asciiCode[b];
        if (c >= 0) {
          codes[n++] = c;
        } else if (c === -1) {
          codes[n] = space;
          codes[n + 1] = charToCode[b];
          codes[n + 2] = space;
          n += 3;
        } else {
          codes[n++] = space;
        }
        i++;
      } else if (b < 0xe0) {
        codes[n++] = charToCode[((b & 0x1f) << 6) | (bytes[i + 1] & 0x3f)];
        i += 2;
      } else if (b < 0xf0) {
        codes[n++] = charToCode[((b & 0x0f) << 12) | ((bytes[i + 1] & 0x3f) << 6) | (bytes[i + 2] & 0x3f)];
        i += 3;
      } else {
        // a surrogate pair in UTF-16
        const cp = (((b & 0x07) << 18) | ((bytes[i + 1] & 0x3f) << 12) | ((bytes[i + 2] & 0x3f) << 6) | (bytes[i + 3] & 0x3f)) - 0x10000;
        codes[n++] = charToCode[0xd800 + (cp >> 10)];
        codes[n++] = charToCode[0xdc00 + (cp & 0x3ff)];
        i += 4;
      }
    }
    codes[n++] = space;
    codes[n] = 0;
    return n;
  }
}

/** `pythonStrip` on UTF-8: the byte range left after stripping Python whitespace from both ends. */
function pythonStripUtf8(bytes: Uint8Array, start: number, end: number): [number, number] {
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

/**
 * Sort a[0..n) ascending in place, dropping repeats (an entry found at several places in a
 * text); returns the new length. Insertion sort for the usual handful of ids: cheaper than
 * keeping a per-entry "seen" stamp, whose random accesses miss the cache on big metadata.
 */
function sortUnique(a: Int32Array, n: number): number {
  if (n > 48) {
    a.subarray(0, n).sort();
    let m = 1;
    for (let i = 1; i < n; i++) if (a[i] !== a[m - 1]) a[m++] = a[i];
    return m;
  }
  let m = n > 0 ? 1 : 0;
  for (let i = 1; i < n; i++) {
    const v = a[i];
    let j = m - 1;
    while (j >= 0 && a[j] > v) j--;
    if (j >= 0 && a[j] === v) continue;
    for (let k = m; k > j + 1; k--) a[k] = a[k - 1];
    a[j + 1] = v;
    m++;
  }
  return m;
}

// ---------------------------------------------------------------------------------------
// Building the tables

function buildTables(entries: readonly string[], padding: PaddingRule): MatcherTransferable {
  const keys = entries.map((e, i) => {
    if (typeof e !== 'string') throw new TypeError(`metadata entry ${i} is not a string`);
    return paddedKey(e, padding);
  });

  // Alphabet: code units of the keys numbered by frequency, so the common ones (space,
  // lower-case letters) get small codes and pack densely into the double array.
  const frequency = new Float64Array(65536);
  for (const k of keys) for (let i = 0; i < k.length; i++) frequency[k.charCodeAt(i)]++;
  const used: number[] = [];
  for (let u = 0; u < 65536; u++) if (frequency[u] > 0) used.push(u);
  used.sort((a, b) => frequency[b] - frequency[a] || a - b);
  const charToCode = new Uint16Array(65536);
  used.forEach((u, i) => (charToCode[u] = i + 1));
  const alphabet = used.length;

  const trie = buildTrie(keys, charToCode);
  const startsKey = new Uint8Array(alphabet + 1);
  for (let c = trie.firstChild[0]; c >= 0; c = trie.nextSibling[c]) startsKey[trie.code[c]] = 1;

  const placed = placeDoubleArray(trie, alphabet);
  return {
    format: 'thresher-metaclip-matcher/1',
    padding,
    entryCount: entries.length,
    charToCode,
    trie: placed.trie,
    slotEntry: placed.slotEntry,
    tailCodes: placed.tailCodes,
    tailStart: placed.tailStart,
    tailEntry: placed.tailEntry,
    duplicateNext: trie.duplicateNext,
    startsKey,
  };
}

interface PlainTrie {
  nodes: number;
  code: Uint16Array;
  firstChild: Int32Array;
  nextSibling: Int32Array;
  /** smallest entry id ending at the node, or -1 */
  entry: Int32Array;
  duplicateNext: Int32Array;
}

/**
 * Plain trie from the keys sorted by code unit: each key shares its longest common prefix
 * with the previous one, so nodes are appended in depth-first order with no lookups, and
 * each node's children come in ascending character order.
 */
function buildTrie(keys: readonly string[], charToCode: Uint16Array): PlainTrie {
  // Distinct keys with their smallest id; the native string sort is much faster than sorting
  // ids with a comparator.
  const firstId = new Map<string, number>();
  const repeats: number[] = [];
  for (let id = 0; id < keys.length; id++) {
    if (firstId.has(keys[id])) repeats.push(id);
    else firstId.set(keys[id], id);
  }
  const sorted = [...firstId.keys()].sort();

  // Exact node count first, so the arrays are allocated once.
  let nodes = 1;
  let maxLength = 0;
  let prev = '';
  for (const key of sorted) {
    nodes += key.length - commonPrefix(prev, key);
    if (key.length > maxLength) maxLength = key.length;
    prev = key;
  }

  const code = new Uint16Array(nodes);
  const entry = new Int32Array(nodes).fill(-1);
  const firstChild = new Int32Array(nodes).fill(-1);
  const nextSibling = new Int32Array(nodes).fill(-1);
  const lastChild = new Int32Array(nodes).fill(-1);
  /** path[d]: the node of the previous key's first d units */
  const path = new Int32Array(maxLength + 1);
  let next = 1;
  prev = '';
  for (const key of sorted) {
    for (let d = commonPrefix(prev, key); d < key.length; d++) {
      const parent = path[d];
      const node = next++;
      code[node] = charToCode[key.charCodeAt(d)];
      if (lastChild[parent] < 0) firstChild[parent] = node;
      else nextSibling[lastChild[parent]] = node;
      lastChild[parent] = node;
      path[d + 1] = node;
    }
    entry[path[key.length]] = firstId.get(key) as number;
    prev = key;
  }

  // The same string more than once in the metadata: every id matches, as in the reference
  // loop. Chain each repeat after the previous id of its string, in ascending id order.
  let duplicateNext = new Int32Array(0);
  if (repeats.length > 0) {
    duplicateNext = new Int32Array(keys.length).fill(-1);
    const lastId = new Map<string, number>();
    for (const id of repeats) {
      const key = keys[id];
      duplicateNext[lastId.get(key) ?? (firstId.get(key) as number)] = id;
      lastId.set(key, id);
    }
  }
  return { nodes, code, firstChild, nextSibling, entry, duplicateNext };
}

function commonPrefix(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i;
}

interface PlacedTables {
  trie: Int32Array;
  slotEntry: Int32Array;
  tailCodes: Uint16Array;
  tailStart: Int32Array;
  tailEntry: Int32Array;
}

/**
 * Lay the trie out as a double array: node s with base b has its child on code c at slot
 * b + c, and that slot's check holds s's slot. First-fit placement in depth-first order
 * (a word's nodes end up near each other). Unbranched suffixes become tails.
 */
function placeDoubleArray(trie: PlainTrie, alphabet: number): PlacedTables {
  const { nodes, firstChild, nextSibling, code, entry } = trie;

  // isTail[n]: below n (n included) there is one unbranched path ending at the only key end.
  // A child's id is always larger than its parent's, so one backward pass settles it.
  const isTail = new Uint8Array(nodes);
  for (let n = nodes - 1; n > 0; n--) {
    const c = firstChild[n];
    if (c < 0) isTail[n] = entry[n] >= 0 ? 1 : 0;
    else isTail[n] = entry[n] < 0 && nextSibling[c] < 0 && isTail[c] ? 1 : 0;
  }

  let capacity = Math.max(1024, Math.ceil(nodes * 0.5) + alphabet + 2);
  let base = new Int32Array(capacity);
  let check = new Int32Array(capacity).fill(-1);
  let used = new Uint8Array(capacity);
  // Anchor candidates for nodes with several children: free slots that have not yet failed
  // as the slot of a node's smallest child code MAX_TRIALS times. anchorNext is a
  // "next candidate at or after i" union-find (with path halving), so searches skip used and
  // exhausted slots; the trial limit keeps the search from rescanning a crowded region for
  // every node (with an 8,000-character alphabet it otherwise takes minutes).
  const MAX_TRIALS = 16;
  let trials = new Uint8Array(capacity);
  let anchorNext = new Int32Array(capacity);
  for (let i = 0; i < capacity; i++) anchorNext[i] = i;
  const slotOf = new Int32Array(nodes);
  const grow = (need: number): void => {
    if (need < capacity) return;
    let next = capacity * 2;
    while (next <= need) next *= 2;
    const b = new Int32Array(next);
    b.set(base);
    const c = new Int32Array(next).fill(-1);
    c.set(check);
    const u = new Uint8Array(next);
    u.set(used);
    const t = new Uint8Array(next);
    t.set(trials);
    const a = new Int32Array(next);
    a.set(anchorNext);
    for (let i = capacity; i < next; i++) a[i] = i;
    base = b;
    check = c;
    used = u;
    trials = t;
    anchorNext = a;
    capacity = next;
  };
  const nextAnchor = (i: number): number => {
    for (;;) {
      grow(i + alphabet + 1);
      const n = anchorNext[i];
      if (n === i) return i;
      anchorNext[i] = anchorNext[n];
      i = n;
    }
  };
  const markUsed = (slot: number): void => {
    used[slot] = 1;
    anchorNext[slot] = slot + 1;
  };

  // Tails take at most one code per node.
  const tailCodes = new Uint16Array(nodes);
  let tailLength = 0;
  const tailStart: number[] = [0];
  const tailEntry: number[] = [];
  /** tailSlot[k]: the slot of the node that holds tail k */
  const tailSlot: number[] = [];

  // Slot 0 is the root; slot 1 can never be a child (base >= 1 and code >= 1), so mark it
  // used or the first-fit scan would start from it forever.
  markUsed(0);
  markUsed(1);
  slotOf[0] = 0;
  let firstFree = 2;
  let maxSlot = 0;
  const childCodes: number[] = [];
  const children: number[] = [];
  const stack: number[] = [0];
  while (stack.length > 0) {
    const node = stack.pop() as number;
    const slot = slotOf[node];
    if (node !== 0 && entry[node] < 0 && isTail[node]) {
      // Store the path below as a tail; its nodes get no slots.
      let n = firstChild[node];
      for (;;) {
        tailCodes[tailLength++] = code[n];
        const next = firstChild[n];
        if (next < 0) break;
        n = next;
      }
      tailSlot.push(slot);
      tailEntry.push(entry[n]);
      tailStart.push(tailLength);
      base[slot] = 0;
      continue;
    }
    childCodes.length = 0;
    children.length = 0;
    let minCode = Infinity;
    for (let c = firstChild[node]; c >= 0; c = nextSibling[c]) {
      childCodes.push(code[c]);
      children.push(c);
      if (code[c] < minCode) minCode = code[c];
    }
    let b = 1; // leaves: any base >= 1 works, every lookup from them fails its check
    if (childCodes.length === 1) {
      // One child (most nodes): the lowest free slot, keeping the array dense.
      while (used[firstFree]) firstFree++;
      // (a child with a large code cannot use the low slots: take a candidate beyond them)
      b = (firstFree > minCode ? firstFree : nextAnchor(minCode + 1)) - minCode;
    } else if (childCodes.length > 1) {
      // First fit over the anchor candidates: the smallest child goes to a candidate slot,
      // and the base is taken when every other child's slot is free too.
      let pos = nextAnchor(minCode + 1);
      for (;;) {
        b = pos - minCode;
        let ok = true;
        for (let j = 0; j < childCodes.length; j++) {
          if (used[b + childCodes[j]]) {
            ok = false;
            break;
          }
        }
        if (ok) break;
        if (++trials[pos] >= MAX_TRIALS) anchorNext[pos] = pos + 1;
        pos = nextAnchor(pos + 1);
      }
    }
    if (childCodes.length > 0) {
      for (const c of children) {
        const childSlot = b + code[c];
        markUsed(childSlot);
        check[childSlot] = slot;
        slotOf[c] = childSlot;
        if (childSlot > maxSlot) maxSlot = childSlot;
      }
      for (let j = children.length - 1; j >= 0; j--) stack.push(children[j]);
    }
    base[slot] = entry[node] >= 0 ? -b : b;
  }

  // Every lookup reads slot base + code with base up to the largest base and code up to the
  // alphabet size, so keep that many slots.
  let maxBase = 1;
  for (let s = 0; s <= maxSlot; s++) {
    const b = Math.abs(base[s]);
    if (check[s] !== -1 || s === 0) if (b > maxBase) maxBase = b;
  }
  const slots = Math.max(maxSlot + 1, maxBase + alphabet + 1);
  grow(slots);
  const out = new Int32Array(2 * slots);
  const slotEntry = new Int32Array(slots).fill(-1);
  for (let s = 0; s < slots; s++) {
    out[2 * s] = base[s];
    out[2 * s + 1] = check[s];
  }
  for (let node = 0; node < nodes; node++) {
    if (entry[node] >= 0 && (node === 0 || check[slotOf[node]] !== -1)) slotEntry[slotOf[node]] = entry[node];
  }
  for (let k = 0; k < tailSlot.length; k++) slotEntry[tailSlot[k]] = k;
  return {
    trie: out,
    slotEntry,
    tailCodes: tailCodes.slice(0, tailLength),
    tailStart: Int32Array.from(tailStart),
    tailEntry: Int32Array.from(tailEntry),
  };
}
