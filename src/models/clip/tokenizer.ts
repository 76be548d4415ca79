/**
 * openai/CLIP's SimpleTokenizer, exact, on integer ids: clean and lower-case the text, split it
 * with CLIP's pattern, UTF-8 bytes → byte-symbol ids (the last one in its `</w>` form), then
 * apply the lowest-ranked merge everywhere until none applies. Words are cached as
 * SimpleTokenizer does (unbounded), so a warm tokenizer mostly does the split and a Map lookup.
 */
import { clipNormalize } from './clean.js';
import { forEachWord } from './pretokenize.js';
import { NO_RANK, PairRanks } from './ranks.js';
import { BYTE_TO_ID, type ClipMerges, END_OF_WORD, EOT, FIRST_MERGE_ID, SOT } from './vocab.js';

const utf8 = new TextEncoder();

export class ClipTokenizer {
  private readonly ranks: PairRanks;
  private readonly left: Uint16Array;
  private readonly right: Uint16Array;
  /** word → its token ids; the special tokens are seeded as in SimpleTokenizer's cache. */
  private cache = new Map<string, Uint16Array>();
  /** Scratch for one word's symbols and bytes (grown on demand). */
  private sym = new Uint16Array(64);
  private bytes = new Uint8Array(256);

  constructor(merges: ClipMerges) {
    this.ranks = new PairRanks(merges);
    this.left = merges.left;
    this.right = merges.right;
    this.clearCache();
  }

  /** Forget the cached words (a cold start, as a fresh SimpleTokenizer). */
  clearCache(): void {
    this.cache = new Map([
      ['<|startoftext|>', Uint16Array.of(SOT)],
      ['<|endoftext|>', Uint16Array.of(EOT)],
    ]);
  }

  get cacheSize(): number {
    return this.cache.size;
  }

  /** SimpleTokenizer.encode: the ids of the text, without start and end tokens. */
  encode(text: string): number[] {
    const out: number[] = [];
    this.encodeInto(text, out);
    return out;
  }

  /**
   * `clip.tokenize` for one text without the padding: SOT, the ids, EOT. With a context
   * length, longer lists are cut to it and end in EOT (`truncate=True`).
   */
  tokenize(text: string, contextLength?: number): number[] {
    const out = [SOT];
    this.encodeInto(text, out);
    out.push(EOT);
    if (contextLength !== undefined && out.length > contextLength) {
      out.length = contextLength;
      out[contextLength - 1] = EOT;
    }
    return out;
  }

  /** Appends the ids of `text` to `out`. */
  encodeInto(text: string, out: number[]): void {
    this.out = out;
    forEachWord(clipNormalize(text), this.emit);
  }

  private out: number[] = [];
  /** One word's ids onto `this.out`, from the cache or by BPE (bound once: no closure per text). */
  private readonly emit = (word: string): void => {
    let ids = this.cache.get(word);
    if (ids === undefined) {
      ids = this.bpe(word);
      this.cache.set(word, ids);
    }
    const out = this.out;
    for (let i = 0; i < ids.length; i++) out.push(ids[i]);
  };

  /** One word's ids: bytes → symbols, then merges by rank. */
  private bpe(word: string): Uint16Array {
    if (this.bytes.length < word.length * 3) this.bytes = new Uint8Array(word.length * 3);
    const nBytes = utf8.encodeInto(word, this.bytes).written;
    if (this.sym.length < nBytes) this.sym = new Uint16Array(nBytes);
    const sym = this.sym;
    for (let i = 0; i < nBytes; i++) sym[i] = BYTE_TO_ID[this.bytes[i]];
    sym[nBytes - 1] += END_OF_WORD;
    let n = nBytes;
    const ranks = this.ranks;
    while (n > 1) {
      let best = NO_RANK;
      for (let i = 0; i < n - 1; i++) {
        const r = ranks.rank(sym[i], sym[i + 1]);
        if (r < best) best = r;
      }
      if (best === NO_RANK) break;
      // merge every occurrence, left to right, as SimpleTokenizer's inner loop does
      const a = this.left[best];
      const b = this.right[best];
      const merged = FIRST_MERGE_ID + best;
      let w = 0;
      for (let i = 0; i < n;) {
        if (i < n - 1 && sym[i] === a && sym[i + 1] === b) {
          sym[w++] = merged;
          i += 2;
        } else sym[w++] = sym[i++];
      }
      n = w;
    }
    return sym.slice(0, n);
  }
}
