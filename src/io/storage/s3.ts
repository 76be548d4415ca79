import { createReadStream } from 'node:fs';
import { readFile, stat as statFile } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import type { S3Client } from '@aws-sdk/client-s3';
import { compareBytes } from '../order.js';
import { s3Client, s3Sdk } from './config.js';
import { isNotFound, isPreconditionFailed, s3Error } from './s3-errors.js';
import { AlreadyExists, type ObjectInfo, type ObjectStore, type WriteOptions } from './types.js';

/** Files up to this size go up in one PUT; bigger ones as a multipart upload of this part size. */
const PART_BYTES = 16 * 1024 * 1024;
/** What a read hands on at a time: the HTTP stream's 16–64 KiB chunks gathered to about 1 MiB. */
const CHUNK = 1 << 20;

const unquote = (etag: string | undefined) => etag?.replace(/^"|"$/g, '');

/** One bucket. Every failure is a one-line ThresherError naming the s3:// URL. */
export class S3Store implements ObjectStore {
  constructor(
    readonly bucket: string,
    /** default: the shared client of the pipeline's S3 settings, made on first use */
    private readonly given?: S3Client,
  ) {}

  /** The SDK is loaded on first use: runs that never touch S3 do not pay its ~300 ms of module loading. */
  private async sdk() {
    const sdk = await s3Sdk();
    return { ...sdk, client: this.given ?? (await s3Client()) };
  }

  url(key: string): string {
    return `s3://${this.bucket}/${key}`;
  }

  async list(prefix: string): Promise<ObjectInfo[]> {
    const out: ObjectInfo[] = [];
    let token: string | undefined;
    do {
      let page;
      try {
        const { client, ListObjectsV2Command } = await this.sdk();
        page = await client.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, ContinuationToken: token }));
      } catch (err) {
        throw this.failure(prefix, err);
      }
      for (const o of page.Contents ?? []) {
        if (o.Key === undefined) continue;
        out.push({ key: o.Key, bytes: o.Size ?? 0, mtimeMs: o.LastModified?.getTime() ?? 0, etag: unquote(o.ETag) });
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return out.sort((a, b) => compareBytes(a.key, b.key));
  }

  async stat(key: string): Promise<ObjectInfo | undefined> {
    try {
      const { client, HeadObjectCommand } = await this.sdk();
      const h = await client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return { key, bytes: h.ContentLength ?? 0, mtimeMs: h.LastModified?.getTime() ?? 0, etag: unquote(h.ETag), metadata: h.Metadata ?? {} };
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw this.failure(key, err);
    }
  }

  async *read(key: string, range?: { start: number; end?: number }): AsyncGenerator<Buffer> {
    const start = range?.start ?? 0;
    const end = range?.end;
    if (end !== undefined && end <= start) return;
    const header = start > 0 || end !== undefined ? `bytes=${start}-${end !== undefined ? end - 1 : ''}` : undefined;
    let body: Readable;
    try {
      const { client, GetObjectCommand } = await this.sdk();
      const r = await client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key, Range: header }));
      body = r.Body as Readable;
    } catch (err) {
      throw this.failure(key, err);
    }
    let parts: Buffer[] = [];
    let held = 0;
    try {
      for await (const c of body as AsyncIterable<Buffer>) {
        parts.push(c);
        held += c.length;
        if (held >= CHUNK) {
          yield parts.length === 1 ? parts[0] : Buffer.concat(parts, held);
          parts = [];
          held = 0;
        }
      }
    } catch (err) {
      throw this.failure(key, err);
    } finally {
      body.destroy();
    }
    if (held > 0) yield parts.length === 1 ? parts[0] : Buffer.concat(parts, held);
  }

  async upload(file: string, key: string, options: WriteOptions = {}): Promise<void> {
    const { size } = await statFile(file);
    if (size <= PART_BYTES || options.ifNoneMatch) {
      // One PUT: atomic, and the only form whose If-None-Match every S3-compatible store knows.
      // From memory: a stream body makes the SDK send aws-chunked encoding, which some
      // S3-compatible stores (s3rver) store verbatim.
      await this.putObject(key, await readFile(file), size, options);
      return;
    }
    try {
      const { client, Upload } = await this.sdk();
      await new Upload({ client, partSize: PART_BYTES, queueSize: 4, params: { Bucket: this.bucket, Key: key, Body: createReadStream(file), Metadata: options.metadata } }).done();
    } catch (err) {
      throw this.failure(key, err);
    }
  }

  async put(key: string, body: string | Uint8Array, options: WriteOptions = {}): Promise<void> {
    const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
    await this.putObject(key, bytes, bytes.byteLength, options);
  }

  private async putObject(key: string, body: Uint8Array, length: number, options: WriteOptions): Promise<void> {
    try {
      const { client, PutObjectCommand } = await this.sdk();
      await client.send(new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body, ContentLength: length, Metadata: options.metadata, ...(options.ifNoneMatch ? { IfNoneMatch: '*' } : {}) }));
    } catch (err) {
      if (options.ifNoneMatch && isPreconditionFailed(err)) throw new AlreadyExists(this.url(key));
      throw this.failure(key, err);
    }
  }

  /** A missing bucket is named as the bucket, whatever key was asked for. */
  private failure(key: string, err: unknown): Error {
    return s3Error((err as { name?: string })?.name === 'NoSuchBucket' ? this.url('') : this.url(key), err);
  }

  async remove(key: string): Promise<void> {
    try {
      const { client, DeleteObjectCommand } = await this.sdk();
      await client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
    } catch (err) {
      throw this.failure(key, err);
    }
  }
}
