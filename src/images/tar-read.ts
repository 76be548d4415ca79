/**
 * Reading members of a WebDataset shard (a ustar archive as images/tar.ts writes it) by name,
 * without reading the whole file: one pass over the 512-byte headers builds an index of
 * offsets, then each member is one positional read.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

const BLOCK = 512;

export interface TarMember {
  offset: number;
  size: number;
}

function field(header: Buffer, at: number, width: number): string {
  const end = header.indexOf(0, at);
  return header.toString('utf8', at, end >= 0 && end < at + width ? end : at + width);
}

export class TarReader {
  private fd: number;
  readonly members = new Map<string, TarMember>();

  constructor(readonly file: string) {
    this.fd = openSync(file, 'r');
    try {
      this.index();
    } catch (err) {
      closeSync(this.fd);
      throw err;
    }
  }

  private index(): void {
    const size = fstatSync(this.fd).size;
    const header = Buffer.alloc(BLOCK);
    for (let at = 0; at + BLOCK <= size;) {
      if (readSync(this.fd, header, 0, BLOCK, at) < BLOCK) break;
      if (header.every((b) => b === 0)) break; // the end blocks
      const name = (header.toString('ascii', 257, 262) === 'ustar' && header[345] !== 0 ? field(header, 345, 155) + '/' : '') + field(header, 0, 100);
      const bytes = parseInt(field(header, 124, 12).trim() || '0', 8);
      if (!Number.isFinite(bytes) || at + BLOCK + bytes > size) throw new Error(`${this.file}: tar member ${JSON.stringify(name)} at byte ${at} runs past the end`);
      const type = String.fromCharCode(header[156]);
      if (type === '0' || type === '\0') this.members.set(name, { offset: at + BLOCK, size: bytes });
      at += BLOCK + Math.ceil(bytes / BLOCK) * BLOCK;
    }
  }

  /** The bytes of member `name`, or undefined when the shard has none. */
  read(name: string): Buffer | undefined {
    const m = this.members.get(name);
    if (!m) return undefined;
    const out = Buffer.alloc(m.size);
    for (let got = 0; got < m.size;) {
      const n = readSync(this.fd, out, got, m.size - got, m.offset + got);
      if (n === 0) throw new Error(`${this.file}: member ${name} is cut short`);
      got += n;
    }
    return out;
  }

  close(): void {
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
  }
}
