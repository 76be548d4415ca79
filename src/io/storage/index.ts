/** Stores by location: `s3://bucket/key` → the bucket's S3Store and the key; else a local folder. */
import path from 'node:path';
import { LocalStore } from './local.js';
import { S3Store } from './s3.js';
import type { ObjectStore } from './types.js';
import { isS3Url, parseS3Url } from './url.js';

export { isS3Url, parseS3Url, asPrefix } from './url.js';
export { AlreadyExists, readAll, type ObjectInfo, type ObjectStore, type WriteOptions } from './types.js';
export { configureS3, type S3Options } from './config.js';

/** The store holding `location` and the key of `location` in it. */
export function storeFor(location: string): { store: ObjectStore; key: string } {
  if (isS3Url(location)) {
    const { bucket, key } = parseS3Url(location);
    return { store: new S3Store(bucket), key };
  }
  const abs = path.resolve(location);
  return { store: new LocalStore(path.dirname(abs)), key: path.basename(abs) };
}
