import { z } from 'zod';
import type { RecordBatch } from '../core/batch.js';
import { defineStage, type MapStage } from '../core/stage.js';
import { NerModel } from '../models/ner/model.js';
import { modelSource, rowTexts, textModelParams } from './text-model-params.js';

/**
 * `ner`: named entities per record from an ONNX NER model: a token classifier (BERT/mBERT with
 * BIO tags; words aggregated as `aggregation` says) or a SpanMarker model. The `spans` column
 * holds a JSON list of `{label, start, end, score, text}` (character offsets into the text),
 * keeping the labels in `labels` (all when empty) scored at least `min_score`. Counters: entities
 * per label. Records are never excluded.
 */
const params = z.strictObject({
  ...textModelParams,
  batch_size: z.number().int().min(1).default(16),
  /** Column the spans go to (JSON text). */
  column: z.string().min(1).default('entities'),
  /** Keep only these entity labels (e.g. [PER, LOC]); empty keeps every label. */
  labels: z.array(z.string().min(1)).default([]),
  min_score: z.number().min(0).max(1).default(0),
  /** Token classifiers: word label from its first token (HF `first`), the most confident (`max`), or per token (`simple`). */
  aggregation: z.enum(['first', 'max', 'simple']).default('first'),
});
export type NerParams = z.infer<typeof params>;

export const nerStage = defineStage<NerParams>({
  name: 'ner',
  description: 'Named entities (token-classification or SpanMarker ONNX models) as typed spans with scores and character offsets.',
  kind: 'map',
  params,
  requires: (p, env) => [p.text_column ?? env.contentColumn],
  create(p, env): MapStage {
    const textColumn = p.text_column ?? env.contentColumn;
    const keep = new Set(p.labels);
    let model: NerModel | undefined;
    const counts = new Map<string, number>();
    return {
      kind: 'map',
      columns: [{ name: p.column, type: 'string' }],
      async open() {
        model = await NerModel.load(modelSource(p.model, env), { variant: p.variant, device: p.device, threads: p.threads, batchSize: p.batch_size, aggregation: p.aggregation });
      },
      async processBatch(batch: RecordBatch, rows: Int32Array): Promise<void> {
        const out = batch.columnForWrite(p.column);
        for (let k = 0; k < rows.length; k++) out[rows[k]] = '[]';
        const { rows: withText, texts } = rowTexts(batch.column(textColumn), rows);
        if (texts.length === 0) return;
        const found = await model!.recognise(texts);
        withText.forEach((i, k) => {
          const spans = found[k].filter((e) => (keep.size === 0 || keep.has(e.label)) && e.score >= p.min_score);
          for (const e of spans) counts.set(e.label, (counts.get(e.label) ?? 0) + 1);
          out[i] = JSON.stringify(spans.map((e) => ({ label: e.label, start: e.start, end: e.end, score: Number(e.score.toFixed(4)), text: e.text })));
        });
      },
      counters: () => Object.fromEntries([...counts].map(([label, n]) => [`entities:${label}`, n])),
      async close() {
        await model?.close();
      },
    };
  },
});
