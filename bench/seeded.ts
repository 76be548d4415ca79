/** xorshift32 for the made-up cases of the secrets benches: one seed, the same cases every run. */
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
