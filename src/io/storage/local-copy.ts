import { createWriteStream } from 'node:fs';
import { mkdtemp, open, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { ThresherError } from '../../core/errors.js';
import { readAll } from './types.js';
import { S3Store } from './s3.js';
import { parseS3Url } from './url.js';

/**
 * DuckDB reads Parquet from local files only here (its httpfs extension is not bundled and
 * cannot be fetched offline), so an `s3://` Parquet input is read through a local copy:
 * - for listing, a sparse file of the object's size holding only its footer (the last bytes,
 *   fetched with one or two ranged reads): row counts and schema come from the footer alone;
 * - for reading a slice, the whole object, downloaded to a temporary file and removed after.
 */
export interface LocalCopy {
  path: string;
  dispose(): Promise<void>;
}

async function tempFile(name: string): Promise<{ file: string; dispose: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'thresher-s3-'));
  return { file: path.join(dir, path.posix.basename(name) || 'object'), dispose: () => rm(dir, { recursive: true, force: true }) };
}

const TAIL = 64 * 1024;

/** A sparse local file of `bytes` bytes whose tail is the object's Parquet footer. */
export async function footerCopy(url: string, bytes: number): Promise<LocalCopy> {
  const { bucket, key } = parseS3Url(url);
  const store = new S3Store(bucket);
  let tail = await readAll(store, key, { start: Math.max(0, bytes - TAIL), end: bytes });
  if (tail.length >= 8 && tail.subarray(tail.length - 4).toString('latin1') === 'PAR1') {
    const need = tail.readUInt32LE(tail.length - 8) + 8;
    if (need > tail.length && need <= bytes) tail = await readAll(store, key, { start: bytes - need, end: bytes });
  }
  const { file, dispose } = await tempFile(key);
  const fh = await open(file, 'w');
  try {
    await fh.truncate(bytes);
    await fh.write(tail, 0, tail.length, bytes - tail.length);
  } finally {
    await fh.close();
  }
  return { path: file, dispose };
}

/** The whole object in a temporary file. */
export async function downloadCopy(url: string): Promise<LocalCopy> {
  const { bucket, key } = parseS3Url(url);
  const store = new S3Store(bucket);
  const { file, dispose } = await tempFile(key);
  try {
    await pipeline(Readable.from(store.read(key)), createWriteStream(file));
  } catch (err) {
    await dispose();
    throw err instanceof ThresherError ? err : new ThresherError(`${url}: download failed: ${(err as Error).message}`);
  }
  return { path: file, dispose };
}
