/**
 * The MinHash inner loop: for every permutation i, the minimum over a document's distinct
 * shingle hashes h of (a_i·h + b_i) mod p, with p a prime below 2^32 (2^32 − 5, as The Stack v2)
 * or below 2^16. This is where signatures spend their time (num_perm × distinct shingles), so
 * it runs as a small WebAssembly function with 128-bit SIMD, assembled below by hand, with the
 * same arithmetic in plain JavaScript as the fallback (and the reference the tests compare).
 *
 * Exact arithmetic in float64. Split h = h1·2^16 + h0 (h1, h0 < 2^16) and precompute
 * A_i = a_i·2^16 mod p. Then T = A_i·h1 + a_i·h0 + b_i ≡ a_i·h + b_i (mod p), an exact integer
 * below 2^50. With T = q·p + r, (T + ½)/p = q + (r + ½)/p lies at least ½/p ≈ 1.2e-10 from an
 * integer, while the float product (T + ½)·fl(1/p) is off by at most (q + 1)·2^-52 ≤ 2^-34 ≈
 * 5.8e-11; so floor((T + ½)·fl(1/p)) is exactly q, and T + ½ − q·p is exactly r + ½. The minimum
 * of that is the minimum of (a_i·h + b_i) mod p, plus ½. Nine float operations per permutation
 * and shingle, two permutations per SIMD instruction; checked against BigInt in test/dedup.
 */

/** f64x2 vectors per block: independent chains for the out-of-order core (2, four permutations a block, measured fastest of 1, 2, 4, 6). */
const VECTORS = 2;
const LANES = 2 * VECTORS; // permutations per block

/** The part of the WebAssembly API used here (TypeScript declares it only with the DOM library). */
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
  Memory: new (descriptor: { initial: number }) => WasmMemory;
}
const wasm = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;

/** What a block keeps in memory: for each vector, A, a and b + ½ of its two permutations. */
const BLOCK_F64 = 6 * VECTORS;

export interface Permutations {
  /** a_i in [1, p) */
  a: Float64Array;
  /** b_i in [0, p) */
  b: Float64Array;
  prime: number;
}

/** Computes minima over the permutations for one document's distinct shingle hashes at a time. */
export interface MinHashKernel {
  /** The distinct hashes go here before `run` (`reserve` first); valid until the next reserve. */
  reserve(count: number): Float64Array;
  /** Signature of the `count` hashes set through `reserve` into `out` (length ≥ number of permutations). */
  run(count: number, out: Uint32Array): void;
  readonly simd: boolean;
}

/** A SIMD kernel where WebAssembly SIMD runs, else the plain JavaScript one; `simd: false` forces the latter. */
export function createKernel(perm: Permutations, options: { simd?: boolean } = {}): MinHashKernel {
  if (options.simd !== false) {
    const module = simdModule();
    if (module) return new WasmKernel(perm, module);
  }
  return new ScalarKernel(perm);
}

/** A_i = a_i·2^16 mod p, exactly (a_i·2^16 < 2^48). */
function shifted(a: number, prime: number): number {
  return (a * 65536) % prime;
}

/** The hash pairs (h1, h0) as the kernels read them: interleaved, two float64 per hash. */
export function splitHashes(hashes: ArrayLike<number>, count: number, into: Float64Array): void {
  for (let j = 0; j < count; j++) {
    const h = hashes[j];
    into[2 * j] = h >>> 16;
    into[2 * j + 1] = h & 0xffff;
  }
}

class ScalarKernel implements MinHashKernel {
  readonly simd = false;
  private pairs = new Float64Array(2048);
  private readonly A: Float64Array;
  private readonly bHalf: Float64Array;

  constructor(private readonly perm: Permutations) {
    this.A = perm.a.map((a) => shifted(a, perm.prime));
    this.bHalf = perm.b.map((b) => b + 0.5);
  }

  reserve(count: number): Float64Array {
    if (this.pairs.length < 2 * count) this.pairs = new Float64Array(2 * count * 1.5);
    return this.pairs;
  }

  run(count: number, out: Uint32Array): void {
    const { a } = this.perm;
    const p = this.perm.prime;
    const invP = 1 / p;
    const pairs = this.pairs;
    for (let i = 0; i < a.length; i++) {
      const A = this.A[i];
      const ai = a[i];
      const B = this.bHalf[i];
      let min = Infinity;
      for (let j = 0; j < 2 * count; j += 2) {
        const t = A * pairs[j] + ai * pairs[j + 1] + B;
        const r = t - Math.floor(t * invP) * p;
        if (r < min) min = r;
      }
      out[i] = min - 0.5;
    }
  }
}

class WasmKernel implements MinHashKernel {
  readonly simd = true;
  private readonly memory: WasmMemory;
  private readonly fn: (consts: number, pairs: number, count: number, sig: number, blocks: number, prime: number, invPrime: number) => void;
  private readonly blocks: number;
  private readonly sigAt: number;
  private readonly pairsAt: number;
  private readonly numPerm: number;
  private readonly prime: number;

  constructor(perm: Permutations, module: object) {
    this.numPerm = perm.a.length;
    this.prime = perm.prime;
    this.blocks = Math.ceil(this.numPerm / LANES);
    this.sigAt = this.blocks * BLOCK_F64 * 8;
    this.pairsAt = this.sigAt + this.blocks * LANES * 8;
    this.memory = new wasm!.Memory({ initial: Math.ceil((this.pairsAt + 2048 * 16) / 65536) });
    const instance = new wasm!.Instance(module, { m: { mem: this.memory } });
    this.fn = instance.exports.minhash as WasmKernel['fn'];
    const consts = new Float64Array(this.memory.buffer, 0, this.blocks * BLOCK_F64);
    for (let k = 0; k < this.blocks * LANES; k++) {
      const i = Math.min(k, this.numPerm - 1); // padding lanes repeat the last permutation
      const at = Math.floor(k / LANES) * BLOCK_F64 + Math.floor((k % LANES) / 2) * 6 + (k % 2);
      consts[at] = shifted(perm.a[i], perm.prime);
      consts[at + 2] = perm.a[i];
      consts[at + 4] = perm.b[i] + 0.5;
    }
  }

  reserve(count: number): Float64Array {
    const need = this.pairsAt + count * 16;
    const have = this.memory.buffer.byteLength;
    if (need > have) this.memory.grow(Math.ceil((need - have) / 65536));
    return new Float64Array(this.memory.buffer, this.pairsAt, count * 2);
  }

  run(count: number, out: Uint32Array): void {
    this.fn(0, this.pairsAt, count, this.sigAt, this.blocks, this.prime, 1 / this.prime);
    const sig = new Float64Array(this.memory.buffer, this.sigAt, this.numPerm);
    for (let i = 0; i < this.numPerm; i++) out[i] = sig[i] - 0.5;
  }
}

let compiled: object | null | undefined;

/** The kernel's module, or null where WebAssembly SIMD does not validate. */
function simdModule(): object | null {
  if (compiled !== undefined) return compiled;
  if (!wasm) return (compiled = null);
  try {
    const bytes = assembleKernel();
    compiled = wasm.validate(bytes) ? new wasm.Module(bytes) : null;
  } catch {
    compiled = null;
  }
  return compiled;
}

// ---- a minimal WebAssembly assembler: just what the kernel below needs ----

const uleb = (n: number): number[] => {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n) byte |= 0x80;
    out.push(byte);
  } while (n);
  return out;
};
const name = (s: string): number[] => [...uleb(s.length), ...Buffer.from(s, 'utf8')];
const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];
const vector = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];
const f64const = (x: number): number[] => [0x44, ...new Uint8Array(new Float64Array([x]).buffer)];

const I32 = 0x7f;
const F64 = 0x7c;
const V128 = 0x7b;
/** Plain opcodes. */
const op = { block: 0x02, loop: 0x03, br: 0x0c, brIf: 0x0d, end: 0x0b, get: 0x20, set: 0x21, i32const: 0x41, i32add: 0x6a, i32shl: 0x74, i32geU: 0x4f };
/** SIMD opcodes (prefix 0xfd, then the LEB128 sub-opcode). */
const simd = (sub: number, ...immediates: number[]): number[] => [0xfd, ...uleb(sub), ...immediates];
const v128load = (offset: number) => simd(0x00, 4, ...uleb(offset));
const v128store = (offset: number) => simd(0x0b, 4, ...uleb(offset));
const load64splat = (offset: number) => simd(0x0a, 3, ...uleb(offset));
const f64x2 = { splat: simd(0x14), floor: simd(0x75), add: simd(0xf0), sub: simd(0xf1), mul: simd(0xf2), pmin: simd(0xf6) };
const get = (i: number) => [op.get, ...uleb(i)];
const set = (i: number) => [op.set, ...uleb(i)];
/** i32.const takes a signed LEB128: 96 is [0xe0, 0x00], not [0x60] (which reads as −32). */
const sleb = (n: number): number[] => {
  const out: number[] = [];
  for (;;) {
    const byte = n & 0x7f;
    n >>= 7;
    if ((n === 0 && !(byte & 0x40)) || (n === -1 && byte & 0x40)) return [...out, byte];
    out.push(byte | 0x80);
  }
};
const i32const = (n: number) => [op.i32const, ...sleb(n)];

/** Locals of `minhash`: the 7 parameters, then 3 i32, 5 shared v128, and A, a, B, m per vector. */
const L = { consts: 0, pairs: 1, count: 2, sig: 3, blocks: 4, prime: 5, invPrime: 6, end: 7, j: 8, done: 9, P: 10, I: 11, x1: 12, x0: 13, t: 14 };
const vectorLocal = (v: number, which: 0 | 1 | 2 | 3) => 15 + 4 * v + which; // A, a, B, m

/** T = A·h1 + a·h0 + (b + ½) for one vector of two permutations, into local t. */
function computeT(A: number, a: number, B: number): number[] {
  return [...get(A), ...get(L.x1), ...f64x2.mul, ...get(a), ...get(L.x0), ...f64x2.mul, ...f64x2.add, ...get(B), ...f64x2.add, ...set(L.t)];
}

/** r = t − floor(t·(1/p))·p, then m = pmin(r, m). */
function reduceMin(m: number): number[] {
  return [...get(L.t), ...get(L.t), ...get(L.I), ...f64x2.mul, ...f64x2.floor, ...get(L.P), ...f64x2.mul, ...f64x2.sub, ...get(m), ...f64x2.pmin, ...set(m)];
}

/**
 * minhash(consts, pairs, count, sig, blocks, p, 1/p): for each block of permutations, the
 * minimum over `count` (h1, h0) pairs of T − floor(T/p)·p with T = A·h1 + a·h0 + (b + ½).
 */
function kernelBody(): number[] {
  const vectors = Array.from({ length: VECTORS }, (_, v) => v);
  const loadConsts = vectors.flatMap((v) => [0, 1, 2].flatMap((c) => [...get(L.consts), ...v128load((3 * v + c) * 16), ...set(vectorLocal(v, c as 0 | 1 | 2))]));
  const resetMinima = vectors.flatMap((v) => [...f64const(Infinity), ...f64x2.splat, ...set(vectorLocal(v, 3))]);
  const perShingle = vectors.flatMap((v) => [...computeT(vectorLocal(v, 0), vectorLocal(v, 1), vectorLocal(v, 2)), ...reduceMin(vectorLocal(v, 3))]);
  const storeMinima = vectors.flatMap((v) => [...get(L.sig), ...get(vectorLocal(v, 3)), ...v128store(16 * v)]);
  const blockStart = [op.block, 0x40, op.loop, 0x40];
  const loopEnd = [op.br, 0, op.end, op.end];
  // One line per step: prettier would put every opcode on its own line.
  // prettier-ignore
  return [
    get(L.prime), f64x2.splat, set(L.P),                                // P = splat(p)
    get(L.invPrime), f64x2.splat, set(L.I),                             // I = splat(1/p)
    get(L.pairs), get(L.count), i32const(4), [op.i32shl, op.i32add], set(L.end), // end = pairs + 16·count
    blockStart,                                                         // for each block of permutations:
    get(L.done), get(L.blocks), [op.i32geU, op.brIf, 1],                //   done ≥ blocks → exit
    loadConsts, resetMinima,                                            //   A, a, B of the block; m = +∞
    get(L.pairs), set(L.j),                                             //   j = pairs
    blockStart,                                                         //   for each shingle:
    get(L.j), get(L.end), [op.i32geU, op.brIf, 1],                      //     j ≥ end → exit
    get(L.j), load64splat(0), set(L.x1),                                //     x1 = splat(h1)
    get(L.j), load64splat(8), set(L.x0),                                //     x0 = splat(h0)
    perShingle,                                                         //     m = pmin(m, T mod p + ½)
    get(L.j), i32const(16), [op.i32add], set(L.j),                      //     j += 16
    loopEnd,
    storeMinima,                                                        //   sig[block] = m
    get(L.sig), i32const(16 * VECTORS), [op.i32add], set(L.sig),
    get(L.consts), i32const(BLOCK_F64 * 8), [op.i32add], set(L.consts),
    get(L.done), i32const(1), [op.i32add], set(L.done),
    loopEnd,
    [op.end],
  ].flat();
}

/** The module: imports memory `m.mem`, exports `minhash`. */
export function assembleKernel(): Uint8Array {
  const params = [I32, I32, I32, I32, I32, F64, F64];
  const locals = vector([
    [...uleb(3), I32],
    [...uleb(5 + 4 * VECTORS), V128],
  ]);
  const code = [...locals, ...kernelBody()];
  const bytes = [
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, vector([[0x60, ...vector(params.map((t) => [t])), 0x00]])),
    ...section(2, vector([[...name('m'), ...name('mem'), 0x02, 0x00, ...uleb(1)]])),
    ...section(3, vector([[0x00]])),
    ...section(7, vector([[...name('minhash'), 0x00, 0x00]])),
    ...section(10, vector([[...uleb(code.length), ...code]])),
  ];
  return new Uint8Array(bytes);
}
