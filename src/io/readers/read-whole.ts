import { readSync } from 'node:fs';
import type { EncodedStringsBuilder } from '../../core/encoded-strings.js';

/** A file's bytes, and whether they were read straight into the builder's spare space. */
export interface WholeFile {
  bytes: Buffer;
  inPlace: boolean;
  /** Where the head read with `sniff` holds a NUL byte: `bytes` is only that head then. */
  nulAt?: number;
}

/**
 * Reads what fstat promised (`size` bytes) from `fd`; a file growing meanwhile is read up to
 * `max` + 1 bytes, so the caller can tell it is too large. With `into`, the bytes go straight
 * into the builder's spare space (the caller commits them as a row or leaves them), unless the
 * file grew past that space, when they are read into a buffer of their own.
 *
 * The first read asks for one byte more than `size`: a regular file that returns fewer bytes
 * than asked has reached its end, so the usual file costs one read call and no copy (asking
 * for exactly `size` needs a second call to see the end, and filled the buffer, which forced
 * the growth path and a copy of every file).
 */
export function readWhole(fd: number, size: number, max: number, into?: EncodedStringsBuilder, sniff = 0): WholeFile {
  let cap = Math.min(size, max) + 1;
  let buf = into ? into.spare(cap) : Buffer.allocUnsafe(cap);
  let base = into ? into.tail : 0;
  let inPlace = into !== undefined;
  let got = 0;
  if (sniff > 0 && size > 2 * sniff) {
    // A binary file is known by a NUL in its head: the rest of it is never read.
    got = readSync(fd, buf, base, sniff, 0);
    const nulAt = buf.subarray(base, base + got).indexOf(0);
    if (nulAt >= 0) return { bytes: buf.subarray(base, base + got), inPlace, nulAt };
  }
  for (;;) {
    if (got === cap) {
      if (cap > max) break;
      cap = Math.min(max + 1, cap * 2);
      const bigger = Buffer.allocUnsafe(cap);
      buf.copy(bigger, 0, base, base + got);
      buf = bigger;
      base = 0;
      inPlace = false;
    }
    const asked = cap - got;
    const n = readSync(fd, buf, base + got, asked, got);
    got += n;
    if (n === 0 || (n < asked && got === size)) break;
  }
  return { bytes: buf.subarray(base, base + got), inPlace };
}
