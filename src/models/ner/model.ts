/**
 * Named-entity recognition through ONNX Runtime from a model folder in the hub layout
 * (config.json with id2label, tokenizer files, `onnx/model*.onnx`). Two kinds, told apart by
 * config.json: a SpanMarker model (`model_type: span-marker` or architecture
 * `SpanMarkerModel`; see span-marker.ts), else a token classifier (BIO tags, see aggregate.ts).
 * Either way the answer per text is a list of typed spans with scores and character offsets.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { resolveModelDir } from '../loading.js';
import { createSession, type Device, type LoadedSession, ort } from '../runtime.js';
import { loadTokenizer, maxLengthOf, type Encoding, type TextTokenizer } from '../text/tokenizer.js';
import { WordPieceTokenizer } from '../text/wordpiece.js';
import { aggregateTokens, type Aggregation, type Entity } from './aggregate.js';
import { buildSpanBatch, enumerateSpans, resolveOverlaps, spanCandidates, type SpanMarkerConfig, type SpanRow } from './span-marker.js';

export type { Entity } from './aggregate.js';

export interface NerOptions {
  device?: Device;
  threads?: number;
  variant?: string;
  /** Texts (token classifier) or span rows (SpanMarker) per model call. */
  batchSize?: number;
  /** Token classifier: how tokens make words (see aggregate.ts). */
  aggregation?: Aggregation;
  /** Tokens per text; longer texts are cut (default: the tokenizer's model_max_length, at most 512). */
  maxLength?: number;
}

interface ModelConfig {
  model_type?: string;
  architectures?: string[];
  id2label?: Record<string, string>;
  entity_max_length?: number;
  marker_max_length?: number;
  model_max_length?: number;
}

function labelList(config: ModelConfig): string[] {
  const entries = Object.entries(config.id2label ?? {});
  if (entries.length === 0) throw new Error('config.json has no id2label');
  const out: string[] = [];
  for (const [k, v] of entries) out[Number(k)] = v;
  return out;
}

export class NerModel {
  readonly labels: string[];
  readonly kind: 'token' | 'span';
  private readonly tokenizer: TextTokenizer;
  private readonly maxLength: number;
  private readonly spanConfig?: SpanMarkerConfig;
  private session?: Promise<LoadedSession>;

  private constructor(
    readonly dir: string,
    private readonly options: NerOptions,
  ) {
    const config = JSON.parse(readFileSync(path.join(dir, 'config.json'), 'utf8')) as ModelConfig;
    this.labels = labelList(config);
    this.tokenizer = loadTokenizer(dir);
    this.kind = config.model_type === 'span-marker' || config.architectures?.includes('SpanMarkerModel') ? 'span' : 'token';
    const markers = Math.max(1, config.marker_max_length ?? 128);
    this.maxLength = options.maxLength ?? Math.min(512, this.kind === 'span' ? (config.model_max_length ?? 256) - 2 * markers : maxLengthOf(dir));
    if (this.kind === 'span') {
      const vocab = this.tokenizer instanceof WordPieceTokenizer ? this.tokenizer.vocab : undefined;
      const marker = (name: string) => {
        const id = vocab?.get(name);
        if (id === undefined) throw new Error(`${dir}: SpanMarker tokenizer has no ${name} token`);
        return id;
      };
      this.spanConfig = { entityMaxLength: config.entity_max_length ?? 8, markerMaxLength: markers, startMarkerId: marker('<start>'), endMarkerId: marker('<end>'), padId: this.tokenizer.padId };
    }
  }

  static async load(source: string, options: NerOptions = {}): Promise<NerModel> {
    const v = options.variant ?? '';
    const dir = await resolveModelDir(source, { files: ['config.json', `onnx/model${v}.onnx`], optional: ['tokenizer.json', 'tokenizer_config.json', 'vocab.txt'] });
    return new NerModel(dir, options);
  }

  private open(): Promise<LoadedSession> {
    return (this.session ??= createSession(path.join(this.dir, 'onnx', `model${this.options.variant ?? ''}.onnx`), { device: this.options.device, threads: this.options.threads }));
  }

  /** Entities of each text, in text order. */
  async recognise(texts: readonly string[]): Promise<Entity[][]> {
    const { session } = await this.open();
    const encodings = texts.map((t) => this.tokenizer.encode(t, this.maxLength));
    return this.kind === 'span' ? this.recogniseSpans(session, texts, encodings) : this.recogniseTokens(session, texts, encodings);
  }

  private async recogniseTokens(session: ort.InferenceSession, texts: readonly string[], encodings: Encoding[]): Promise<Entity[][]> {
    const out: Entity[][] = [];
    const batch = this.options.batchSize ?? 16;
    const n = this.labels.length;
    for (let start = 0; start < texts.length; start += batch) {
      const chunk = encodings.slice(start, start + batch);
      const length = Math.max(...chunk.map((e) => e.ids.length));
      const ids = new BigInt64Array(chunk.length * length).fill(BigInt(this.tokenizer.padId));
      const mask = new BigInt64Array(chunk.length * length);
      chunk.forEach((e, r) => e.ids.forEach((id, t) => ((ids[r * length + t] = BigInt(id)), (mask[r * length + t] = 1n))));
      const all: Record<string, BigInt64Array> = { input_ids: ids, attention_mask: mask, token_type_ids: new BigInt64Array(ids.length) };
      const feeds = Object.fromEntries(session.inputNames.map((name) => [name, new ort.Tensor('int64', all[name] ?? new BigInt64Array(ids.length), [chunk.length, length])]));
      const logits = (await session.run(feeds)).logits ?? undefined;
      if (!logits) throw new Error(`${this.dir}: the model has no logits output`);
      const data = logits.data as Float32Array;
      chunk.forEach((e, r) => out.push(aggregateTokens(texts[start + r], e, data, r * length * n, this.labels, this.options.aggregation ?? 'first')));
    }
    return out;
  }

  private async recogniseSpans(session: ort.InferenceSession, texts: readonly string[], encodings: Encoding[]): Promise<Entity[][]> {
    const c = this.spanConfig!;
    // Every text becomes rows of at most markerMaxLength spans; rows of all texts are batched together.
    const rows: { text: number; row: SpanRow }[] = [];
    encodings.forEach((e, i) => {
      const spans = enumerateSpans(e, c.entityMaxLength);
      for (let k = 0; k < spans.length; k += c.markerMaxLength) rows.push({ text: i, row: { ids: e.ids, spans: spans.slice(k, k + c.markerMaxLength) } });
    });
    const candidates: ReturnType<typeof spanCandidates>[] = texts.map(() => []);
    const batch = this.options.batchSize ?? 16;
    for (let start = 0; start < rows.length; start += batch) {
      const chunk = rows.slice(start, start + batch);
      const b = buildSpanBatch(
        chunk.map((x) => x.row),
        c,
      );
      const shape2 = [chunk.length, b.length];
      const all: Record<string, ort.Tensor> = {
        input_ids: new ort.Tensor('int64', b.input_ids, shape2),
        attention_mask: new ort.Tensor('int64', b.attention_mask, [chunk.length, b.length, b.length]),
        position_ids: new ort.Tensor('int64', b.position_ids, shape2),
        start_marker_indices: new ort.Tensor('int64', b.start_marker_indices, [chunk.length]),
        num_marker_pairs: new ort.Tensor('int64', b.num_marker_pairs, [chunk.length]),
      };
      const logits = (await session.run(Object.fromEntries(session.inputNames.map((name) => [name, all[name]])))).logits;
      const pairs = logits.dims[1];
      chunk.forEach((x, r) => candidates[x.text].push(...spanCandidates(x.row, logits.data as Float32Array, r, pairs, this.labels)));
    }
    return texts.map((t, i) => resolveOverlaps(t, encodings[i], candidates[i]));
  }

  async close(): Promise<void> {
    if (this.session) await (await this.session).session.release();
    this.session = undefined;
  }
}

/** Labels that mean a person in the common NER label sets (CoNLL PER, OntoNotes PERSON, MultiNERD PER, Few-NERD person-*). */
export function isPersonLabel(label: string): boolean {
  return /^(PER|PERSON|person(-.*)?)$/i.test(label);
}
