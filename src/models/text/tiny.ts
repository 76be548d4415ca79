/**
 * Tiny text models in the hub layout, written by the project itself for tests and benchmarks:
 * the real input and output names, real tokenizer files, weights that are random or set by the
 * caller so a test knows the answer.
 *
 * - `writeTinyTokenClassifier`: a BERT-like token classifier (vocab.txt + tokenizer_config.json,
 *   config.json with id2label, `onnx/model.onnx`: input_ids, attention_mask, token_type_ids →
 *   logits [batch, sequence, labels]). A token's logits are a row of a table: `tokenLabels`
 *   says which tokens get which label, every other token gets `O`.
 * - `writeTinySpanMarker`: a SpanMarker-like span classifier (input_ids, attention_mask,
 *   position_ids, start_marker_indices, num_marker_pairs → logits [batch, pairs, labels]); a
 *   span's logits are start_table[first token] + end_table[last token].
 * - `writeTinyEmbedder`: a Qwen-like embedder (byte-level BPE tokenizer.json, last_hidden_state
 *   [batch, sequence, hidden] = running sum of tanh(token embedding), as a causal model reads
 *   the whole text at the last token) or a BERT-like one (WordPiece, no running sum).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { randomWeights } from '../clip/tiny.js';
import { BYTE_TO_ID, byteSymbolChar } from '../clip/vocab.js';
import { buildModel, FLOAT, type GraphSpec, int64Tensor, INT64 } from '../onnx/builder.js';

const BERT_SPECIAL = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'];
const PUNCTUATION = [...'!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~'];
/** Words of the tiny WordPiece vocabulary (mixed languages), and continuation pieces. */
export const TINY_WORDS = [
  'the',
  'a',
  'is',
  'in',
  'at',
  'and',
  'of',
  'to',
  'met',
  'lives',
  'works',
  'visited',
  'john',
  'smith',
  'maria',
  'garcia',
  'paris',
  'berlin',
  'london',
  'google',
  'acme',
  'corp',
  'yesterday',
  'today',
  'hello',
  'world',
  'cafe',
  'uber',
  'munchen',
  'ist',
  'in',
  'der',
  'stadt',
  'un',
  'habite',
  'à',
  'new',
  'york',
  'city',
  'dr',
  'mr',
  '东',
  '京',
  '是',
  '城',
  '市',
];
export const TINY_PIECES = ['##s', '##ing', '##ed', '##er', '##berg', '##son', '##ia', '##a', '##o', '##e', '##n'];

function bertVocab(): string[] {
  const letters = [...'abcdefghijklmnopqrstuvwxyz0123456789'];
  const tokens = [...BERT_SPECIAL, ...PUNCTUATION, ...letters, ...letters.map((l) => '##' + l), ...TINY_WORDS, ...TINY_PIECES];
  return [...new Set(tokens)];
}

function writeJson(dir: string, name: string, value: unknown): void {
  writeFileSync(path.join(dir, name), JSON.stringify(value, null, 2) + '\n');
}

/** Logits table [vocab, labels]: `O` = 2 for every token; a token in `tokenLabels` gets its label 5 and `O` 0. */
function labelTable(vocab: string[], labels: string[], tokenLabels: Record<string, string>, base = 2, hit = 5): Float32Array {
  const table = new Float32Array(vocab.length * labels.length);
  const o = labels.indexOf('O');
  vocab.forEach((token, id) => {
    const label = tokenLabels[token];
    if (label !== undefined) {
      const c = labels.indexOf(label);
      if (c < 0) throw new Error(`tiny model: unknown label ${label}`);
      table[id * labels.length + c] = hit;
    } else if (o >= 0) table[id * labels.length + o] = base;
  });
  return table;
}

export interface TinyTokenClassifierOptions {
  labels?: string[];
  /** Token (as in the vocabulary, e.g. `john`, `##son`) → label it predicts. */
  tokenLabels?: Record<string, string>;
  lowercase?: boolean;
}

export const TINY_BIO_LABELS = ['O', 'B-PER', 'I-PER', 'B-LOC', 'I-LOC', 'B-ORG', 'I-ORG'];

function writeBertTokenizer(dir: string, vocab: string[], lowercase: boolean): void {
  writeFileSync(path.join(dir, 'vocab.txt'), vocab.join('\n') + '\n');
  writeJson(dir, 'tokenizer_config.json', { do_lower_case: lowercase, tokenize_chinese_chars: true, model_max_length: 512, tokenizer_class: 'BertTokenizer' });
}

export function writeTinyTokenClassifier(dir: string, options: TinyTokenClassifierOptions = {}): string {
  const labels = options.labels ?? TINY_BIO_LABELS;
  const vocab = bertVocab();
  mkdirSync(path.join(dir, 'onnx'), { recursive: true });
  const graph: GraphSpec = {
    name: 'tiny_token_classifier',
    opset: 13,
    inputs: ['input_ids', 'attention_mask', 'token_type_ids'].map((name) => ({ name, elemType: INT64, shape: ['batch_size', 'sequence_length'] })),
    outputs: [{ name: 'logits', elemType: FLOAT, shape: ['batch_size', 'sequence_length', labels.length] }],
    initializers: [
      { name: 'classifier', dims: [vocab.length, labels.length], data: labelTable(vocab, labels, options.tokenLabels ?? {}) },
      { name: 'type_weight', dims: [labels.length], data: new Float32Array(labels.length) },
      int64Tensor('last_axis', [-1]),
    ],
    nodes: [
      { op: 'Gather', inputs: ['classifier', 'input_ids'], outputs: ['token_logits'], attributes: { axis: { int: 0 } } },
      { op: 'Cast', inputs: ['attention_mask'], outputs: ['mask_f'], attributes: { to: { int: FLOAT } } },
      { op: 'Unsqueeze', inputs: ['mask_f', 'last_axis'], outputs: ['mask3'] },
      { op: 'Mul', inputs: ['token_logits', 'mask3'], outputs: ['masked'] },
      { op: 'Cast', inputs: ['token_type_ids'], outputs: ['types_f'], attributes: { to: { int: FLOAT } } },
      { op: 'Unsqueeze', inputs: ['types_f', 'last_axis'], outputs: ['types3'] },
      { op: 'Mul', inputs: ['types3', 'type_weight'], outputs: ['type_logits'] },
      { op: 'Add', inputs: ['masked', 'type_logits'], outputs: ['logits'] },
    ],
  };
  writeFileSync(path.join(dir, 'onnx', 'model.onnx'), buildModel(graph));
  writeBertTokenizer(dir, vocab, options.lowercase ?? true);
  writeJson(dir, 'config.json', {
    model_type: 'bert',
    architectures: ['BertForTokenClassification'],
    id2label: Object.fromEntries(labels.map((l, i) => [String(i), l])),
    label2id: Object.fromEntries(labels.map((l, i) => [l, i])),
    thresher_tiny_random: true,
  });
  return dir;
}

export interface TinySpanMarkerOptions {
  labels?: string[];
  /** Token → label when it starts a span. */
  startLabels?: Record<string, string>;
  /** Token → label when it ends a span. */
  endLabels?: Record<string, string>;
  entityMaxLength?: number;
  markerMaxLength?: number;
}

export function writeTinySpanMarker(dir: string, options: TinySpanMarkerOptions = {}): string {
  const labels = options.labels ?? ['O', 'PER', 'LOC', 'ORG'];
  const vocab = [...bertVocab(), '<start>', '<end>'];
  mkdirSync(path.join(dir, 'onnx'), { recursive: true });
  const scalar = (name: string, v: bigint) => ({ name, dims: [], data: BigInt64Array.of(v) });
  const graph: GraphSpec = {
    name: 'tiny_span_marker',
    opset: 13,
    inputs: [
      { name: 'input_ids', elemType: INT64, shape: ['batch_size', 'sequence_length'] },
      { name: 'attention_mask', elemType: INT64, shape: ['batch_size', 'sequence_length', 'sequence_length'] },
      { name: 'position_ids', elemType: INT64, shape: ['batch_size', 'sequence_length'] },
      { name: 'start_marker_indices', elemType: INT64, shape: ['batch_size'] },
      { name: 'num_marker_pairs', elemType: INT64, shape: ['batch_size'] },
    ],
    outputs: [{ name: 'logits', elemType: FLOAT, shape: ['batch_size', 'pairs', labels.length] }],
    initializers: [
      { name: 'start_table', dims: [vocab.length, labels.length], data: labelTable(vocab, labels, options.startLabels ?? {}, 1, 3) },
      { name: 'end_table', dims: [vocab.length, labels.length], data: labelTable(vocab, labels, options.endLabels ?? {}, 1, 3) },
      scalar('zero', 0n),
      scalar('one', 1n),
      int64Tensor('axis1', [1]),
      int64Tensor('axis2', [2]),
      int64Tensor('dim1', [1]),
    ],
    nodes: [
      // A marker reads the token at its position id (as the real model's markers share the position of their token).
      { op: 'GatherElements', inputs: ['input_ids', 'position_ids'], outputs: ['ids_at'], attributes: { axis: { int: 1 } } },
      { op: 'Gather', inputs: ['start_table', 'ids_at'], outputs: ['start_logits'], attributes: { axis: { int: 0 } } },
      { op: 'Gather', inputs: ['end_table', 'ids_at'], outputs: ['end_logits'], attributes: { axis: { int: 0 } } },
      { op: 'ReduceMax', inputs: ['num_marker_pairs'], outputs: ['pairs'], attributes: { keepdims: { int: 0 } } },
      { op: 'Range', inputs: ['zero', 'pairs', 'one'], outputs: ['pair_index'] },
      { op: 'Unsqueeze', inputs: ['start_marker_indices', 'axis1'], outputs: ['start_at'] },
      { op: 'Add', inputs: ['start_at', 'pair_index'], outputs: ['start_rows'] },
      { op: 'Unsqueeze', inputs: ['num_marker_pairs', 'axis1'], outputs: ['pair_count'] },
      { op: 'Add', inputs: ['start_rows', 'pair_count'], outputs: ['end_rows'] },
      { op: 'Shape', inputs: ['input_ids'], outputs: ['shape'] },
      { op: 'Gather', inputs: ['shape', 'dim1'], outputs: ['length'], attributes: { axis: { int: 0 } } },
      { op: 'Sub', inputs: ['length', 'one'], outputs: ['last_row'] },
      { op: 'Min', inputs: ['start_rows', 'last_row'], outputs: ['start_clamped'] },
      { op: 'Min', inputs: ['end_rows', 'last_row'], outputs: ['end_clamped'] },
      { op: 'Unsqueeze', inputs: ['start_clamped', 'axis2'], outputs: ['start_index'] },
      { op: 'Unsqueeze', inputs: ['end_clamped', 'axis2'], outputs: ['end_index'] },
      { op: 'GatherND', inputs: ['start_logits', 'start_index'], outputs: ['span_start'], attributes: { batch_dims: { int: 1 } } },
      { op: 'GatherND', inputs: ['end_logits', 'end_index'], outputs: ['span_end'], attributes: { batch_dims: { int: 1 } } },
      { op: 'Add', inputs: ['span_start', 'span_end'], outputs: ['logits'] },
    ],
  };
  writeFileSync(path.join(dir, 'onnx', 'model.onnx'), buildModel(graph));
  writeBertTokenizer(dir, vocab, true);
  writeJson(dir, 'config.json', {
    model_type: 'span-marker',
    architectures: ['SpanMarkerModel'],
    id2label: Object.fromEntries(labels.map((l, i) => [String(i), l])),
    label2id: Object.fromEntries(labels.map((l, i) => [l, i])),
    entity_max_length: options.entityMaxLength ?? 4,
    marker_max_length: options.markerMaxLength ?? 16,
    model_max_length: 256,
    thresher_tiny_random: true,
  });
  return dir;
}

/** Qwen2's pre-tokenizer pattern, as its tokenizer.json writes it. */
export const QWEN2_PATTERN = String.raw`(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+`;

/** A byte-level BPE tokenizer.json whose merges build `words` left to right, then ` word` as Ġ + word. */
export function tinyBpeTokenizerJson(words: readonly string[]): Record<string, unknown> {
  const vocab: Record<string, number> = {};
  for (let b = 0; b < 256; b++) vocab[byteSymbolChar(BYTE_TO_ID[b])] = Object.keys(vocab).length;
  const merges: string[] = [];
  const toSymbols = (w: string) => [...new TextEncoder().encode(w)].map((b) => byteSymbolChar(BYTE_TO_ID[b]));
  const merge = (left: string, right: string) => {
    if (left + right in vocab) return;
    merges.push(`${left} ${right}`);
    vocab[left + right] = Object.keys(vocab).length;
  };
  for (const w of words) {
    const symbols = toSymbols(w);
    let left = symbols[0];
    for (let i = 1; i < symbols.length; i++) {
      merge(left, symbols[i]);
      left += symbols[i];
    }
    merge(toSymbols(' ')[0], left); // ` word` = Ġ + word, after the word itself
  }
  const eos = Object.keys(vocab).length;
  return {
    version: '1.0',
    added_tokens: [
      { id: eos, content: '<|endoftext|>', special: true },
      { id: eos + 1, content: '<|im_start|>', special: true },
    ],
    normalizer: { type: 'NFC' },
    pre_tokenizer: {
      type: 'Sequence',
      pretokenizers: [
        { type: 'Split', pattern: { Regex: QWEN2_PATTERN }, behavior: 'Isolated', invert: false },
        { type: 'ByteLevel', add_prefix_space: false, trim_offsets: false, use_regex: false },
      ],
    },
    post_processor: {
      type: 'TemplateProcessing',
      single: [{ Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '<|endoftext|>', type_id: 0 } }],
      pair: [],
      special_tokens: { '<|endoftext|>': { id: '<|endoftext|>', ids: [eos], tokens: ['<|endoftext|>'] } },
    },
    decoder: { type: 'ByteLevel' },
    model: { type: 'BPE', dropout: null, unk_token: null, fuse_unk: false, byte_fallback: false, ignore_merges: false, vocab, merges },
  };
}

export interface TinyEmbedderOptions {
  /** qwen: byte-level BPE, causal running sum, last-token pooling; bert: WordPiece, mean pooling. */
  kind?: 'qwen' | 'bert';
  hidden?: number;
  seed?: number;
}

export function writeTinyEmbedder(dir: string, options: TinyEmbedderOptions = {}): string {
  const kind = options.kind ?? 'qwen';
  const hidden = options.hidden ?? 32;
  const seed = options.seed ?? 7;
  mkdirSync(path.join(dir, 'onnx'), { recursive: true });
  let vocabSize: number;
  if (kind === 'qwen') {
    const json = tinyBpeTokenizerJson(TINY_WORDS.filter((w) => /^[a-z]+$/.test(w)));
    writeJson(dir, 'tokenizer.json', json);
    writeJson(dir, 'tokenizer_config.json', { model_max_length: 32768, eos_token: '<|endoftext|>', pad_token: '<|endoftext|>', padding_side: 'left' });
    vocabSize = Object.keys((json.model as { vocab: object }).vocab).length + 2;
    writeJson(dir, 'config.json', { model_type: 'qwen3', architectures: ['Qwen3ForCausalLM'], hidden_size: hidden, vocab_size: vocabSize, thresher_tiny_random: true });
  } else {
    const vocab = bertVocab();
    writeBertTokenizer(dir, vocab, true);
    vocabSize = vocab.length;
    writeJson(dir, 'config.json', { model_type: 'bert', architectures: ['BertModel'], hidden_size: hidden, vocab_size: vocabSize, thresher_tiny_random: true });
    mkdirSync(path.join(dir, '1_Pooling'), { recursive: true });
    writeJson(dir, '1_Pooling/config.json', { word_embedding_dimension: hidden, pooling_mode_mean_tokens: true });
  }
  const inputs = ['input_ids', 'attention_mask', ...(kind === 'bert' ? ['token_type_ids'] : ['position_ids'])];
  const graph: GraphSpec = {
    name: `tiny_${kind}_embedder`,
    opset: 13,
    inputs: inputs.map((name) => ({ name, elemType: INT64, shape: ['batch_size', 'sequence_length'] })),
    outputs: [{ name: 'last_hidden_state', elemType: FLOAT, shape: ['batch_size', 'sequence_length', hidden] }],
    initializers: [
      { name: 'embed_tokens', dims: [vocabSize, hidden], data: randomWeights(vocabSize * hidden, seed, 1) },
      { name: 'extra', dims: [hidden], data: new Float32Array(hidden) },
      int64Tensor('last_axis', [-1]),
      ...(kind === 'qwen' ? [{ name: 'sequence_axis', dims: [], data: BigInt64Array.of(1n) }] : []),
    ],
    nodes: [
      { op: 'Gather', inputs: ['embed_tokens', 'input_ids'], outputs: ['tokens'], attributes: { axis: { int: 0 } } },
      { op: 'Tanh', inputs: ['tokens'], outputs: ['activated'] },
      { op: 'Cast', inputs: ['attention_mask'], outputs: ['mask_f'], attributes: { to: { int: FLOAT } } },
      { op: 'Unsqueeze', inputs: ['mask_f', 'last_axis'], outputs: ['mask3'] },
      { op: 'Mul', inputs: ['activated', 'mask3'], outputs: ['masked'] },
      // the third input (token types or positions) is read, weighted by zeros: it must be fed, it changes nothing
      { op: 'Cast', inputs: [inputs[2]], outputs: ['third_f'], attributes: { to: { int: FLOAT } } },
      { op: 'Unsqueeze', inputs: ['third_f', 'last_axis'], outputs: ['third3'] },
      { op: 'Mul', inputs: ['third3', 'extra'], outputs: ['third_term'] },
      ...(kind === 'qwen'
        ? [
            { op: 'CumSum', inputs: ['masked', 'sequence_axis'], outputs: ['running'] },
            { op: 'Add', inputs: ['running', 'third_term'], outputs: ['last_hidden_state'] },
          ]
        : [{ op: 'Add', inputs: ['masked', 'third_term'], outputs: ['last_hidden_state'] }]),
    ],
  };
  writeFileSync(path.join(dir, 'onnx', 'model.onnx'), buildModel(graph));
  return dir;
}
