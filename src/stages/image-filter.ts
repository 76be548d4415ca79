import { z } from 'zod';
import type { RecordBatch } from '../core/batch.js';
import { defineStage, type ExcludeRow, type MapStage } from '../core/stage.js';
import { brokenRule, DATACOMP_BASIC, type ImageRules } from '../images/rules.js';

/**
 * `image_filter`: DataComp's basic rules over the columns `download` writes: shorter original
 * side ≥ 200 px, aspect ratio ≤ 3, captions of more than 2 words and 5 characters (defaults are
 * DataComp's; see images/rules.ts), and optionally a list of allowed formats. Reasons:
 * image_too_small, aspect_ratio, image_format, caption_too_short.
 */
const params = z.strictObject({
  min_side: z.number().int().min(0).default(DATACOMP_BASIC.minSide),
  max_aspect_ratio: z.number().min(1).default(DATACOMP_BASIC.maxAspectRatio),
  /** sharp's names: jpeg, png, webp, gif, tiff, avif, heif, svg; null: any. */
  formats: z.array(z.string().min(1)).nullable().default(null),
  min_caption_words: z.number().int().min(0).default(DATACOMP_BASIC.minCaptionWords),
  min_caption_chars: z.number().int().min(0).default(DATACOMP_BASIC.minCaptionChars),
  /** Default: the pipeline's content column. */
  caption_column: z.string().min(1).optional(),
  width_column: z.string().min(1).default('original_width'),
  height_column: z.string().min(1).default('original_height'),
  format_column: z.string().min(1).default('image_format'),
});
type Params = z.infer<typeof params>;

export const imageFilterStage = defineStage<Params>({
  name: 'image_filter',
  description: "DataComp's basic image-text rules: minimum image side, maximum aspect ratio, allowed formats, minimum caption words and characters.",
  kind: 'map',
  params,
  requires: (p) => [p.width_column, p.height_column, ...(p.formats ? [p.format_column] : [])],
  create(p, env): MapStage {
    const rules: ImageRules = {
      minSide: p.min_side,
      maxAspectRatio: p.max_aspect_ratio,
      formats: p.formats ? new Set(p.formats) : null,
      minCaptionWords: p.min_caption_words,
      minCaptionChars: p.min_caption_chars,
    };
    const captionColumn = p.caption_column ?? env.contentColumn;
    return {
      kind: 'map',
      columns: [],
      processBatch(batch: RecordBatch, rows: Int32Array, exclude: ExcludeRow): void {
        const widths = batch.column(p.width_column);
        const heights = batch.column(p.height_column);
        const formats = batch.column(p.format_column);
        const captions = batch.column(captionColumn);
        for (let k = 0; k < rows.length; k++) {
          const i = rows[k];
          const caption = captions?.[i];
          const format = formats?.[i];
          const why = brokenRule(Number(widths?.[i] ?? 0), Number(heights?.[i] ?? 0), typeof format === 'string' ? format : null, typeof caption === 'string' ? caption : null, rules);
          if (why) exclude(i, why);
        }
      },
    };
  },
});
