/** What the secrets benches of made-up cases share: a seeded generator and their tallies. */

/** xorshift32: one seed, the same cases every run. */
export function seeded(seed: number): { rand: (n: number) => number; draw: (alphabet: string, n: number) => string } {
  let s = seed;
  const rand = (n: number): number => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) % n;
  };
  const draw = (alphabet: string, n: number): string => Array.from({ length: n }, () => alphabet[rand(alphabet.length)]).join('');
  return { rand, draw };
}

/** Cases found out of those tried, with the misses to print. */
export interface Tally {
  found: number;
  total: number;
  misses: string[];
}

export function tally(map: Map<string, Tally>, key: string, hit: boolean, sample: string): void {
  const t = map.get(key) ?? { found: 0, total: 0, misses: [] };
  t.total++;
  if (hit) t.found++;
  else t.misses.push(sample);
  map.set(key, t);
}

/** The share found, as a right-aligned whole percentage. */
export const percent = (t: Tally): string => `${((100 * t.found) / t.total).toFixed(0)}%`.padStart(5);
