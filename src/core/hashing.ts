import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { xxh3 } from '@node-rs/xxhash';

/**
 * How a record's `content_id` is made. `swh`: the Software Heritage id (git blob sha1), for
 * code and anything traced to a git host; `xxh3`: XXH3-128 of the UTF-8 bytes, about 3x
 * cheaper, for dedup keys of text pools; `none`: no column at all.
 */
export type ContentIdMode = 'swh' | 'xxh3' | 'none';

export function xxh3ContentId(bytes: Uint8Array | string): string {
  return `xxh3:${xxh3.xxh128(bytes).toString(16).padStart(32, '0')}`;
}

/** The content id of a text in the given mode (not `none`). */
export function contentIdOfText(text: string, mode: Exclude<ContentIdMode, 'none'>): string {
  return mode === 'swh' ? swhContentIdOfText(text) : xxh3ContentId(text);
}

/**
 * Software Heritage content id: the git blob id, sha1 over "blob <len>\0" + bytes.
 * Same value as `git hash-object`, so a record can be traced to any git host or SWH archive.
 */
export function swhContentId(bytes: Uint8Array): string {
  const h = createHash('sha1');
  h.update(`blob ${bytes.byteLength}\0`);
  h.update(bytes);
  return `swh:1:cnt:${h.digest('hex')}`;
}

/** Same id for a text's UTF-8 bytes, without copying the text into a buffer first (hot path). */
export function swhContentIdOfText(text: string): string {
  return `swh:1:cnt:${createHash('sha1')
    .update(`blob ${Buffer.byteLength(text, 'utf8')}\0${text}`, 'utf8')
    .digest('hex')}`;
}

export function sha256Hex(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** sha256 (hex) of a file, streamed in 1 MiB reads. */
export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
