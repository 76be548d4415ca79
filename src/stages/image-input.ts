/**
 * Where an image stage (`nsfw`) reads each record's image: by default from the WebDataset
 * shards of the `download` (or `face_blur`) stage before it, through the `shard` and `key`
 * columns; with `image_column`, from a path or base64 column as the CLIP stages do.
 */
import { z } from 'zod';
import type { RecordBatch } from '../core/batch.js';
import type { ExcludeRow, StageEnv } from '../core/stage.js';
import { imageOf } from '../models/clip/image-ref.js';
import { upstreamShardsDir } from '../images/shard-dirs.js';
import { ShardImages } from '../images/shard-images.js';

export const imageInputParams = {
  /** null: the image in the shards (`shard`, `key` columns); else a column with a path or base64 bytes. */
  image_column: z.string().min(1).nullable().default(null),
  image_encoding: z.enum(['path', 'base64']).default('path'),
  /** Folder relative image paths resolve against; default: the pipeline file's folder. */
  image_root: z.string().nullable().default(null),
};

export interface ImageInputParams {
  image_column: string | null;
  image_encoding: 'path' | 'base64';
  image_root: string | null;
}

export function imageInputColumns(p: ImageInputParams): string[] {
  return p.image_column ? [p.image_column] : ['shard', 'key'];
}

export class ImageInput {
  private readonly shards?: ShardImages;

  constructor(
    private readonly p: ImageInputParams,
    private readonly env: StageEnv,
    stageDir: string,
  ) {
    if (!p.image_column) this.shards = new ShardImages(upstreamShardsDir(stageDir, env.stages ?? []));
  }

  /** The rows of `rows` with an image, and their images; the others are excluded with the reason. */
  images(batch: RecordBatch, rows: Int32Array, exclude: ExcludeRow): { rows: number[]; images: (Uint8Array | string)[] } {
    const kept: number[] = [];
    const images: (Uint8Array | string)[] = [];
    const values = this.p.image_column ? batch.column(this.p.image_column) : undefined;
    const shards = batch.column('shard');
    const keys = batch.column('key');
    for (const i of rows) {
      const ref = this.shards ? this.shards.image(shards?.[i], keys?.[i]) : imageOf(values?.[i], this.p, this.env.baseDir);
      if ('why' in ref) exclude(i, ref.why);
      else {
        kept.push(i);
        images.push(ref.image);
      }
    }
    return { rows: kept, images };
  }

  close(): void {
    this.shards?.close();
  }
}
