import { hammingHex } from './phash.js';

/**
 * Near-duplicate images by pHash: two images are near duplicates when their 64-bit hashes
 * differ in at most `threshold` bits. Candidates come from the pigeonhole principle: cut the
 * 64 bits into threshold + 1 disjoint bands; two hashes within `threshold` bits agree exactly
 * on at least one band. So grouping by (band, band bits) finds every pair, with no miss, and
 * the exact Hamming distance then drops the false candidates.
 */

/** [start, end) bit ranges of `threshold + 1` bands as even as can be. */
export function bandRanges(threshold: number): [number, number][] {
  const n = threshold + 1;
  const out: [number, number][] = [];
  for (let b = 0; b < n; b++) out.push([Math.floor((b * 64) / n), Math.floor(((b + 1) * 64) / n)]);
  return out;
}

/** Each band of a 16-hex-digit hash as `<band>:<bits>`: the keys two near duplicates share at least one of. */
export function bandKeys(hex: string, ranges: readonly [number, number][]): string[] {
  const bits = BigInt(`0x${hex}`).toString(2).padStart(64, '0');
  return ranges.map(([a, b], i) => `${i}:${bits.slice(a, b)}`);
}

/** Pairs (i, j), i < j, among `hashes` within `threshold` bits: the members of one band bucket. */
export function* closePairs(hashes: readonly string[], threshold: number): Generator<[number, number]> {
  for (let i = 0; i < hashes.length; i++) for (let j = i + 1; j < hashes.length; j++) if (hammingHex(hashes[i], hashes[j]) <= threshold) yield [i, j];
}

/** Union-find over string nodes: connected components of the near-duplicate pairs. */
export class Components {
  private readonly parent = new Map<string, string>();

  find(x: string): string {
    let root = x;
    for (let p = this.parent.get(root); p !== undefined && p !== root; p = this.parent.get(root)) root = p;
    if (!this.parent.has(x)) this.parent.set(x, x);
    for (let y = x; y !== root;) {
      const next = this.parent.get(y)!;
      this.parent.set(y, root); // path compression
      y = next;
    }
    return root;
  }

  union(a: string, b: string): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra !== rb) this.parent.set(ra < rb ? rb : ra, ra < rb ? ra : rb); // smaller root wins: the same forest whatever the edge order
  }

  nodes(): IterableIterator<string> {
    return this.parent.keys();
  }
}
