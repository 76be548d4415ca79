import { closeSync, existsSync, openSync, readFileSync, readSync, renameSync, writeSync } from 'node:fs';
import path from 'node:path';
import { ensureDir, listFilesSorted, writeFileAtomic } from '../../core/fs.js';

/** Entry counts travel between tasks as little-endian uint32 arrays, one file per rank. */
export function writeCounts(file: string, counts: Uint32Array): void {
  writeFileAtomic(file, new Uint8Array(counts.buffer, counts.byteOffset, counts.byteLength));
}

export function readCounts(file: string): Uint32Array {
  const bytes = readFileSync(file);
  const out = new Uint32Array(bytes.byteLength / 4);
  new Uint8Array(out.buffer).set(bytes);
  return out;
}

/** Sum every `counts-*.u32` file in `dir` into one array as long as the longest. */
export function sumCounts(dir: string, minLength = 0): Uint32Array {
  const parts = listFilesSorted(dir, (n) => n.startsWith('counts-') && n.endsWith('.u32')).map(readCounts);
  const total = new Uint32Array(Math.max(minLength, ...parts.map((p) => p.length), 0));
  for (const p of parts) for (let i = 0; i < p.length; i++) total[i] += p[i];
  return total;
}

/** A growable count array: ids beyond the current length grow it (metadata size unknown here). */
export class CountArray {
  counts = new Uint32Array(1024);

  add(ids: ArrayLike<number>): void {
    for (let i = 0; i < ids.length; i++) {
      const e = ids[i];
      if (e >= this.counts.length) {
        let n = this.counts.length;
        while (n <= e) n *= 2;
        const grown = new Uint32Array(n);
        grown.set(this.counts);
        this.counts = grown;
      }
      this.counts[e]++;
    }
  }
}

/**
 * Match lists of one rank, streamed to disk as int32 runs `[n, id_1 .. id_n]`, for the exact
 * text-level expected size (choosing t from a target output size). Written through a temp
 * name; read back in passes.
 */
export class MatchListWriter {
  private readonly tmp: string;
  private readonly fd: number;
  private buf = new Int32Array(1 << 16);
  private used = 0;

  constructor(private readonly file: string) {
    ensureDir(path.dirname(file));
    this.tmp = `${file}.partial`;
    this.fd = openSync(this.tmp, 'w');
  }

  add(ids: ArrayLike<number>): void {
    if (this.used + ids.length + 1 > this.buf.length) this.flush();
    if (ids.length + 1 > this.buf.length) this.buf = new Int32Array(ids.length + 1);
    this.buf[this.used++] = ids.length;
    for (let i = 0; i < ids.length; i++) this.buf[this.used++] = ids[i];
  }

  private flush(): void {
    if (this.used) writeSync(this.fd, new Uint8Array(this.buf.buffer, 0, this.used * 4));
    this.used = 0;
  }

  async close(): Promise<void> {
    this.flush();
    closeSync(this.fd);
    renameSync(this.tmp, this.file);
  }
}

/** Calls `fn` with each match list of every `matches-*.i32` file in `dir` (a view: copy to keep). */
export function forEachMatchList(dir: string, fn: (ids: Int32Array) => void): void {
  if (!existsSync(dir)) return;
  for (const file of listFilesSorted(dir, (n) => n.startsWith('matches-') && n.endsWith('.i32'))) {
    const fd = openSync(file, 'r');
    try {
      let buf = new Int32Array(1 << 18);
      let have = 0; // ints in buf
      let pos = 0; // next unread int
      for (;;) {
        // move the unread tail to the front, then fill the rest
        buf.copyWithin(0, pos, have);
        have -= pos;
        pos = 0;
        const got = readSync(fd, new Uint8Array(buf.buffer, have * 4, (buf.length - have) * 4));
        have += got / 4;
        while (pos < have) {
          const n = buf[pos];
          if (pos + 1 + n > have) break;
          fn(buf.subarray(pos + 1, pos + 1 + n));
          pos += 1 + n;
        }
        if (got === 0) break;
        if (pos === 0 && have === buf.length) {
          const bigger = new Int32Array(buf.length * 2);
          bigger.set(buf);
          buf = bigger;
        }
      }
    } finally {
      closeSync(fd);
    }
  }
}
