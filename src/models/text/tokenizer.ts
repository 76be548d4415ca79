/**
 * What the text models need from a tokenizer, whichever kind the model folder holds, and
 * loading one from the hub layout: `tokenizer.json` (a `WordPiece` or byte-level `BPE` model)
 * or, for older BERT exports, `vocab.txt` with `tokenizer_config.json`'s `do_lower_case`.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ByteLevelBpeTokenizer, type TokenizerJson } from './bpe.js';
import { WordPieceTokenizer } from './wordpiece.js';

/** Token ids of one text, with each token's `[start, end)` in the text (0, 0 for special tokens). */
export interface Encoding {
  ids: number[];
  starts: number[];
  ends: number[];
  /** Index of the basic-tokenizer word each token belongs to; -1 for special tokens. */
  wordIds: number[];
  special: boolean[];
}

export interface TextTokenizer {
  readonly padId: number;
  /** Ids with the model's special tokens, at most `maxLength` of them. */
  encode(text: string, maxLength?: number): Encoding;
}

interface TokenizerConfig {
  do_lower_case?: boolean;
  strip_accents?: boolean | null;
  tokenize_chinese_chars?: boolean;
  model_max_length?: number;
}

function readJson<T>(file: string): T | undefined {
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as T) : undefined;
}

/** WordPiece from tokenizer.json's model and BertNormalizer. */
function wordPieceFromJson(json: TokenizerJson): WordPieceTokenizer {
  const model = json.model as { vocab: Record<string, number>; unk_token?: string; continuing_subword_prefix?: string; max_input_chars_per_word?: number };
  const norm = (json.normalizer ?? {}) as { lowercase?: boolean; strip_accents?: boolean | null; handle_chinese_chars?: boolean };
  const special = (name: string) => json.added_tokens?.find((t) => t.content === name)?.content;
  return new WordPieceTokenizer(new Map(Object.entries(model.vocab)), {
    lowercase: norm.lowercase ?? false,
    stripAccents: norm.strip_accents ?? undefined,
    splitCjk: norm.handle_chinese_chars ?? true,
    unkToken: model.unk_token,
    continuingPrefix: model.continuing_subword_prefix,
    maxCharsPerWord: model.max_input_chars_per_word,
    clsToken: special('[CLS]') ?? special('<s>'),
    sepToken: special('[SEP]') ?? special('</s>'),
  });
}

/** The tokenizer of a model folder in the hub layout. */
export function loadTokenizer(dir: string): TextTokenizer {
  const json = readJson<TokenizerJson>(path.join(dir, 'tokenizer.json'));
  const config = readJson<TokenizerConfig>(path.join(dir, 'tokenizer_config.json')) ?? {};
  if (json?.model.type === 'WordPiece') return wordPieceFromJson(json);
  if (json?.model.type === 'BPE') return ByteLevelBpeTokenizer.fromJson(json);
  const vocab = path.join(dir, 'vocab.txt');
  if (existsSync(vocab)) {
    return WordPieceTokenizer.fromVocabText(readFileSync(vocab, 'utf8'), {
      lowercase: config.do_lower_case ?? false,
      stripAccents: config.strip_accents ?? undefined,
      splitCjk: config.tokenize_chinese_chars ?? true,
    });
  }
  throw new Error(`${dir}: no tokenizer.json (WordPiece or BPE model) and no vocab.txt`);
}

/** The model's longest input: tokenizer_config's model_max_length when sane, else `fallback`. */
export function maxLengthOf(dir: string, fallback = 512): number {
  const n = readJson<TokenizerConfig>(path.join(dir, 'tokenizer_config.json'))?.model_max_length;
  return typeof n === 'number' && n > 0 && n < 1e6 ? n : fallback;
}
