import path from 'node:path';
import { z } from 'zod';
import type { RecordBatch } from '../core/batch.js';
import { defineStage, type ExcludeRow, type MapStage } from '../core/stage.js';
import { readClassList, readTemplates } from '../models/clip/class-lists.js';
import type { ClipModel } from '../models/clip/embed.js';
import { CLIP_LOGIT_SCALE, classEmbeddings, rankClasses } from '../models/clip/zero-shot.js';
import { batchImages, clipModelParams, embedBatchImages, openClipModel } from './clip-common.js';

/**
 * `zero_shot`: CLIP zero-shot classification of each record's image. Every class name goes into
 * every prompt template; a class's text embeddings are averaged and renormalised (openai/CLIP's
 * prompt ensembling), once per task. Adds `zero_shot_label` and `zero_shot_score` (the top
 * class and its softmax probability at CLIP's logit scale 100) and `zero_shot_labels` /
 * `zero_shot_scores` (the `top_k` best). With `min_score` or `keep_labels`, excludes records
 * (`zero_shot_low`, `zero_shot_not_selected`). Images as in `clip_score`.
 */
const params = z
  .strictObject({
    ...clipModelParams,
    /** Class names, inline. */
    classes: z.array(z.string().min(1)).min(1).nullable().default(null),
    /** Or a JSON file of them (see models/clip/class-lists.ts), relative to the pipeline file. */
    classes_file: z.string().min(1).nullable().default(null),
    /** Prompt templates; `{}` is the class name. */
    templates: z.array(z.string().min(1)).min(1).default(['a photo of a {}.']),
    /** Or a JSON file of them (e.g. CLIP's 80 ImageNet templates). */
    templates_file: z.string().min(1).nullable().default(null),
    /** How many classes `zero_shot_labels` lists. */
    top_k: z.number().int().min(1).default(5),
    /** Exclude records whose top probability is below this. */
    min_score: z.number().min(0).max(1).nullable().default(null),
    /** Keep only records whose top label is one of these. */
    keep_labels: z.array(z.string()).nullable().default(null),
  })
  .refine((p) => (p.classes === null) !== (p.classes_file === null), { message: 'give exactly one of classes and classes_file' });
export type ZeroShotParams = z.infer<typeof params>;

export const zeroShotStage = defineStage<ZeroShotParams>({
  name: 'zero_shot',
  description: 'CLIP zero-shot classification with prompt ensembles: top label, its probability, the top k.',
  kind: 'map',
  params,
  requires: (p) => [p.image_column],
  create(p, env): MapStage {
    const resolve = (f: string) => path.resolve(env.baseDir, f);
    const names = p.classes ?? readClassList(resolve(p.classes_file!)).map((c) => c.name);
    const templates = p.templates_file ? readTemplates(resolve(p.templates_file)) : p.templates;
    const keep = p.keep_labels ? new Set(p.keep_labels) : undefined;
    let model: ClipModel | undefined;
    let classes: Float32Array = new Float32Array(0);
    const counts = new Map<string, number>();
    return {
      kind: 'map',
      columns: [
        { name: 'zero_shot_label', type: 'string' },
        { name: 'zero_shot_score', type: 'float64' },
        { name: 'zero_shot_labels', type: 'string[]' },
        { name: 'zero_shot_scores', type: 'float32[]' },
      ],
      async open() {
        model = await openClipModel(p, env);
        classes = await classEmbeddings(model, names, templates);
      },
      async processBatch(batch: RecordBatch, rows: Int32Array, exclude: ExcludeRow): Promise<void> {
        const cols = ['zero_shot_label', 'zero_shot_score', 'zero_shot_labels', 'zero_shot_scores'].map((c) => batch.columnForWrite(c));
        for (const i of rows) for (const c of cols) c[i] = null;
        const refs = batchImages(batch, rows, p, env, exclude);
        const images = await embedBatchImages(model!, refs.rows, refs.images, exclude);
        const logits = new Float64Array(names.length);
        images.rows.forEach((i, k) => {
          const ranked = rankClasses(images.embeddings, k, classes, images.dim, p.top_k, CLIP_LOGIT_SCALE, logits);
          const label = names[ranked.classes[0]];
          const labels = Array.from(ranked.classes, (c) => names[c]);
          [cols[0][i], cols[1][i], cols[2][i], cols[3][i]] = [label, ranked.probs[0], labels, Array.from(ranked.probs)];
          counts.set(`label:${label}`, (counts.get(`label:${label}`) ?? 0) + 1);
          if (p.min_score !== null && ranked.probs[0] < p.min_score) exclude(i, { reason: 'zero_shot_low', detail: `${label} ${ranked.probs[0].toFixed(4)}` });
          else if (keep && !keep.has(label)) exclude(i, { reason: 'zero_shot_not_selected', detail: label });
        });
      },
      counters: () => Object.fromEntries(counts),
      async close() {
        await model?.close();
      },
    };
  },
});
