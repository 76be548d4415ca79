import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { ThresherError } from '../core/errors.js';
import { swhContentId } from '../core/hashing.js';
import { asPrefix, isS3Url, readAll, storeFor, type ObjectStore } from '../io/storage/index.js';

const gunzipAsync = promisify(gunzip);

/**
 * Where file contents are fetched from by their git blob id (sha1_git, 40 hex digits), as The
 * Stack v2 fetched them from Software Heritage's public bucket (one gzip'd object per content).
 * `get` returns the decompressed bytes, or null when the store has no such blob; it throws only
 * for damage (bad gzip, bytes that do not hash to the id: the caller counts those as `corrupt`).
 */
export interface BlobStore {
  get(sha1Git: string): Promise<Buffer | null>;
}

export interface BlobStoreOptions {
  /** `gzip`: objects are gzip'd, as in SWH's bucket; `none`: raw bytes. */
  compression: 'gzip' | 'none';
  /** Check that the bytes hash to the id asked for (a wrong or damaged object is `corrupt`). */
  verify: boolean;
}

/** A local folder holding one file per blob, named by its id (a mirror of the bucket's `content/` prefix). */
export class LocalBlobStore implements BlobStore {
  constructor(
    readonly root: string,
    private readonly opts: BlobStoreOptions,
  ) {}

  async get(sha1Git: string): Promise<Buffer | null> {
    let raw: Buffer;
    try {
      raw = await readFile(path.join(this.root, sha1Git));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
    return checkBlob(sha1Git, this.opts.compression === 'gzip' ? await gunzipAsync(raw) : raw, this.opts.verify);
  }
}

/**
 * The store itself cannot be read (no such bucket, no credentials, endpoint unreachable): not
 * damage to one blob, so the reader stops on it instead of counting every row `corrupt`.
 */
export class BlobStoreUnreachable extends ThresherError {
  constructor(message: string) {
    super(message);
    this.name = 'BlobStoreUnreachable';
  }
}

/**
 * Blobs under a prefix of an object store (`s3://softwareheritage/content/<sha1_git>`): the same
 * key layout as the local folder, one GET per blob. A failed GET is told apart from an absent
 * blob by listing the blob's exact key, only on that path (missing blobs are the exception):
 * S3 answers a missing key and a missing bucket alike to HEAD, but a listing fails for the bucket.
 */
export class ObjectBlobStore implements BlobStore {
  private readonly prefix: string;

  constructor(
    private readonly store: ObjectStore,
    prefix: string,
    private readonly opts: BlobStoreOptions,
  ) {
    this.prefix = asPrefix(prefix);
  }

  async get(sha1Git: string): Promise<Buffer | null> {
    const key = this.prefix + sha1Git;
    let raw: Buffer;
    try {
      raw = await readAll(this.store, key);
    } catch (readErr) {
      let listed;
      try {
        listed = await this.store.list(key);
      } catch (listErr) {
        throw new BlobStoreUnreachable((listErr as Error).message);
      }
      if (!listed.some((o) => o.key === key)) return null;
      throw new BlobStoreUnreachable((readErr as Error).message);
    }
    return checkBlob(sha1Git, this.opts.compression === 'gzip' ? await gunzipAsync(raw) : raw, this.opts.verify);
  }
}

/** Decompressed bytes checked against their id (see BlobStore). Shared by every store. */
export function checkBlob(sha1Git: string, bytes: Buffer, verify: boolean): Buffer {
  if (verify) {
    const got = swhContentId(bytes).slice('swh:1:cnt:'.length);
    if (got !== sha1Git) throw new Error(`blob ${sha1Git} holds bytes with id ${got}`);
  }
  return bytes;
}

/** The store a location names: `s3://bucket/prefix` (through src/io/storage) or a local folder. */
export function openBlobStore(location: string, opts: BlobStoreOptions): BlobStore {
  if (isS3Url(location)) {
    const { store, key } = storeFor(location);
    return new ObjectBlobStore(store, key, opts);
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(location)) throw new Error(`${location}: unsupported blob store (a local folder or s3://bucket/prefix)`);
  return new LocalBlobStore(path.resolve(location), opts);
}

/** A blob id from a table cell: 40 hex digits, or a `swh:1:cnt:` id. Null when it is neither. */
export function blobIdOf(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const m = /^(?:swh:1:cnt:)?([0-9a-fA-F]{40})$/.exec(value.trim());
  return m ? m[1].toLowerCase() : null;
}

/** `fn` over `items` with at most `limit` calls in flight; results in item order. */
export async function mapBounded<T, R>(items: readonly T[], limit: number, fn: (item: T, i: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
