import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync, writevSync } from 'node:fs';
import path from 'node:path';
import { ensureDir, tempNameFor } from '../core/fs.js';

/**
 * A WebDataset shard: a plain POSIX ustar archive, written by hand (one 512-byte header per
 * member, the data padded to 512, two zero blocks at the end). Every header field that could
 * vary between runs is fixed (mtime 0, uid/gid 0, mode 0644, no user names), so the same
 * members in the same order give the same bytes: a resumed run's shards are byte-identical.
 * Written to a hidden temporary name and renamed when closed: a shard is whole or absent.
 */
const BLOCK = 512;
const ZEROS = Buffer.alloc(BLOCK * 2);

function octal(header: Buffer, at: number, width: number, value: number): void {
  header.write(value.toString(8).padStart(width - 1, '0') + '\0', at, width, 'ascii');
}

/** The ustar header of a regular file `name` (at most 100 bytes) of `size` bytes. */
export function ustarHeader(name: string, size: number): Buffer {
  const header = Buffer.alloc(BLOCK);
  if (Buffer.byteLength(name) > 100) throw new Error(`tar member name over 100 bytes: ${name}`);
  header.write(name, 0, 100, 'utf8');
  octal(header, 100, 8, 0o644);
  octal(header, 108, 8, 0);
  octal(header, 116, 8, 0);
  octal(header, 124, 12, size);
  octal(header, 136, 12, 0);
  header.fill(0x20, 148, 156); // checksum counted as spaces
  header.write('0', 156, 1, 'ascii');
  header.write('ustar\0' + '00', 257, 8, 'ascii');
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += header[i];
  header.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 8, 'ascii');
  return header;
}

export class TarShardWriter {
  private readonly tmp: string;
  private fd: number;
  bytes = 0;
  members = 0;

  constructor(readonly finalPath: string) {
    ensureDir(path.dirname(finalPath));
    this.tmp = tempNameFor(finalPath);
    this.fd = openSync(this.tmp, 'w');
  }

  /** Header, data and padding in one system call (writev): three small writes per member cost more than the copy. */
  add(name: string, data: Uint8Array): void {
    const pad = (BLOCK - (data.byteLength % BLOCK)) % BLOCK;
    const parts = pad ? [ustarHeader(name, data.byteLength), data, ZEROS.subarray(0, pad)] : [ustarHeader(name, data.byteLength), data];
    const total = BLOCK + data.byteLength + pad;
    const wrote = writevSync(this.fd, parts);
    if (wrote < total) this.writeRest(parts, wrote);
    this.bytes += total;
    this.members++;
  }

  /** What a short writev left (rare: a signal, a full pipe), written part by part. */
  private writeRest(parts: Uint8Array[], skip: number): void {
    for (const part of parts) {
      if (skip >= part.byteLength) {
        skip -= part.byteLength;
        continue;
      }
      for (let off = skip; off < part.byteLength;) off += writeSync(this.fd, part, off);
      skip = 0;
    }
  }

  /** End blocks, flush to disk, publish under the final name. */
  close(): void {
    this.write(ZEROS);
    fsyncSync(this.fd);
    closeSync(this.fd);
    this.fd = -1;
    renameSync(this.tmp, this.finalPath);
  }

  abort(): void {
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
    rmSync(this.tmp, { force: true });
  }

  private write(data: Uint8Array): void {
    for (let off = 0; off < data.byteLength;) off += writeSync(this.fd, data, off);
    this.bytes += data.byteLength;
  }
}
