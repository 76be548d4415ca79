/**
 * What the engine needs from a place that holds files: a local folder or an object store.
 * Keys are `/`-separated and relative to the store (a bucket, or a folder). Writes are atomic:
 * a reader sees the old object or the whole new one (local: temp file + rename; S3: one PUT or
 * one completed multipart upload).
 */
export interface ObjectInfo {
  key: string;
  bytes: number;
  mtimeMs: number;
  /** S3's ETag (quotes removed); absent for local files */
  etag?: string;
  /** user metadata (S3 `x-amz-meta-*`); only from stat() */
  metadata?: Record<string, string>;
}

export interface WriteOptions {
  /** fail with AlreadyExists when the key exists ("first writer wins"; S3: `If-None-Match: *`) */
  ifNoneMatch?: boolean;
  metadata?: Record<string, string>;
}

export interface ObjectStore {
  /** `s3://bucket/<key>` or the absolute local path: what messages name */
  url(key: string): string;
  /** every object whose key starts with `prefix`, sorted by key (byte order) */
  list(prefix: string): Promise<ObjectInfo[]>;
  /** undefined when the key does not exist */
  stat(key: string): Promise<ObjectInfo | undefined>;
  /** the bytes from `start` (inclusive) to `end` (exclusive; default: the end), streamed */
  read(key: string, range?: { start: number; end?: number }): AsyncIterable<Buffer>;
  /** writes the local file `file` as `key` */
  upload(file: string, key: string, options?: WriteOptions): Promise<void>;
  put(key: string, body: string | Uint8Array, options?: WriteOptions): Promise<void>;
  remove(key: string): Promise<void>;
}

/** A conditional write found the key already there. */
export class AlreadyExists extends Error {
  constructor(readonly url: string) {
    super(`${url}: already exists`);
    this.name = 'AlreadyExists';
  }
}

/** The whole object (or range) in memory: for small objects (manifests, claims, footers). */
export async function readAll(store: ObjectStore, key: string, range?: { start: number; end?: number }): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of store.read(key, range)) parts.push(c);
  return Buffer.concat(parts);
}
