/**
 * SpanMarker (Aarsen, 2023) inputs and decoding. Every span of up to `entity_max_length` words
 * gets a pair of marker tokens appended after the text: a start marker at the position id of
 * the span's first token and an end marker at its last token's. Each row is laid out
 *
 *   [CLS] text [SEP] | start markers (P) | end markers (P) | padding
 *
 * with `start_marker_indices` = where the start markers begin and `num_marker_pairs` = P. In
 * the attention matrix text attends to text only; a marker attends to the text, itself and its
 * partner. The model gives logits [batch, pairs, labels]; a span's label is the argmax, spans
 * labelled other than `O` are taken greedily by score, skipping any that overlap a taken one.
 * A text with more spans than `marker_max_length` is run as several rows.
 */
import type { Encoding } from '../text/tokenizer.js';
import { softmaxArgmax, type Entity } from './aggregate.js';

export interface SpanMarkerConfig {
  entityMaxLength: number;
  markerMaxLength: number;
  startMarkerId: number;
  endMarkerId: number;
  padId: number;
}

/** A span of words [first, last] with the token index of its first and last token. */
export interface WordSpan {
  first: number;
  last: number;
  startToken: number;
  endToken: number;
}

/** Every span of up to `maxWords` words of an encoding. */
export function enumerateSpans(enc: Encoding, maxWords: number): WordSpan[] {
  const firstToken: number[] = [];
  const lastToken: number[] = [];
  enc.wordIds.forEach((w, t) => {
    if (w < 0) return;
    if (firstToken[w] === undefined) firstToken[w] = t;
    lastToken[w] = t;
  });
  const words = firstToken.map((_, w) => w).filter((w) => firstToken[w] !== undefined);
  const spans: WordSpan[] = [];
  for (let i = 0; i < words.length; i++) {
    for (let j = i; j < Math.min(words.length, i + maxWords); j++) spans.push({ first: words[i], last: words[j], startToken: firstToken[words[i]], endToken: lastToken[words[j]] });
  }
  return spans;
}

/** One model row: the text's tokens and a chunk of its spans. */
export interface SpanRow {
  ids: number[];
  spans: WordSpan[];
}

export interface SpanBatch {
  input_ids: BigInt64Array;
  attention_mask: BigInt64Array;
  position_ids: BigInt64Array;
  start_marker_indices: BigInt64Array;
  num_marker_pairs: BigInt64Array;
  length: number;
}

/** The model inputs of rows (see the layout above). */
export function buildSpanBatch(rows: readonly SpanRow[], c: SpanMarkerConfig): SpanBatch {
  const length = Math.max(1, ...rows.map((r) => r.ids.length + 2 * r.spans.length));
  const b = rows.length;
  const ids = new BigInt64Array(b * length).fill(BigInt(c.padId));
  const mask = new BigInt64Array(b * length * length);
  const positions = new BigInt64Array(b * length);
  const starts = new BigInt64Array(b);
  const pairs = new BigInt64Array(b);
  rows.forEach((row, r) => {
    const n = row.ids.length;
    const p = row.spans.length;
    starts[r] = BigInt(n);
    pairs[r] = BigInt(p);
    const base = r * length;
    const m = r * length * length;
    for (let t = 0; t < n; t++) {
      ids[base + t] = BigInt(row.ids[t]);
      positions[base + t] = BigInt(t);
      for (let u = 0; u < n; u++) mask[m + t * length + u] = 1n;
    }
    row.spans.forEach((s, k) => {
      const si = n + k;
      const ei = n + p + k;
      ids[base + si] = BigInt(c.startMarkerId);
      ids[base + ei] = BigInt(c.endMarkerId);
      positions[base + si] = BigInt(s.startToken);
      positions[base + ei] = BigInt(s.endToken);
      for (const at of [si, ei]) {
        for (let u = 0; u < n; u++) mask[m + at * length + u] = 1n;
        mask[m + at * length + si] = 1n;
        mask[m + at * length + ei] = 1n;
      }
    });
  });
  return { input_ids: ids, attention_mask: mask, position_ids: positions, start_marker_indices: starts, num_marker_pairs: pairs, length };
}

export interface SpanCandidate {
  span: WordSpan;
  label: string;
  score: number;
}

/** The labelled spans of a row from its logits (row r of [batch, pairs, labels]). */
export function spanCandidates(row: SpanRow, logits: Float32Array, r: number, pairsPerRow: number, labels: readonly string[]): SpanCandidate[] {
  const n = labels.length;
  const out: SpanCandidate[] = [];
  row.spans.forEach((span, k) => {
    const { index, score } = softmaxArgmax(logits, (r * pairsPerRow + k) * n, n);
    if (labels[index] !== 'O') out.push({ span, label: labels[index], score });
  });
  return out;
}

/** Take spans by score, highest first, skipping any that shares a word with a taken one; in text order. */
export function resolveOverlaps(text: string, enc: Encoding, candidates: SpanCandidate[]): Entity[] {
  const sorted = [...candidates].sort((a, b) => b.score - a.score || a.span.first - b.span.first || a.span.last - b.span.last);
  const taken: SpanCandidate[] = [];
  for (const c of sorted) if (!taken.some((t) => t.span.first <= c.span.last && c.span.first <= t.span.last)) taken.push(c);
  taken.sort((a, b) => a.span.first - b.span.first);
  return taken.map((c) => {
    const start = enc.starts[c.span.startToken];
    const end = enc.ends[c.span.endToken];
    return { label: c.label, start, end, score: c.score, text: text.slice(start, end) };
  });
}
