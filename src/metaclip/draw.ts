/**
 * Deterministic uniform draws for balancing: the draw for (seed, record id, stream) is a pure
 * function of those three values, so which records are kept does not depend on sharding,
 * worker count or processing order, and a rerun gives the same result.
 *
 * Definition (all arithmetic on unsigned 64-bit integers, mod 2^64; reproducible in any
 * language with 64-bit integers):
 *
 *   mix(x)  = SplitMix64 finalizer: x ^= x >> 30; x *= 0xbf58476d1ce4e5b9;
 *             x ^= x >> 27; x *= 0x94d049bb133111eb; x ^= x >> 31
 *   h       = FNV-1a 64 of the UTF-8 bytes of the record id (lone surrogates as U+FFFD)
 *   key     = mix(h ^ mix(seed))                      -- once per record
 *   u(s)    = (mix(key + (s + 1) * 0x9e3779b97f4a7c15) >> 11) / 2^53     in [0, 1)
 *
 * Stream s is the entry id for MetaCLIP 1 per-entry draws; `CHOICE_STREAM` and
 * `KEEP_STREAM` (above any entry id) are the MetaCLIP 2 text choice and keep draws.
 * JavaScript has no fast 64-bit integers, so values are kept as two 32-bit halves.
 */

/** A record's 64-bit draw key as two unsigned 32-bit halves. */
export interface DrawKey {
  hi: number;
  lo: number;
}

export const CHOICE_STREAM = 2 ** 32;
export const KEEP_STREAM = 2 ** 32 + 1;

// Results of the 64-bit helpers (avoids allocating a pair per operation).
let rHi = 0;
let rLo = 0;

/** High 32 bits of the 64-bit product of two unsigned 32-bit numbers. */
function mulHi32(a: number, b: number): number {
  const a0 = a & 0xffff;
  const a1 = a >>> 16;
  const b0 = b & 0xffff;
  const b1 = b >>> 16;
  const t = a0 * b0;
  const m1 = a1 * b0 + (t >>> 16);
  const m2 = a0 * b1 + (m1 & 0xffff);
  return (a1 * b1 + Math.floor(m1 / 65536) + Math.floor(m2 / 65536)) >>> 0;
}

/** (aHi,aLo) * (bHi,bLo) mod 2^64 into rHi, rLo. */
function mul64(aHi: number, aLo: number, bHi: number, bLo: number): void {
  rHi = (mulHi32(aLo, bLo) + Math.imul(aLo, bHi) + Math.imul(aHi, bLo)) >>> 0;
  rLo = Math.imul(aLo, bLo) >>> 0;
}

/** SplitMix64 finalizer into rHi, rLo. */
function mix64(hi: number, lo: number): void {
  // x ^= x >> 30
  lo = (lo ^ ((lo >>> 30) | (hi << 2))) >>> 0;
  hi = (hi ^ (hi >>> 30)) >>> 0;
  mul64(hi, lo, 0xbf58476d, 0x1ce4e5b9);
  hi = rHi;
  lo = rLo;
  // x ^= x >> 27
  lo = (lo ^ ((lo >>> 27) | (hi << 5))) >>> 0;
  hi = (hi ^ (hi >>> 27)) >>> 0;
  mul64(hi, lo, 0x94d049bb, 0x133111eb);
  hi = rHi;
  lo = rLo;
  // x ^= x >> 31
  rLo = (lo ^ ((lo >>> 31) | (hi << 1))) >>> 0;
  rHi = (hi ^ (hi >>> 31)) >>> 0;
}

/** FNV-1a 64 step for one byte (prime 2^40 + 0x1b3) on (h1, h0), into rHi, rLo. */
let fHi = 0;
let fLo = 0;
function fnvByte(byte: number): void {
  const lo = (fLo ^ byte) >>> 0;
  const pLo = lo * 0x1b3; // < 2^41: exact in a double
  const carry = Math.floor(pLo / 4294967296);
  fLo = pLo >>> 0;
  fHi = (fHi * 0x1b3 + carry + ((lo << 8) >>> 0)) >>> 0;
}

/** FNV-1a 64 of the UTF-8 encoding of `s`, into fHi, fLo. */
function fnv1a64Utf8(s: string): void {
  fHi = 0xcbf29ce4;
  fLo = 0x84222325;
  for (let i = 0; i < s.length; i++) {
    let cp = s.charCodeAt(i);
    if (cp < 0x80) {
      fnvByte(cp);
      continue;
    }
    if (cp >= 0xd800 && cp <= 0xdfff) {
      const next = i + 1 < s.length ? s.charCodeAt(i + 1) : 0;
      if (cp <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        cp = ((cp - 0xd800) << 10) + (next - 0xdc00) + 0x10000;
        i++;
      } else {
        cp = 0xfffd;
      }
    }
    if (cp < 0x800) {
      fnvByte(0xc0 | (cp >> 6));
      fnvByte(0x80 | (cp & 0x3f));
    } else if (cp < 0x10000) {
      fnvByte(0xe0 | (cp >> 12));
      fnvByte(0x80 | ((cp >> 6) & 0x3f));
      fnvByte(0x80 | (cp & 0x3f));
    } else {
      fnvByte(0xf0 | (cp >> 18));
      fnvByte(0x80 | ((cp >> 12) & 0x3f));
      fnvByte(0x80 | ((cp >> 6) & 0x3f));
      fnvByte(0x80 | (cp & 0x3f));
    }
  }
}

function splitU64(n: number, what: string): [number, number] {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`${what} must be a non-negative safe integer, got ${n}`);
  return [Math.floor(n / 4294967296) >>> 0, n >>> 0];
}

/** FNV-1a 64 of the UTF-8 bytes of `s` as a BigInt (for tests and tools). */
export function fnv1a64(s: string): bigint {
  fnv1a64Utf8(s);
  return (BigInt(fHi) << 32n) | BigInt(fLo);
}

/** The per-record key; compute once per record, then draw any number of streams. */
let seedMixed = { seed: -1, hi: 0, lo: 0 };

export function drawKey(seed: number, recordId: string): DrawKey {
  if (seedMixed.seed !== seed) {
    const [sHi, sLo] = splitU64(seed, 'seed');
    mix64(sHi, sLo);
    seedMixed = { seed, hi: rHi, lo: rLo };
  }
  const mHi = seedMixed.hi;
  const mLo = seedMixed.lo;
  fnv1a64Utf8(recordId);
  mix64((fHi ^ mHi) >>> 0, (fLo ^ mLo) >>> 0);
  return { hi: rHi, lo: rLo };
}

/** Uniform in [0, 1) for stream `stream` (an entry id, or CHOICE_STREAM / KEEP_STREAM). */
export function uniform(key: DrawKey, stream: number): number {
  const [s1Hi, s1Lo] = splitU64(stream + 1, 'stream + 1');
  mul64(s1Hi, s1Lo, 0x9e3779b9, 0x7f4a7c15);
  const lo = key.lo + rLo;
  const carry = lo > 0xffffffff ? 1 : 0;
  mix64((key.hi + rHi + carry) >>> 0, lo >>> 0);
  // top 53 bits: 32 from hi, 21 from lo
  return (rHi * 2097152 + (rLo >>> 11)) / 9007199254740992;
}

/** Same as `uniform` for a small integer stream (an entry id < 2^32), without range checks. */
export function uniformForEntry(key: DrawKey, entry: number): number {
  const s = (entry + 1) >>> 0;
  const carryIn = entry + 1 > 0xffffffff ? 1 : 0;
  mul64(carryIn, s, 0x9e3779b9, 0x7f4a7c15);
  const lo = key.lo + rLo;
  const carry = lo > 0xffffffff ? 1 : 0;
  mix64((key.hi + rHi + carry) >>> 0, lo >>> 0);
  return (rHi * 2097152 + (rLo >>> 11)) / 9007199254740992;
}
