/**
 * BERT's WordPiece tokenizer (`BertTokenizer` / the `WordPiece` model of tokenizer.json) with
 * character offsets back into the original text, as NER needs them:
 *
 * 1. basic tokenizer: drop NUL, U+FFFD and control characters; whitespace splits words; CJK
 *    ideographs become words of their own; optional lower-casing and accent stripping (NFD, then
 *    no combining marks); every punctuation character is a word of its own;
 * 2. WordPiece: greedy longest match first, continuation pieces prefixed `##`; a word longer
 *    than 100 characters or with no match becomes `[UNK]`;
 * 3. `[CLS] … [SEP]` around the pieces.
 *
 * The text is walked code point by code point and every normalised character remembers the
 * original span it came from, so a piece maps back to `[start, end)` in the input string.
 */
import type { Encoding, TextTokenizer } from './tokenizer.js';

export interface WordPieceOptions {
  /** Lower-case words (uncased models). */
  lowercase?: boolean;
  /** Strip accents; default: as `lowercase` (BERT's rule). */
  stripAccents?: boolean;
  /** Put spaces around CJK ideographs (BERT's `tokenize_chinese_chars`, on by default). */
  splitCjk?: boolean;
  continuingPrefix?: string;
  maxCharsPerWord?: number;
  unkToken?: string;
  clsToken?: string;
  sepToken?: string;
  padToken?: string;
}

/** BERT's `_is_chinese_char`: the CJK ideograph blocks (not Hiragana, Katakana or Hangul). */
export function isCjk(cp: number): boolean {
  return (
    (cp >= 0x4e00 && cp <= 0x9fff) ||
    (cp >= 0x3400 && cp <= 0x4dbf) ||
    (cp >= 0x20000 && cp <= 0x2a6df) ||
    (cp >= 0x2a700 && cp <= 0x2b73f) ||
    (cp >= 0x2b740 && cp <= 0x2b81f) ||
    (cp >= 0x2b820 && cp <= 0x2ceaf) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0x2f800 && cp <= 0x2fa1f)
  );
}

const PUNCT = /^\p{P}$/u;
const CONTROL = /^[\p{Cc}\p{Cf}]$/u;
/** BERT's `_is_whitespace` beyond ASCII: category Zs (U+FEFF is a format character, dropped). */
const SPACE = /^\p{Zs}$/u;
const MARK = /\p{Mn}/gu;

/** BERT's `_is_punctuation`: all non-letter/number ASCII symbols, and Unicode P*. */
function isPunctuation(cp: number, ch: string): boolean {
  if ((cp >= 33 && cp <= 47) || (cp >= 58 && cp <= 64) || (cp >= 91 && cp <= 96) || (cp >= 123 && cp <= 126)) return true;
  return cp > 127 && PUNCT.test(ch);
}

/** What one code point becomes: 0 dropped, 1 word boundary, 2 a word of its own, 3 part of a word. */
function classify(cp: number, ch: string, splitCjk: boolean): 0 | 1 | 2 | 3 {
  if (cp === 0x20 || cp === 0x09 || cp === 0x0a || cp === 0x0d) return 1;
  if (cp < 128) {
    if (cp < 32 || cp === 127) return 0;
    return isPunctuation(cp, ch) ? 2 : 3;
  }
  if (cp === 0xfffd) return 0;
  if (SPACE.test(ch)) return 1;
  if (CONTROL.test(ch)) return 0;
  if (splitCjk && isCjk(cp)) return 2;
  return 3;
}

/** A word of the basic tokenizer: its normalised characters and each one's original span. */
interface Word {
  text: string;
  starts: number[];
  ends: number[];
}

export class WordPieceTokenizer implements TextTokenizer {
  readonly clsId: number;
  readonly sepId: number;
  readonly unkId: number;
  readonly padId: number;
  private readonly lowercase: boolean;
  private readonly stripAccents: boolean;
  private readonly splitCjk: boolean;
  private readonly prefix: string;
  private readonly maxChars: number;

  constructor(
    readonly vocab: ReadonlyMap<string, number>,
    options: WordPieceOptions = {},
  ) {
    this.lowercase = options.lowercase ?? false;
    this.stripAccents = options.stripAccents ?? this.lowercase;
    this.splitCjk = options.splitCjk ?? true;
    this.prefix = options.continuingPrefix ?? '##';
    this.maxChars = options.maxCharsPerWord ?? 100;
    const id = (token: string) => {
      const v = vocab.get(token);
      if (v === undefined) throw new Error(`WordPiece vocabulary has no ${token}`);
      return v;
    };
    this.unkId = id(options.unkToken ?? '[UNK]');
    this.clsId = id(options.clsToken ?? '[CLS]');
    this.sepId = id(options.sepToken ?? '[SEP]');
    this.padId = vocab.get(options.padToken ?? '[PAD]') ?? 0;
  }

  /** A vocab.txt: one token a line, id = line number. */
  static fromVocabText(text: string, options?: WordPieceOptions): WordPieceTokenizer {
    const vocab = new Map<string, number>();
    text.split('\n').forEach((line, i) => {
      const token = line.replace(/\r$/, '');
      if (token !== '' && !vocab.has(token)) vocab.set(token, i);
    });
    return new WordPieceTokenizer(vocab, options);
  }

  private normalise(ch: string): string {
    let s = this.lowercase ? ch.toLowerCase() : ch;
    if (this.stripAccents) s = s.normalize('NFD').replace(MARK, '');
    return s;
  }

  /** The basic tokenizer: words with offsets. */
  words(text: string): Word[] {
    const out: Word[] = [];
    let word: Word | undefined;
    for (let i = 0; i < text.length;) {
      const cp = text.codePointAt(i)!;
      const len = cp > 0xffff ? 2 : 1;
      const ch = len === 1 ? text[i] : text.slice(i, i + 2);
      let kind = classify(cp, ch, this.splitCjk);
      const norm = kind >= 2 ? this.normalise(ch) : '';
      if (kind === 3 && norm.length === 1 && isPunctuation(norm.charCodeAt(0), norm)) kind = 2; // punctuation after normalising
      if (kind === 1 || kind === 2) word = undefined;
      if (kind >= 2 && norm !== '') {
        word ??= out[out.push({ text: '', starts: [], ends: [] }) - 1];
        for (let k = 0; k < norm.length; k++) {
          word.starts.push(i);
          word.ends.push(i + len);
        }
        word.text += norm;
        if (kind === 2) word = undefined;
      }
      i += len;
    }
    return out;
  }

  /** WordPiece over one word: pushes ids and offsets. */
  private pieces(word: Word, ids: number[], starts: number[], ends: number[]): void {
    const s = word.text;
    const at = ids.length;
    if (s.length > this.maxChars) {
      ids.push(this.unkId);
      starts.push(word.starts[0]);
      ends.push(word.ends[s.length - 1]);
      return;
    }
    let start = 0;
    while (start < s.length) {
      let end = s.length;
      let found = -1;
      while (start < end) {
        const piece = start > 0 ? this.prefix + s.slice(start, end) : s.slice(start, end);
        const id = this.vocab.get(piece);
        if (id !== undefined) {
          found = id;
          break;
        }
        end--;
      }
      if (found < 0) {
        ids.length = starts.length = ends.length = at; // the whole word is unknown
        ids.push(this.unkId);
        starts.push(word.starts[0]);
        ends.push(word.ends[s.length - 1]);
        return;
      }
      ids.push(found);
      starts.push(word.starts[start]);
      ends.push(word.ends[end - 1]);
      start = end;
    }
  }

  /** `[CLS] pieces [SEP]`, at most `maxLength` tokens in all (pieces cut at the end). */
  encode(text: string, maxLength = 512): Encoding {
    const ids: number[] = [this.clsId];
    const starts: number[] = [0];
    const ends: number[] = [0];
    const wordIds: number[] = [-1];
    const words = this.words(text);
    for (let w = 0; w < words.length && ids.length < maxLength - 1; w++) {
      const before = ids.length;
      this.pieces(words[w], ids, starts, ends);
      for (let k = before; k < ids.length; k++) wordIds.push(w);
    }
    if (ids.length > maxLength - 1) ids.length = starts.length = ends.length = wordIds.length = maxLength - 1;
    ids.push(this.sepId);
    starts.push(0);
    ends.push(0);
    wordIds.push(-1);
    return { ids, starts, ends, wordIds, special: ids.map((_, k) => k === 0 || k === ids.length - 1) };
  }
}
