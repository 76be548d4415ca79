import { isUtf8 } from 'node:buffer';
import { createReadStream } from 'node:fs';
import { pipeline, Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { Decompress } from 'fzstd';
import { readS3Object } from './storage/s3-inputs.js';
import { isS3Url } from './storage/url.js';

export type Compression = 'none' | 'gzip' | 'zstd';

export function compressionOf(file: string): Compression {
  const f = file.toLowerCase();
  if (f.endsWith('.gz') || f.endsWith('.gzip')) return 'gzip';
  if (f.endsWith('.zst') || f.endsWith('.zstd')) return 'zstd';
  return 'none';
}

const CHUNK = 1 << 20;

/** The raw bytes of a local file or an `s3://` object from `start` to `end` (exclusive). */
function rawBytes(absPath: string, start = 0, end?: number): Readable {
  if (isS3Url(absPath)) return Readable.from(readS3Object(absPath, start, end), { objectMode: false });
  return createReadStream(absPath, { start, end: end === undefined ? undefined : end - 1, highWaterMark: CHUNK });
}

/** Thrown (wrapped) when the compressed stream ends early or is damaged. */
export class StreamDamage extends Error {
  constructor(
    readonly kind: 'truncated' | 'corrupt',
    message: string,
  ) {
    super(message);
    this.name = 'StreamDamage';
  }
}

function classifyGzip(err: NodeJS.ErrnoException): Error {
  if (err.code === 'Z_BUF_ERROR') return new StreamDamage('truncated', `truncated gzip stream (${err.message})`);
  if (typeof err.code === 'string' && err.code.startsWith('Z_')) return new StreamDamage('corrupt', `corrupt gzip stream (${err.message})`);
  return err;
}

/**
 * The decompressed bytes of a file, streamed (bounded memory). `start` (uncompressed files
 * only) begins at that byte offset. Damage in a compressed stream surfaces as a StreamDamage
 * after every byte before it was delivered.
 */
export async function* openBytes(absPath: string, compression: Compression, start = 0): AsyncGenerator<Buffer> {
  if (compression === 'none') {
    yield* rawBytes(absPath, start) as AsyncIterable<Buffer>;
    return;
  }
  if (start !== 0) throw new Error('byte offsets are only supported for uncompressed files');
  if (compression === 'gzip') {
    const src = rawBytes(absPath);
    const gz = createGunzip({ chunkSize: CHUNK });
    pipeline(src, gz, () => {
      /* errors surface through the iteration below */
    });
    try {
      for await (const c of gz as AsyncIterable<Buffer>) yield c;
    } catch (err) {
      throw classifyGzip(err as NodeJS.ErrnoException);
    }
    return;
  }
  let out: Uint8Array[] = [];
  const dec = new Decompress((data) => {
    out.push(data);
  });
  const push = (chunk: Uint8Array, final: boolean) => {
    try {
      dec.push(chunk, final);
    } catch (err) {
      const code = (err as { code?: unknown }).code;
      if (code === 5) throw new StreamDamage('truncated', `truncated zstd stream (${(err as Error).message})`);
      if (typeof code === 'number') throw new StreamDamage('corrupt', `corrupt zstd stream (${(err as Error).message})`);
      throw err;
    }
  };
  for await (const c of rawBytes(absPath) as AsyncIterable<Buffer>) {
    push(c, false);
    const ready = out;
    out = [];
    for (const d of ready) yield Buffer.from(d.buffer, d.byteOffset, d.byteLength);
  }
  push(new Uint8Array(0), true);
  for (const d of out) yield Buffer.from(d.buffer, d.byteOffset, d.byteLength);
}

/** One line without its `\n`; `bytes` is null when the line was longer than the limit. */
export interface Line {
  bytes: Buffer | null;
  /** length in bytes, without the newline */
  length: number;
  /** whether a `\n` ended it (false only for a last line without one) */
  newline: boolean;
}

/**
 * Split a byte stream into lines, one array per chunk read (a line that spans chunks comes
 * with the chunk that ends it): a consumer pays one await per megabyte, not per line. A line
 * longer than `maxLineBytes` is not kept in memory: it is skipped up to its newline and
 * reported with `bytes: null`.
 */
export async function* splitLineBatches(chunks: AsyncIterable<Buffer>, maxLineBytes: number): AsyncGenerator<Line[]> {
  let parts: Buffer[] = [];
  let partLen = 0;
  let overflow = false;
  for await (const chunk of chunks) {
    const out: Line[] = [];
    let pos = 0;
    while (pos < chunk.length) {
      const nl = chunk.indexOf(10, pos);
      const end = nl < 0 ? chunk.length : nl;
      const piece = end - pos;
      if (!overflow && partLen + piece > maxLineBytes) {
        overflow = true;
        parts = [];
      }
      if (!overflow && piece > 0) parts.push(chunk.subarray(pos, end));
      partLen += piece;
      if (nl < 0) break;
      let bytes: Buffer | null = null;
      if (!overflow) bytes = parts.length === 1 ? parts[0] : Buffer.concat(parts, partLen);
      out.push({ bytes, length: partLen, newline: true });
      parts = [];
      partLen = 0;
      overflow = false;
      pos = nl + 1;
    }
    // a line continuing into the next chunk must not alias a buffer the stream may reuse
    if (parts.length > 0 && parts[parts.length - 1].buffer === chunk.buffer) {
      parts[parts.length - 1] = Buffer.from(parts[parts.length - 1]);
    }
    if (out.length > 0) yield out;
  }
  if (partLen > 0 || parts.length > 0) {
    yield [{ bytes: overflow ? null : Buffer.concat(parts, partLen), length: partLen, newline: false }];
  }
}

/**
 * The text of each line, decoded as strict UTF-8: a string, `null` for a line that is not
 * valid UTF-8, `undefined` for one over the length limit (bytes null). Lines that lie
 * back to back in one buffer (most of a chunk) are decoded in one call and split at their
 * newlines: one decode per line costs a third of reading JSONL. UTF-8 never holds a 0x0A
 * byte inside a character, so the split lines are exactly the byte lines.
 */
export function decodeLines(lines: readonly Line[], decoder: { decode(bytes: Uint8Array): string }): (string | null | undefined)[] {
  const out = new Array<string | null | undefined>(lines.length);
  let i = 0;
  while (i < lines.length) {
    const first = lines[i].bytes;
    if (!first) {
      out[i++] = undefined;
      continue;
    }
    let j = i + 1;
    let end = first.byteOffset + first.length;
    for (; j < lines.length; j++) {
      const b = lines[j].bytes;
      if (!b || b.buffer !== first.buffer || b.byteOffset !== end + 1) break;
      end = b.byteOffset + b.length;
    }
    let joined: string | undefined;
    try {
      joined = decoder.decode(new Uint8Array(first.buffer, first.byteOffset, end - first.byteOffset));
    } catch {
      joined = undefined; // some line of the run is bad: find it line by line
    }
    if (joined === undefined) {
      for (let k = i; k < j; k++) {
        try {
          out[k] = decoder.decode(lines[k].bytes!);
        } catch {
          out[k] = null;
        }
      }
    } else {
      let pos = 0;
      for (let k = i; k < j; k++) {
        const nl = k === j - 1 ? joined.length : joined.indexOf('\n', pos);
        out[k] = joined.slice(pos, nl);
        pos = nl + 1;
      }
    }
    i = j;
  }
  return out;
}

/** Lines one at a time (see splitLineBatches). */
export async function* splitLines(chunks: AsyncIterable<Buffer>, maxLineBytes: number): AsyncGenerator<Line> {
  for await (const lines of splitLineBatches(chunks, maxLineBytes)) yield* lines;
}

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/**
 * The lines of a stream read from byte 0 of a (decompressed) file, a leading UTF-8 BOM
 * dropped from the first line's bytes: it marks the encoding, it is not data. `length` keeps
 * the BOM, so byte offsets (and the rows of split slices) stay those of the file.
 */
/** The first line of the first batch without a leading UTF-8 BOM. */
export async function* withoutBomBatches(batches: AsyncIterable<Line[]>): AsyncGenerator<Line[]> {
  let first = true;
  for await (const lines of batches) {
    const line = lines[0];
    if (first && line?.bytes?.subarray(0, 3).equals(BOM)) lines[0] = { ...line, bytes: line.bytes.subarray(3) };
    first = false;
    yield lines;
  }
}

export async function* withoutBom(lines: AsyncIterable<Line>): AsyncGenerator<Line> {
  let first = true;
  for await (const line of lines) {
    if (first && line.bytes?.subarray(0, 3).equals(BOM)) yield { ...line, bytes: line.bytes.subarray(3) };
    else yield line;
    first = false;
  }
}

/** Number of `\n` bytes in [0, end) of a file, streamed. */
export async function countNewlines(absPath: string, end: number): Promise<number> {
  if (end <= 0) return 0;
  let n = 0;
  for await (const c of rawBytes(absPath, 0, end) as AsyncIterable<Buffer>) {
    let i = c.indexOf(10);
    while (i >= 0) {
      n++;
      i = c.indexOf(10, i + 1);
    }
  }
  return n;
}

/**
 * 1 for each line that is valid UTF-8, 0 for one that is not or has no bytes. Lines back to
 * back in one buffer are checked in one call (buffer.isUtf8), and line by line only when
 * that run holds a bad one.
 */
export function utf8Lines(lines: readonly Line[]): Uint8Array {
  const out = new Uint8Array(lines.length);
  let i = 0;
  while (i < lines.length) {
    const first = lines[i].bytes;
    if (!first) {
      i++;
      continue;
    }
    let j = i + 1;
    let end = first.byteOffset + first.length;
    for (; j < lines.length; j++) {
      const b = lines[j].bytes;
      if (!b || b.buffer !== first.buffer || b.byteOffset !== end + 1) break;
      end = b.byteOffset + b.length;
    }
    if (isUtf8(new Uint8Array(first.buffer, first.byteOffset, end - first.byteOffset))) out.fill(1, i, j);
    else for (let k = i; k < j; k++) out[k] = isUtf8(lines[k].bytes!) ? 1 : 0;
    i = j;
  }
  return out;
}
