import { createHash } from 'node:crypto';

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
  return `swh:1:cnt:${createHash('sha1').update(`blob ${Buffer.byteLength(text, 'utf8')}\0${text}`, 'utf8').digest('hex')}`;
}

export function sha256Hex(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}
