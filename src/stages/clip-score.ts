import { z } from 'zod';
import type { RecordBatch } from '../core/batch.js';
import { defineStage, type ExcludeRow, type MapStage } from '../core/stage.js';
import type { ClipModel } from '../models/clip/embed.js';
import { dotRows } from '../models/clip/zero-shot.js';
import { batchImages, clipModelParams, embedBatchImages, openClipModel } from './clip-common.js';

/**
 * `clip_score`: the cosine between a record's image and its caption in CLIP's embedding space
 * (DataComp's CLIP-score filter; DataComp keeps ViT-B/32 scores ≥ 0.28 for LAION-style pools,
 * ViT-L/14 ≥ 0.3). Adds `clip_score`; with `min_score` excludes records below it
 * (`clip_score_low`). To keep a top fraction of the whole pool instead, follow it with
 * `clip_score_top`. Images: see models/clip/image-ref.ts (a path column, or base64 bytes);
 * records without a usable image or caption are excluded with the reason, never a crash.
 * Inference is batched (`batch_size`) on CUDA when present, CPU otherwise.
 */
const params = z.strictObject({
  ...clipModelParams,
  /** Column with the caption; default: the pipeline's content column. */
  caption_column: z.string().min(1).nullable().default(null),
  /** Keep records whose score is at least this; null keeps all (annotate only). */
  min_score: z.number().min(-1).max(1).nullable().default(null),
  /** Also write the normalised image embedding to this column (float32[]); null: not written. */
  embedding_column: z.string().min(1).nullable().default(null),
});
export type ClipScoreParams = z.infer<typeof params>;

export const clipScoreStage = defineStage<ClipScoreParams>({
  name: 'clip_score',
  description: "CLIP score: cosine of image and caption embeddings (DataComp's CLIP-score filter); keeps scores ≥ min_score.",
  kind: 'map',
  params,
  requires: (p, env) => [p.image_column, p.caption_column ?? env.contentColumn],
  create(p, env): MapStage {
    const captionColumn = p.caption_column ?? env.contentColumn;
    let model: ClipModel | undefined;
    const counts = { images_embedded: 0, low_score: 0 };
    const stage: MapStage = {
      kind: 'map',
      columns: [{ name: 'clip_score', type: 'float64' }, ...(p.embedding_column ? [{ name: p.embedding_column, type: 'float32[]' as const }] : [])],
      async open() {
        model = await openClipModel(p, env);
      },
      async processBatch(batch: RecordBatch, rows: Int32Array, exclude: ExcludeRow): Promise<void> {
        const scores = batch.columnForWrite('clip_score');
        const vectors = p.embedding_column ? batch.columnForWrite(p.embedding_column) : undefined;
        const captions = batch.column(captionColumn);
        const withCaption = new Int32Array(
          rows.filter((i) => {
            scores[i] = null;
            if (vectors) vectors[i] = null;
            const c = captions?.[i];
            if (typeof c === 'string' && c.trim() !== '') return true;
            exclude(i, { reason: 'no_caption' });
            return false;
          }),
        );
        const refs = batchImages(batch, withCaption, p, env, exclude);
        const images = await embedBatchImages(model!, refs.rows, refs.images, exclude);
        if (images.rows.length === 0) return;
        const texts = await model!.embedTexts(images.rows.map((i) => captions![i] as string));
        counts.images_embedded += images.rows.length;
        images.rows.forEach((i, k) => {
          const score = dotRows(images.embeddings, k, texts, k, images.dim);
          scores[i] = score;
          if (vectors) vectors[i] = Array.from(images.embeddings.subarray(k * images.dim, (k + 1) * images.dim));
          if (p.min_score !== null && score < p.min_score) {
            counts.low_score++;
            exclude(i, { reason: 'clip_score_low', detail: score.toFixed(4) });
          }
        });
      },
      counters: () => ({ ...counts }),
      async close() {
        await model?.close();
      },
    };
    return stage;
  },
});
