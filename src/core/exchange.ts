import { appendFileSync, closeSync, existsSync, openSync, readSync, renameSync, statSync } from 'node:fs';
import path from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { ensureDir, listFilesSorted, removeIfExists } from './fs.js';

/**
 * How global stages move data between ranks (map → reduce, reduce → reduce, reduce → apply).
 * Producer `p` writes one file per destination into `<root>/from-<p>.partial/`, then one rename
 * publishes `<root>/from-<p>/`. A consumer reads only published folders, so a producer killed
 * halfway is invisible, and a retried producer starts from nothing. Two kinds of file: lines
 * of text (`ExchangeWriter`, `readExchange`) and fixed-width records of float64 numbers
 * (`RecordExchangeWriter`, `readExchangeRecords`) for bulk numeric data such as hash keys and
 * graph edges. Readers stream: memory is one read buffer, whatever the file sizes.
 */
class ExchangeFolder {
  readonly dir: string;
  readonly partial: string;

  constructor(root: string, producer: number) {
    this.dir = path.join(root, `from-${producer}`);
    this.partial = `${this.dir}.partial`;
    removeIfExists(this.dir);
    removeIfExists(this.partial); // appended halves of a killed earlier attempt
    ensureDir(this.partial);
  }

  publish(): void {
    removeIfExists(this.dir);
    renameSync(this.partial, this.dir);
  }
}

export class ExchangeWriter {
  private readonly folder: ExchangeFolder;
  private readonly pending: string[][];
  private held = 0;

  constructor(
    root: string,
    producer: number,
    destinations: number,
    private readonly flushEvery = 20_000,
  ) {
    this.folder = new ExchangeFolder(root, producer);
    this.pending = Array.from({ length: destinations }, () => []);
  }

  push(destination: number, line: string): void {
    this.pending[destination].push(line);
    if (++this.held >= this.flushEvery) this.flush();
  }

  private flush(): void {
    this.pending.forEach((lines, d) => {
      if (lines.length) appendFileSync(path.join(this.folder.partial, `to-${d}.jsonl`), lines.join('\n') + '\n');
      lines.length = 0;
    });
    this.held = 0;
  }

  /** Flush and publish: after this the destinations see every line, before it none. */
  publish(): void {
    this.flush();
    this.folder.publish();
  }
}

/** Every line addressed to `destination`, producer by producer in rank order. */
export function* readExchange(root: string, destination: number): Generator<string> {
  for (const file of exchangeFiles(root, destination, 'jsonl')) yield* readLines(file);
}

/** The non-empty lines of a UTF-8 file, read in chunks (memory: one chunk, whatever the file size). */
export function* readLines(file: string): Generator<string> {
  const decoder = new StringDecoder('utf8');
  let rest = '';
  for (const bytes of readChunks(file, 1 << 20)) {
    const lines = (rest + decoder.write(bytes)).split('\n');
    rest = lines.pop()!;
    for (const line of lines) if (line) yield line;
  }
  rest += decoder.end();
  if (rest) yield rest;
}

/**
 * Fixed-width numeric records: each `push` appends `width` float64 values (integers below 2^53
 * are exact) for one destination. Buffers hold at most `flushBytes` in all before they go to
 * disk, so a producer's memory does not grow with what it sends.
 */
export class RecordExchangeWriter {
  private readonly folder: ExchangeFolder;
  private readonly buffers: Float64Array[];
  private readonly fill: Int32Array;
  private readonly perBuffer: number;

  constructor(
    root: string,
    producer: number,
    destinations: number,
    readonly width: number,
    flushBytes = 8 << 20,
  ) {
    this.folder = new ExchangeFolder(root, producer);
    // each destination's buffer holds whole records; together about flushBytes
    this.perBuffer = Math.max(1, Math.floor(flushBytes / 8 / width / Math.max(1, destinations))) * width;
    this.buffers = Array.from({ length: destinations }, () => new Float64Array(0));
    this.fill = new Int32Array(destinations);
  }

  /** Append one record (its first `width` values) for `destination`. */
  push(destination: number, record: ArrayLike<number>): void {
    let buf = this.buffers[destination];
    let at = this.fill[destination];
    if (at + this.width > buf.length) {
      if (buf.length < this.perBuffer) buf = this.grow(destination);
      else {
        this.flushOne(destination);
        at = 0;
      }
    }
    for (let k = 0; k < this.width; k++) buf[at + k] = record[k];
    this.fill[destination] = at + this.width;
  }

  /** Two-value records (the common case: key and node, or an edge) without an array. */
  push2(destination: number, a: number, b: number): void {
    let buf = this.buffers[destination];
    let at = this.fill[destination];
    if (at + 2 > buf.length) {
      if (buf.length < this.perBuffer) buf = this.grow(destination);
      else {
        this.flushOne(destination);
        at = 0;
      }
    }
    buf[at] = a;
    buf[at + 1] = b;
    this.fill[destination] = at + 2;
  }

  private grow(destination: number): Float64Array {
    const old = this.buffers[destination];
    const next = new Float64Array(Math.min(this.perBuffer, Math.max(this.width * 64, old.length * 2)));
    next.set(old.subarray(0, this.fill[destination]));
    this.buffers[destination] = next;
    return next;
  }

  private flushOne(d: number): void {
    const n = this.fill[d];
    if (n === 0) return;
    const buf = this.buffers[d];
    appendFileSync(path.join(this.folder.partial, `to-${d}.f64`), new Uint8Array(buf.buffer, buf.byteOffset, n * 8));
    this.fill[d] = 0;
  }

  /** Flush and publish: after this the destinations see every record, before it none. */
  publish(): void {
    for (let d = 0; d < this.buffers.length; d++) this.flushOne(d);
    this.folder.publish();
  }
}

/**
 * Every record addressed to `destination`, producer by producer in rank order, as chunks of
 * whole records (a chunk is valid until the next one is asked for).
 */
export function* readExchangeRecords(root: string, destination: number, width: number, chunkRecords = 1 << 16): Generator<Float64Array> {
  const bytes = chunkRecords * width * 8;
  for (const file of exchangeFiles(root, destination, 'f64')) {
    for (const chunk of readChunks(file, bytes, width * 8)) yield new Float64Array(chunk.buffer, chunk.byteOffset, chunk.byteLength / 8);
  }
}

/** Bytes addressed to `destination` in all: what a consumer plans its memory by. */
export function exchangeBytes(root: string, destination: number): number {
  let n = 0;
  for (const file of [...exchangeFiles(root, destination, 'jsonl'), ...exchangeFiles(root, destination, 'f64')]) n += statSync(file).size;
  return n;
}

function exchangeFiles(root: string, destination: number, ext: string): string[] {
  const producers = listFilesSorted(root, (n) => /^from-\d+$/.test(n)).sort((a, b) => rankOf(a) - rankOf(b));
  return producers.map((from) => path.join(from, `to-${destination}.${ext}`)).filter((file) => existsSync(file)); // a producer may send nothing here
}

/** A file in chunks of at most `size` bytes, each a multiple of `multiple` (an aligned, reused buffer). */
export function* readChunks(file: string, size: number, multiple = 1): Generator<Uint8Array> {
  const want = Math.max(multiple, size - (size % multiple));
  const buf = new Uint8Array(new ArrayBuffer(want));
  const fd = openSync(file, 'r');
  try {
    let have = 0;
    for (;;) {
      const n = readSync(fd, buf, have, want - have, null);
      have += n;
      if (n === 0 || have === want) {
        const whole = have - (have % multiple);
        if (whole > 0) yield buf.subarray(0, whole);
        if (n === 0) {
          if (have !== whole) throw new Error(`${file}: ${have - whole} trailing bytes are not a whole record`);
          return;
        }
        buf.copyWithin(0, whole, have);
        have -= whole;
      }
    }
  } finally {
    closeSync(fd);
  }
}

function rankOf(dir: string): number {
  return Number(path.basename(dir).slice('from-'.length));
}
