import { z } from 'zod';
import type { RecordBatch } from '../core/batch.js';
import { defineStage, type MapStage } from '../core/stage.js';
import { TextEmbedder } from '../models/text/embed.js';
import { modelSource, rowTexts, textModelParams } from './text-model-params.js';

/**
 * `embed`: a text embedding per record (float32[] column, L2-normalised) from an ONNX text
 * model: Qwen3-Embedding (last-token pooling), a sentence-transformers export (its
 * 1_Pooling/config.json says the pooling), or any encoder with `pooling` set. Documents are
 * embedded without the query instruction. Records without text get null. Feeds
 * `semantic_dedup` and the release's vector index (`vector_index`).
 */
const params = z.strictObject({
  ...textModelParams,
  /** Column the embedding goes to. */
  column: z.string().min(1).default('embedding'),
  /** Default: the model folder's own (sentence-transformers config, `last` for Qwen). */
  pooling: z.enum(['mean', 'cls', 'last']).optional(),
  /** Matryoshka: keep the first n dimensions (Qwen3-Embedding-0.6B: any of 32..1024). */
  dimensions: z.number().int().min(1).optional(),
  /** Tokens per text; longer texts are cut. */
  max_length: z.number().int().min(1).default(512),
});
export type EmbedParams = z.infer<typeof params>;

export const embedStage = defineStage<EmbedParams>({
  name: 'embed',
  description: 'Text embeddings (mean, CLS or last-token pooling, L2-normalised, optional Matryoshka cut) into a float32[] column.',
  kind: 'map',
  params,
  requires: (p, env) => [p.text_column ?? env.contentColumn],
  create(p, env): MapStage {
    const textColumn = p.text_column ?? env.contentColumn;
    let model: TextEmbedder | undefined;
    let embedded = 0;
    return {
      kind: 'map',
      columns: [{ name: p.column, type: 'float32[]' }],
      async open() {
        model = await TextEmbedder.load(modelSource(p.model, env), {
          variant: p.variant,
          device: p.device,
          threads: p.threads,
          batchSize: p.batch_size,
          pooling: p.pooling,
          dimensions: p.dimensions,
          maxLength: p.max_length,
        });
      },
      async processBatch(batch: RecordBatch, rows: Int32Array): Promise<void> {
        const out = batch.columnForWrite(p.column);
        for (let k = 0; k < rows.length; k++) out[rows[k]] = null;
        const { rows: withText, texts } = rowTexts(batch.column(textColumn), rows);
        if (texts.length === 0) return;
        const { embeddings, dim } = await model!.embed(texts);
        withText.forEach((i, k) => (out[i] = Array.from(embeddings.subarray(k * dim, (k + 1) * dim))));
        embedded += texts.length;
      },
      counters: () => ({ embedded }),
      async close() {
        await model?.close();
      },
    };
  },
});
