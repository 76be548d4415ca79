/**
 * How a record points at its image. A record carries the image in one string column, read one
 * of two ways (`image_encoding`):
 *  - `path` (default): a file path, relative paths against `image_root` (default: the pipeline
 *    file's folder); `file://` URLs too. An `http(s)://` URL is not fetched here: it is excluded
 *    as `image_not_local` (download the images first, then point at the files).
 *  - `base64`: the image bytes, base64-encoded (a `data:image/...;base64,` prefix is allowed),
 *    for Parquet/JSONL inputs that carry the bytes in the record.
 * A missing or empty value is excluded as `no_image`; bytes that do not decode as
 * `image_undecodable` with the decoder's message.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { Exclusion, Value } from '../../core/record.js';

export const imageRefParams = {
  /** Column holding the image: a path or URL, or base64 bytes (see `image_encoding`). */
  image_column: z.string().min(1).default('image'),
  /** `path`: the column names a file; `base64`: it holds the image bytes. */
  image_encoding: z.enum(['path', 'base64']).default('path'),
  /** Folder relative image paths resolve against; default: the pipeline file's folder. */
  image_root: z.string().nullable().default(null),
};

export interface ImageRefOptions {
  image_encoding: 'path' | 'base64';
  image_root: string | null;
}

/** The image a column value points at (bytes or an absolute path), or why there is none. */
export function imageOf(value: Value | undefined, options: ImageRefOptions, baseDir: string): { image: Uint8Array | string } | { why: Exclusion } {
  if (typeof value !== 'string' || value === '') return { why: { reason: 'no_image' } };
  if (options.image_encoding === 'base64') {
    const comma = value.startsWith('data:') ? value.indexOf(',') + 1 : 0;
    const bytes = Buffer.from(value.slice(comma), 'base64');
    return bytes.length > 0 ? { image: bytes } : { why: { reason: 'no_image' } };
  }
  if (/^https?:\/\//i.test(value)) return { why: { reason: 'image_not_local', detail: 'URL: download the images first, then point image_column at the files' } };
  if (value.startsWith('file://')) return { image: fileURLToPath(value) };
  return { image: path.resolve(path.resolve(baseDir, options.image_root ?? '.'), value) };
}
