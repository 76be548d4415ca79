/**
 * What the CLIP stages share: the model parameters, opening the model for a task, and reading
 * the images of a batch's rows (those without a usable image are excluded with the reason).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { RecordBatch } from '../core/batch.js';
import type { ExcludeRow, StageEnv } from '../core/stage.js';
import { ClipModel } from '../models/clip/embed.js';
import { imageOf, type ImageRefOptions, imageRefParams } from '../models/clip/image-ref.js';

export const clipModelParams = {
  /** A model folder in the hub layout (relative to the pipeline file) or a hub id, e.g. `Xenova/clip-vit-base-patch32`. */
  model: z.string().min(1),
  /** ONNX file variant of the hub folder: '' (fp32), '_quantized', '_fp16', ... */
  variant: z.string().default(''),
  /** auto: CUDA when ONNX Runtime's CUDA provider is installed, else CPU. */
  device: z.enum(['auto', 'cuda', 'cpu']).default('auto'),
  /** Images or texts per model call. */
  batch_size: z.number().int().min(1).default(32),
  /** Threads per model session; default 1 in a worker thread (one session per worker), ONNX Runtime's default otherwise. */
  threads: z.number().int().min(1).optional(),
  ...imageRefParams,
};

export interface ClipModelParams extends ImageRefOptions {
  model: string;
  variant: string;
  device: 'auto' | 'cuda' | 'cpu';
  batch_size: number;
  threads?: number;
  image_column: string;
}

export function openClipModel(p: ClipModelParams, env: StageEnv): Promise<ClipModel> {
  const local = path.resolve(env.baseDir, p.model);
  return ClipModel.load(existsSync(local) ? local : p.model, { variant: p.variant, device: p.device, batchSize: p.batch_size, threads: p.threads });
}

/** The rows of a batch that point at an image, and their images; the others are excluded. */
export function batchImages(batch: RecordBatch, rows: Int32Array, p: ClipModelParams, env: StageEnv, exclude: ExcludeRow): { rows: number[]; images: (Uint8Array | string)[] } {
  const values = batch.column(p.image_column);
  const kept: number[] = [];
  const images: (Uint8Array | string)[] = [];
  for (let k = 0; k < rows.length; k++) {
    const ref = imageOf(values?.[rows[k]], p, env.baseDir);
    if ('why' in ref) exclude(rows[k], ref.why);
    else {
      kept.push(rows[k]);
      images.push(ref.image);
    }
  }
  return { rows: kept, images };
}

/** Embed the images of `rows`; rows whose image does not decode are excluded and dropped from the result. */
export async function embedBatchImages(model: ClipModel, rows: number[], images: (Uint8Array | string)[], exclude: ExcludeRow): Promise<{ rows: number[]; embeddings: Float32Array; dim: number }> {
  const { embeddings, errors } = await model.embedImages(images);
  const dim = images.length > 0 ? embeddings.length / images.length : 0;
  const ok: number[] = [];
  const packed = new Float32Array(embeddings.length);
  rows.forEach((row, k) => {
    if (errors[k] !== undefined) exclude(row, { reason: 'image_undecodable', detail: errors[k] });
    else {
      packed.set(embeddings.subarray(k * dim, (k + 1) * dim), ok.length * dim);
      ok.push(row);
    }
  });
  return { rows: ok, embeddings: packed.subarray(0, ok.length * dim), dim };
}
