/**
 * Byte-level BPE as GPT-2 and Qwen write it in tokenizer.json: the text is split by the
 * pre-tokenizer regex, each piece's UTF-8 bytes become GPT-2's `bytes_to_unicode` characters,
 * adjacent symbols merge lowest rank first, and the symbols are looked up in the vocabulary.
 * Added tokens (`<|endoftext|>`, …) are cut out of the text first and map to their ids whole.
 * A TemplateProcessing post-processor (Qwen3-Embedding appends `<|endoftext|>`) is applied.
 */
import { BYTE_TO_ID, byteSymbolChar } from '../clip/vocab.js';
import type { Encoding, TextTokenizer } from './tokenizer.js';

/** The parts of tokenizer.json read here. */
export interface TokenizerJson {
  model: { type: string; vocab: Record<string, number>; merges?: (string | [string, string])[]; ignore_merges?: boolean; [k: string]: unknown };
  normalizer?: { type: string; normalizers?: { type: string }[]; [k: string]: unknown } | null;
  pre_tokenizer?: { type: string; pretokenizers?: PreTokenizerJson[]; [k: string]: unknown } | null;
  post_processor?: { type: string; single?: TemplatePiece[]; processors?: { type: string; single?: TemplatePiece[] }[]; special_tokens?: Record<string, { ids: number[] }> } | null;
  added_tokens?: { id: number; content: string; special?: boolean }[];
}

interface PreTokenizerJson {
  type: string;
  pattern?: { Regex?: string; String?: string };
  use_regex?: boolean;
}

type TemplatePiece = { SpecialToken: { id: string } } | { Sequence: { id: string } };

/** GPT-2's pattern (the ByteLevel pre-tokenizer's `use_regex`). */
export const GPT2_PATTERN = String.raw`'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+`;

/** Rust/Python regex → JavaScript: `(?i:…)` groups (no inline flags in JS before Node 23) become explicit case classes. */
export function toJsPattern(pattern: string): RegExp {
  const js = pattern.replace(/\(\?i:((?:[^()\\]|\\.)*)\)/g, (_, body: string) => '(?:' + body.replace(/[A-Za-z]/g, (c) => `[${c.toLowerCase()}${c.toUpperCase()}]`) + ')');
  return new RegExp(js, 'gu');
}

/** The split pattern of a tokenizer.json pre-tokenizer (a Split with a regex, or ByteLevel's own). */
function splitPattern(pre: TokenizerJson['pre_tokenizer']): RegExp {
  const parts: PreTokenizerJson[] = pre?.type === 'Sequence' ? (pre.pretokenizers ?? []) : pre ? [pre as PreTokenizerJson] : [];
  const split = parts.find((p) => p.type === 'Split' && p.pattern?.Regex);
  if (split) return toJsPattern(split.pattern!.Regex!);
  return toJsPattern(GPT2_PATTERN);
}

function usesNfc(n: TokenizerJson['normalizer']): boolean {
  return n?.type === 'NFC' || (n?.type === 'Sequence' && (n.normalizers ?? []).some((x) => x.type === 'NFC'));
}

/** UTF-8 byte → its `bytes_to_unicode` character. */
const BYTE_CHAR: string[] = Array.from({ length: 256 }, (_, b) => byteSymbolChar(BYTE_TO_ID[b]));

/** One pre-tokenized word's tokens: ids and each token's start and end, in UTF-16 units from the word's start. */
interface WordTokens {
  ids: Int32Array;
  starts: Int32Array;
  ends: Int32Array;
}

const encoder = new TextEncoder();

export class ByteLevelBpeTokenizer implements TextTokenizer {
  readonly padId: number;
  private readonly ranks = new Map<string, number>();
  private readonly cache = new Map<string, WordTokens>();
  private readonly added: Map<string, number>;
  private readonly addedPattern: RegExp | undefined;
  private readonly before: number[] = [];
  private readonly after: number[] = [];

  constructor(
    private readonly vocab: ReadonlyMap<string, number>,
    merges: readonly (readonly [string, string])[],
    private readonly pattern: RegExp = toJsPattern(GPT2_PATTERN),
    options: { added?: Map<string, number>; nfc?: boolean; ignoreMerges?: boolean; template?: { before: number[]; after: number[] }; padId?: number } = {},
  ) {
    merges.forEach(([a, b], rank) => this.ranks.set(a + ' ' + b, rank));
    this.added = options.added ?? new Map();
    const escaped = [...this.added.keys()].sort((a, b) => b.length - a.length).map((t) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
    this.addedPattern = escaped.length > 0 ? new RegExp(escaped.join('|'), 'g') : undefined;
    this.nfc = options.nfc ?? false;
    this.ignoreMerges = options.ignoreMerges ?? false;
    this.before = options.template?.before ?? [];
    this.after = options.template?.after ?? [];
    this.padId = options.padId ?? this.after[this.after.length - 1] ?? 0;
  }

  private readonly nfc: boolean;
  private readonly ignoreMerges: boolean;

  static fromJson(json: TokenizerJson): ByteLevelBpeTokenizer {
    const merges = (json.model.merges ?? []).map((m) => (typeof m === 'string' ? (m.split(' ', 2) as [string, string]) : m));
    const added = new Map((json.added_tokens ?? []).map((t) => [t.content, t.id] as [string, number]));
    const post = json.post_processor;
    const template = post?.type === 'TemplateProcessing' ? post : post?.processors?.find((p) => p.type === 'TemplateProcessing');
    const before: number[] = [];
    const after: number[] = [];
    let seenSequence = false;
    for (const piece of (template?.single ?? []) as TemplatePiece[]) {
      if ('Sequence' in piece) seenSequence = true;
      else {
        const name = piece.SpecialToken.id;
        const ids = (post?.special_tokens ?? (template as { special_tokens?: Record<string, { ids: number[] }> })?.special_tokens)?.[name]?.ids ?? [added.get(name) ?? json.model.vocab[name]];
        (seenSequence ? after : before).push(...ids);
      }
    }
    const pad = added.get('<|endoftext|>');
    return new ByteLevelBpeTokenizer(new Map(Object.entries(json.model.vocab)), merges, splitPattern(json.pre_tokenizer), {
      added,
      nfc: usesNfc(json.normalizer),
      ignoreMerges: json.model.ignore_merges,
      template: { before, after },
      padId: pad,
    });
  }

  /** BPE over one pre-tokenized word (cached: words repeat). */
  private word(w: string): WordTokens {
    const hit = this.cache.get(w);
    if (hit) return hit;
    const bytes = encoder.encode(w);
    // UTF-16 end of each byte: where a token ending at that byte ends in the word.
    // A token that starts or ends inside a character's bytes covers the whole character.
    const unitStart = new Int32Array(bytes.length);
    const unitEnd = new Int32Array(bytes.length);
    for (let b = 0, u = 0; b < bytes.length;) {
      const lead = bytes[b];
      const n = lead < 0x80 ? 1 : lead < 0xe0 ? 2 : lead < 0xf0 ? 3 : 4;
      for (let k = 0; k < n && b + k < bytes.length; k++) {
        unitStart[b + k] = u;
        unitEnd[b + k] = u + (n === 4 ? 2 : 1);
      }
      u += n === 4 ? 2 : 1;
      b += n;
    }
    let symbols: string[] = Array.from(bytes, (b) => BYTE_CHAR[b]);
    let widths: number[] = symbols.map(() => 1);
    const whole = symbols.join('');
    if (!(this.ignoreMerges && this.vocab.has(whole))) {
      while (symbols.length > 1) {
        let best = Infinity;
        let bestAt = -1;
        for (let i = 0; i + 1 < symbols.length; i++) {
          const r = this.ranks.get(symbols[i] + ' ' + symbols[i + 1]);
          if (r !== undefined && r < best) {
            best = r;
            bestAt = i;
          }
        }
        if (bestAt < 0) break;
        const a = symbols[bestAt];
        const b = symbols[bestAt + 1];
        const next: string[] = [];
        const nextWidths: number[] = [];
        for (let i = 0; i < symbols.length; i++) {
          if (i + 1 < symbols.length && symbols[i] === a && symbols[i + 1] === b) {
            next.push(a + b);
            nextWidths.push(widths[i] + widths[i + 1]);
            i++;
          } else {
            next.push(symbols[i]);
            nextWidths.push(widths[i]);
          }
        }
        symbols = next;
        widths = nextWidths;
      }
    } else {
      symbols = [whole];
      widths = [bytes.length];
    }
    const ids = new Int32Array(symbols.length);
    const starts = new Int32Array(symbols.length);
    const ends = new Int32Array(symbols.length);
    let byte = 0;
    symbols.forEach((s, k) => {
      ids[k] = this.vocab.get(s) ?? this.vocab.get('<unk>') ?? 0;
      starts[k] = unitStart[byte];
      byte += widths[k];
      ends[k] = unitEnd[byte - 1];
    });
    const out = { ids, starts, ends };
    if (this.cache.size < 100_000) this.cache.set(w, out);
    return out;
  }

  /** Appends the tokens of `text` (at `offset` in the input); returns the next word index. */
  private encodeSegment(text: string, offset: number, e: Encoding, word: number): number {
    const pattern = this.pattern;
    pattern.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = pattern.exec(text)) !== null) {
      if (m[0] === '') {
        pattern.lastIndex++;
        continue;
      }
      const t = this.word(m[0]);
      const at = offset + m.index;
      for (let k = 0; k < t.ids.length; k++) {
        e.ids.push(t.ids[k]);
        e.starts.push(at + t.starts[k]);
        e.ends.push(at + t.ends[k]);
        e.wordIds.push(word);
        e.special.push(false);
      }
      word++;
    }
    return word;
  }

  encode(text: string, maxLength = 32768): Encoding {
    const e: Encoding = { ids: [], starts: [], ends: [], wordIds: [], special: [] };
    const pushSpecial = (id: number, start = 0, end = 0) => {
      e.ids.push(id);
      e.starts.push(start);
      e.ends.push(end);
      e.wordIds.push(-1);
      e.special.push(true);
    };
    for (const id of this.before) pushSpecial(id);
    // Offsets refer to the text as given; NFC can shorten it, so offsets are only exact for NFC input.
    const s = this.nfc ? text.normalize('NFC') : text;
    let at = 0;
    let word = 0;
    if (this.addedPattern) {
      this.addedPattern.lastIndex = 0;
      for (const m of s.matchAll(this.addedPattern)) {
        word = this.encodeSegment(s.slice(at, m.index), at, e, word);
        pushSpecial(this.added.get(m[0])!, m.index, m.index + m[0].length);
        at = m.index + m[0].length;
      }
    }
    this.encodeSegment(s.slice(at), at, e, word);
    const room = maxLength - this.after.length;
    if (e.ids.length > room) for (const a of [e.ids, e.starts, e.ends, e.wordIds, e.special]) a.length = room;
    for (const id of this.after) pushSpecial(id);
    return e;
  }
}
