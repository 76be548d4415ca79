import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { RecordBatch } from '../core/batch.js';
import type { ColumnSpec } from '../core/record.js';
import { defineStage, type ExcludeRow, type MapStage, type MapTaskInfo, type ReleaseSection, type StageEnv, type SummaryTaskInfo } from '../core/stage.js';
import { blurBatch, type BlurRowInput, type BlurSettings } from '../images/blur-batch.js';
import { blurredShardsDir, upstreamShardsDir } from '../images/shard-dirs.js';
import { ShardImages } from '../images/shard-images.js';
import { DEFAULT_FACE_FILE, UltraFaceDetector } from '../models/faces/ultraface.js';
import type { ModelRequest } from '../models/presence.js';
import { optionalModel, skipSummary, whenMissingParams } from './model-presence.js';

/**
 * `face_blur`: faces found by an UltraFace ONNX detector (models/faces) are blurred in the
 * images of the download shards, as LAION and DataComp blur faces in the images they store.
 * Each batch of records becomes a new shard of their images (blurred where a face was found,
 * the same bytes where none was) in `artifacts/<i>-face_blur/shards/`; `shard` then names
 * that shard, and download's own shards stay unreleased (images/shard-dirs.ts). Adds `faces`
 * (count), `face_boxes` (x1, y1, x2, y2 per face, pixels of the stored image) and
 * `face_scores`. Shards are deterministic and reused on a rerun (images/blur-batch.ts).
 */
const params = z.strictObject({
  /** A model folder (relative to the pipeline file), a path to the .onnx file, or a hub id. */
  model: z.string().min(1),
  /** The .onnx file in the folder or hub repository. */
  file: z.string().min(1).default(DEFAULT_FACE_FILE),
  /** `corners`: the model outputs decoded corner boxes (the ONNX Model Zoo's export); `offsets`: raw SSD offsets. */
  boxes: z.enum(['corners', 'offsets']).default('corners'),
  /** Input size, when the model does not declare it (320×240 for RFB-320, 640×480 for RFB-640). */
  input_width: z.number().int().min(16).default(320),
  input_height: z.number().int().min(16).default(240),
  /** Face probability above which a box counts (UltraFace's demo: 0.7). */
  min_score: z.number().min(0).max(1).default(0.7),
  /** NMS overlap (UltraFace's demo: 0.3). */
  iou: z.number().min(0).max(1).default(0.3),
  /** Each box grown by this fraction of its size on every side before blurring. */
  margin: z.number().min(0).max(2).default(0.1),
  /** Gaussian sigma as a fraction of the (grown) box's longer side. */
  strength: z.number().positive().max(1).default(0.15),
  /** JPEG quality of re-encoded (blurred) images: the download stage's default. */
  quality: z.number().int().min(1).max(100).default(95),
  device: z.enum(['auto', 'cuda', 'cpu']).default('auto'),
  threads: z.number().int().min(1).optional(),
  ...whenMissingParams,
});
type Params = z.infer<typeof params>;

const COLUMNS: ColumnSpec[] = [
  { name: 'shard', type: 'string' },
  { name: 'faces', type: 'int64' },
  { name: 'face_boxes', type: 'float32[]' },
  { name: 'face_scores', type: 'float32[]' },
];

const detectorModel = optionalModel((p: Params, env: StageEnv): ModelRequest => ({
  what: 'face detector (UltraFace ONNX)',
  source: p.model,
  baseDir: env.baseDir,
  files: [p.file],
  suggested: 'onnxmodelzoo/version-RFB-320',
  allowFile: true,
}));

class FaceBlurStage implements MapStage {
  readonly kind = 'map' as const;
  readonly columns = COLUMNS;
  private detector: UltraFaceDetector | null = null;
  private settings?: BlurSettings;
  private source?: ShardImages;
  private task?: MapTaskInfo;
  private batches = 0;
  private readonly counts: Record<string, number> = { images: 0, faces: 0, images_blurred: 0, batches_reused: 0, skipped_no_model: 0 };

  constructor(
    private readonly p: Params,
    private readonly env: StageEnv,
  ) {}

  async open(task: MapTaskInfo): Promise<void> {
    this.task = task;
    const p = this.p;
    const where = await detectorModel.locate(p, this.env, task);
    if (where !== null) {
      this.detector = await UltraFaceDetector.load(where, {
        file: p.file,
        boxes: p.boxes,
        inputWidth: p.input_width,
        inputHeight: p.input_height,
        threshold: p.min_score,
        iou: p.iou,
        device: p.device,
        threads: p.threads,
      });
    }
    const modelSha256 = this.detector ? createHash('sha256').update(readFileSync(this.detector.file)).digest('hex') : '';
    this.settings = { detector: this.detector, modelSha256, threshold: p.min_score, iou: p.iou, margin: p.margin, strength: p.strength, quality: p.quality };
    this.source = new ShardImages(upstreamShardsDir(task.stageDir, this.env.stages ?? []));
  }

  async processBatch(batch: RecordBatch, rows: Int32Array, exclude: ExcludeRow): Promise<void> {
    const task = this.task!;
    const name = `${String(task.rank).padStart(5, '0')}-${String(this.batches++).padStart(5, '0')}`;
    const ids = batch.column('id');
    const shards = batch.column('shard');
    const keys = batch.column('key');
    const inputs: BlurRowInput[] = Array.from(rows, (i) => ({ id: String(ids?.[i] ?? ''), shard: shards?.[i], key: keys?.[i] }));
    const result = await blurBatch(inputs, this.source!, path.join(blurredShardsDir(task.stageDir), `${name}.tar`), path.join(task.stageDir, 'shard-index', `${name}.json`), this.settings!);
    if (result.reused) this.counts.batches_reused++;
    const out = Object.fromEntries(COLUMNS.map((c) => [c.name, batch.columnForWrite(c.name)]));
    rows.forEach((i, k) => {
      const o = result.rows[k];
      if (!o.ok) return exclude(i, { reason: o.reason, detail: o.detail });
      out.shard[i] = result.shard;
      this.counts.images++;
      if (!this.detector) {
        this.counts.skipped_no_model++;
        out.faces[i] = out.face_boxes[i] = out.face_scores[i] = null;
        return;
      }
      out.faces[i] = o.faces;
      out.face_boxes[i] = o.boxes;
      out.face_scores[i] = o.scores;
      this.counts.faces += o.faces;
      if (o.blurred) this.counts.images_blurred++;
    });
  }

  counters(): Record<string, number> {
    return { ...this.counts };
  }

  async close(): Promise<void> {
    this.source?.close();
    await this.detector?.close();
  }

  async summarize(task: SummaryTaskInfo): Promise<ReleaseSection> {
    const dir = blurredShardsDir(task.stageDir);
    const shards = existsSync(dir) ? readdirSync(dir).filter((n) => n.endsWith('.tar')).length : 0;
    const totals = { images: 0, faces: 0, blurred: 0 };
    const indexDir = path.join(task.stageDir, 'shard-index');
    for (const n of existsSync(indexDir) ? readdirSync(indexDir).filter((f) => f.endsWith('.json')) : []) {
      const index = JSON.parse(readFileSync(path.join(indexDir, n), 'utf8')) as { rows: { ok: boolean; faces?: number; blurred?: boolean }[] };
      for (const r of index.rows.filter((x) => x.ok)) {
        totals.images++;
        totals.faces += r.faces ?? 0;
        if (r.blurred) totals.blurred++;
      }
    }
    const skips = skipSummary(task.stageDir);
    const where = `${task.artifactsPath}shards/`;
    const card = [
      `${totals.images} images in ${shards} WebDataset shards under \`${where}\` (the \`shard\` and \`key\` columns point to them).`,
      skips.reasons.length === 0
        ? `Faces blurred: ${totals.faces} faces found by \`${this.p.model}\` (UltraFace, score > ${this.p.min_score}, NMS ${this.p.iou}) in ${totals.blurred} images, each box grown by ${this.p.margin} and Gaussian-blurred (sigma ${this.p.strength} × its longer side); \`faces\`, \`face_boxes\`, \`face_scores\` per record.`
        : `Face blurring was SKIPPED (when_missing: skip), so these images are NOT blurred: ${skips.reasons.join('; ')}`,
    ];
    return {
      key: 'face_blur',
      title: 'Face blurring',
      card,
      data: {
        shards,
        dir: where,
        ...totals,
        model: this.p.model,
        min_score: this.p.min_score,
        iou: this.p.iou,
        margin: this.p.margin,
        strength: this.p.strength,
        ...skips.data,
      },
    };
  }
}

export const faceBlurStage = defineStage<Params>({
  name: 'face_blur',
  description: 'Blur faces (UltraFace ONNX detector) in the images of the download shards; writes blurred shards and faces, face_boxes, face_scores.',
  kind: 'map',
  params,
  requires: () => ['shard', 'key'],
  preflight: detectorModel.preflight,
  create: (p, env) => new FaceBlurStage(p, env),
});
