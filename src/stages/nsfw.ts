import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { RecordBatch } from '../core/batch.js';
import { writeFileAtomic } from '../core/fs.js';
import { defineStage, type ExcludeRow, type MapStage, type MapTaskInfo, type ReleaseSection, type StageEnv, type SummaryTaskInfo } from '../core/stage.js';
import { DEFAULT_SAFE_PROMPTS, DEFAULT_UNSAFE_PROMPTS } from '../models/nsfw/clip-detector.js';
import { type NsfwScorer, openNsfwScorer } from '../models/nsfw/scorer.js';
import type { ModelRequest } from '../models/presence.js';
import { classifierFiles } from '../models/vision/classifier.js';
import { ImageInput, imageInputColumns, imageInputParams } from './image-input.js';
import { optionalModel, skipSummary, whenMissingParams } from './model-presence.js';

/**
 * `nsfw`: an NSFW score per image (`nsfw_score`, 0..1) from an ONNX image classifier in the hub
 * layout (`onnx/model.onnx`, config.json's id2label, preprocessor_config.json; e.g.
 * AdamCodd/vit-base-nsfw-detector) as the probability of its unsafe labels, or from CLIP
 * zero-shot against prompts (`detector: clip`, a CLIP model folder). With `max_score`, records
 * scoring above it are excluded (`nsfw`, the score in the detail). Images come from the
 * download shards (or `image_column`). Work in models/nsfw and models/vision.
 */
const params = z.strictObject({
  /** A model folder (relative to the pipeline file) or a hub id. */
  model: z.string().min(1),
  detector: z.enum(['classifier', 'clip']).default('classifier'),
  /** ONNX file suffix of the hub folder: '' (fp32), '_quantized', '_fp16', ... */
  variant: z.string().default(''),
  device: z.enum(['auto', 'cuda', 'cpu']).default('auto'),
  batch_size: z.number().int().min(1).default(16),
  threads: z.number().int().min(1).optional(),
  /** classifier: id2label names whose probabilities add up to the score; null: those named like nsfw/porn/hentai/sexy. */
  unsafe_labels: z.array(z.string().min(1)).min(1).nullable().default(null),
  /** clip: prompts that count as unsafe, and the safe ones they compete with. */
  unsafe_prompts: z.array(z.string().min(1)).min(1).default(DEFAULT_UNSAFE_PROMPTS),
  safe_prompts: z.array(z.string().min(1)).min(1).default(DEFAULT_SAFE_PROMPTS),
  /** Exclude records scoring above this; null: annotate only. */
  max_score: z.number().min(0).max(1).nullable().default(null),
  ...imageInputParams,
  ...whenMissingParams,
});
type Params = z.infer<typeof params>;

const CLIP_FILES = ['onnx/vision_model.onnx', 'onnx/text_model.onnx'];

const scorerModel = optionalModel((p: Params, env: StageEnv): ModelRequest => {
  const clip = p.detector === 'clip';
  return {
    what: clip ? 'CLIP model for NSFW prompts' : 'NSFW classifier',
    source: p.model,
    baseDir: env.baseDir,
    files: clip ? CLIP_FILES.map((f) => f.replace('.onnx', `${p.variant}.onnx`)) : [...classifierFiles(p.variant), 'preprocessor_config.json'],
    suggested: clip ? 'Xenova/clip-vit-base-patch32' : 'AdamCodd/vit-base-nsfw-detector',
  };
});

class NsfwStage implements MapStage {
  readonly kind = 'map' as const;
  readonly columns = [{ name: 'nsfw_score', type: 'float64' as const }];
  private scorer: NsfwScorer | null = null;
  private input?: ImageInput;
  private readonly counts: Record<string, number> = { scored: 0, over_max_score: 0, skipped_no_model: 0 };

  constructor(
    private readonly p: Params,
    private readonly env: StageEnv,
  ) {}

  async open(task: MapTaskInfo): Promise<void> {
    const where = await scorerModel.locate(this.p, this.env, task);
    if (where === null) return;
    const p = this.p;
    this.scorer = await openNsfwScorer(where, {
      detector: p.detector,
      variant: p.variant,
      device: p.device,
      batchSize: p.batch_size,
      threads: p.threads,
      unsafeLabels: p.unsafe_labels,
      unsafePrompts: p.unsafe_prompts,
      safePrompts: p.safe_prompts,
    });
    this.input = new ImageInput(p, this.env, task.stageDir);
    writeFileAtomic(path.join(task.stageDir, 'model.json'), JSON.stringify({ model: p.model, detector: p.detector, labels: this.scorer.labels, unsafe: this.scorer.unsafe }));
  }

  async processBatch(batch: RecordBatch, rows: Int32Array, exclude: ExcludeRow): Promise<void> {
    const out = batch.columnForWrite('nsfw_score');
    for (const i of rows) out[i] = null;
    if (!this.scorer) {
      this.counts.skipped_no_model += rows.length;
      return;
    }
    const refs = this.input!.images(batch, rows, exclude);
    const { scores, errors } = await this.scorer.score(refs.images);
    refs.rows.forEach((i, k) => {
      const score = scores[k];
      if (score === null) return exclude(i, { reason: 'image_undecodable', detail: errors[k] });
      out[i] = score;
      this.counts.scored++;
      if (this.p.max_score !== null && score > this.p.max_score) {
        this.counts.over_max_score++;
        exclude(i, { reason: 'nsfw', detail: `nsfw_score ${score.toFixed(4)} > ${this.p.max_score}` });
      }
    });
  }

  counters(): Record<string, number> {
    return { ...this.counts };
  }

  async close(): Promise<void> {
    this.input?.close();
    await this.scorer?.close();
  }

  async summarize(task: SummaryTaskInfo): Promise<ReleaseSection> {
    const skips = skipSummary(task.stageDir);
    let model: { labels: string[]; unsafe: string[] } | undefined;
    try {
      model = JSON.parse(readFileSync(path.join(task.stageDir, 'model.json'), 'utf8'));
    } catch {
      model = undefined; // every task skipped
    }
    const card = [
      model
        ? `NSFW scores (\`nsfw_score\`) from ${this.p.detector === 'clip' ? 'CLIP zero-shot with' : 'the classifier'} \`${this.p.model}\`: the probability of ${model.unsafe.map((l) => `\`${l}\``).join(', ')}${this.p.max_score === null ? '; no record excluded for it' : `; records above ${this.p.max_score} excluded (\`nsfw\`)`}.`
        : `NSFW scoring was skipped: no model, so \`nsfw_score\` is empty and no record was excluded for it.`,
      ...skips.reasons.map((why) => `Skipped (when_missing: skip) in ${model ? 'some tasks' : 'every task'}: ${why}`),
    ];
    return {
      key: 'nsfw',
      title: 'NSFW',
      card,
      data: { model: this.p.model, detector: this.p.detector, max_score: this.p.max_score, unsafe: model?.unsafe ?? null, ...skips.data },
    };
  }
}

export const nsfwStage = defineStage<Params>({
  name: 'nsfw',
  description: 'NSFW score per image (an ONNX image classifier, or CLIP zero-shot against prompts); optionally excludes scores above max_score.',
  kind: 'map',
  params,
  requires: (p) => imageInputColumns(p),
  preflight: scorerModel.preflight,
  create: (p, env) => new NsfwStage(p, env),
});
