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
 *
 * The tables: `trie-build.ts` and `double-array.ts` build them, `matcher-tables.ts` copies,
 * saves and checks them; this file matches with them.
 */

import { checkTables, copyTables, tablesFromBytes, tablesToBytes, type MatcherTransferable } from './matcher-tables.js';
import type { PaddingRule } from './padding.js';
import { ASCII_SPACING_KIND, SPACING_KEEP, SPACING_WRAP, pythonStrip, pythonStripUtf8 } from './spacing.js';
import { buildTables } from './trie-build.js';

export { isUnpaddedCodePoint, paddedKey, type PaddingRule } from './padding.js';
export { transferList, type MatcherTransferable } from './matcher-tables.js';

export interface MatcherOptions {
  /** default `metaclip1` */
  padding?: PaddingRule;
}

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
  /** the arrays above, as one object for copying and saving */
  private readonly tables: MatcherTransferable;

  // Per-instance scratch, reused across texts (a matcher is used by one thread).
  private codes: Uint16Array = new Uint16Array(1024);
  private found: Int32Array = new Int32Array(64);
  private count = 0;

  private constructor(t: MatcherTransferable) {
    this.tables = t;
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
    checkTables(t);
    return new MetaclipMatcher(t);
  }

  /**
   * The tables as typed arrays. Copies by default so this matcher stays usable even when the
   * copy is transferred; `shared: true` copies into SharedArrayBuffers once, so any number
   * of workers can use one copy.
   */
  toTransferable(options: { shared?: boolean } = {}): MatcherTransferable {
    return copyTables(this.tables, options);
  }

  /** The tables as one byte string, to cache a built matcher in a file (`tablesToBytes`). */
  toBytes(): Uint8Array {
    return tablesToBytes(this.tables);
  }

  /** Rebuild from `toBytes()` output (views into `bytes` when aligned, else copies). */
  static fromBytes(bytes: Uint8Array): MetaclipMatcher {
    return new MetaclipMatcher(tablesFromBytes(bytes));
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
