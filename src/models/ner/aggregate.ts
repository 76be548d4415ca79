/**
 * Token-classification output → entities, as Hugging Face's token-classification pipeline does
 * it: softmax per token, then
 * - `simple`: each (sub)token keeps its own argmax label;
 * - `first`: a word takes the label of its first token (its score: that token's);
 * - `max`: a word takes the label of its most confident token;
 * then adjacent tokens/words of one type join into an entity: `B-X` starts a new one, `I-X`
 * (or a bare `X`) continues one of type X, `O` ends it. An entity's score is the mean of its
 * parts' scores; offsets are characters of the original text.
 */
import type { Encoding } from '../text/tokenizer.js';

export type Aggregation = 'simple' | 'first' | 'max';

export interface Entity {
  label: string;
  start: number;
  end: number;
  score: number;
  text: string;
}

/** Softmax of `logits[at .. at+n)`: argmax and its probability. */
export function softmaxArgmax(logits: Float32Array, at: number, n: number): { index: number; score: number } {
  let best = 0;
  for (let c = 1; c < n; c++) if (logits[at + c] > logits[at + best]) best = c;
  let sum = 0;
  for (let c = 0; c < n; c++) sum += Math.exp(logits[at + c] - logits[at + best]);
  return { index: best, score: 1 / sum };
}

/** `B-PER` → ['B', 'PER']; `PER` → ['I', 'PER']; `O` → ['O', '']. */
export function splitTag(label: string): [string, string] {
  if (label === 'O') return ['O', ''];
  const m = /^([BIES])[-_](.+)$/.exec(label);
  if (!m) return ['I', label];
  return [m[1] === 'E' ? 'I' : m[1] === 'S' ? 'B' : m[1], m[2]];
}

interface Part {
  label: string;
  score: number;
  start: number;
  end: number;
}

/** Entities of one encoded text from its logits [tokens, labels] (row 0 of a batch: `at` its first value). */
export function aggregateTokens(text: string, enc: Encoding, logits: Float32Array, at: number, labels: readonly string[], strategy: Aggregation): Entity[] {
  const n = labels.length;
  const parts: Part[] = [];
  let word: { id: number; part: Part; best: number } | undefined;
  for (let t = 0; t < enc.ids.length; t++) {
    if (enc.special[t]) continue;
    const { index, score } = softmaxArgmax(logits, at + t * n, n);
    const part: Part = { label: labels[index], score, start: enc.starts[t], end: enc.ends[t] };
    if (strategy === 'simple') {
      parts.push(part);
      continue;
    }
    if (word && word.id === enc.wordIds[t]) {
      word.part.end = part.end; // a continuation piece: the word grows
      if (strategy === 'max' && score > word.best) {
        word.best = score;
        word.part.label = part.label;
        word.part.score = score;
      }
      continue;
    }
    word = { id: enc.wordIds[t], part, best: score };
    parts.push(part);
  }
  return groupParts(text, parts);
}

function groupParts(text: string, parts: Part[]): Entity[] {
  const out: Entity[] = [];
  let open: { type: string; start: number; end: number; scores: number[] } | undefined;
  const close = () => {
    if (open) out.push({ label: open.type, start: open.start, end: open.end, score: open.scores.reduce((a, b) => a + b, 0) / open.scores.length, text: text.slice(open.start, open.end) });
    open = undefined;
  };
  for (const p of parts) {
    const [tag, type] = splitTag(p.label);
    if (tag === 'O') {
      close();
      continue;
    }
    if (tag === 'B' || !open || open.type !== type) {
      close();
      open = { type, start: p.start, end: p.end, scores: [p.score] };
    } else {
      open.end = p.end;
      open.scores.push(p.score);
    }
  }
  close();
  return out;
}
