/**
 * How the generic secret rules (no provider rule loaded) read random tokens of made-up formats,
 * each alone in a string literal as a provider's token sits in code: a prefix style (none, a
 * lower- or upper-case word with a separator, glued without one, several dotted parts, a webhook
 * URL) × a body alphabet (hex, base36 in either case, base62, base64url, letters only) × a
 * length. The formats are drawn from how providers shape their tokens (a short name, then a
 * random body), not copied from any one provider. Prints the share found per format family;
 * `-v` prints the misses. Not a test: a tool for finding general weaknesses, with the precision
 * check done on node_modules/ (`npm run accuracy -- secrets`).
 *
 *   node dist/bench/secrets-shapes.js [family,family...] [-v]
 */
import { SecretDetector } from '../src/secrets/detect.js';
import { percent, seeded, tally, type Tally } from './made-up.js';

const { rand, draw } = seeded(0x5ec7e7);

const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const UPPER = LOWER.toUpperCase();
const DIGITS = '0123456789';
const BODIES: Record<string, string> = {
  hex: DIGITS + 'abcdef',
  base36: DIGITS + LOWER,
  BASE36: DIGITS + UPPER,
  base62: DIGITS + LOWER + UPPER,
  base64url: DIGITS + LOWER + UPPER + '-_',
  letters: LOWER + UPPER,
  'url-safe~': DIGITS + LOWER + UPPER + '-_.~',
  base64: DIGITS + LOWER + UPPER + '+/',
};
const LENGTHS = [16, 20, 24, 32, 40, 48, 64];
/** Padding as base64 ends a body whose length is not a multiple of four. */
const pad = (bodyName: string, b: string): string => (bodyName === 'base64' && b.length % 4 !== 0 ? b + '='.repeat(4 - (b.length % 4)) : b);

/** A short lower-case provider name: a consonant-vowel syllable or two and a letter (`dop`, `sntr`, `pscale`). */
const word = (): string => {
  const c = 'bcdfghklmnprstvwxz';
  const v = 'aeiou';
  let w = '';
  for (let i = 0, n = 1 + rand(2); i < n; i++) w += c[rand(c.length)] + v[rand(v.length)];
  return w + c[rand(c.length)];
};

const FAMILIES: Record<string, (body: string, alphabet: string) => string> = {
  word_: (b) => `${word()}_${b}`,
  'word-': (b) => `${word()}-${b}`,
  word_kind_: (b) => `${word()}_${['live', 'test', 'pat', 'api', 'sk'][rand(5)]}_${b}`,
  'WORD-': (b) => `${word().toUpperCase()}-${b}`,
  WORD_: (b) => `${word().toUpperCase()}_${b}`,
  'word.': (b) => `${word()}.${b}`,
  'word~': (b) => `${word()}${rand(10)}Q~${b}`,
  wordglued: (b) => `${word()}${b}`,
  WORDglued: (b) =>
    `${word()
      .toUpperCase()
      .slice(0, 2 + rand(3))}${b}`,
  bare: (b) => b,
  'w.p1.p2': (b) => `${word()}${rand(10)}.${b.slice(0, Math.ceil(b.length / 3))}.${b.slice(Math.ceil(b.length / 3))}`,
  'p1.wordv1.p2': (b) => `${b.slice(0, 14)}.${word()}v1.${b.slice(14)}`,
  suffix: (b) => `${b}_${word()}`,
  // the shapes below widen the first fifteen: more ways providers build a token around its random body
  word_crc: (b) => `${word()}_${b}_${draw(DIGITS + LOWER + UPPER, 6)}`,
  'w.w.': (b) => `${word().slice(0, 2)}.${word().slice(0, 2)}.${b}`,
  'l.': (b) => `${LOWER[rand(26)]}.${b}`,
  'WORD_KIND-': (b) => `${word().toUpperCase()}${['SEC', 'PUB', 'SK'][rand(3)]}K_${['TEST', 'LIVE'][rand(2)]}-${b}`,
  'WORD-p1-p2': (b) => `${word().toUpperCase()}-${b.slice(0, Math.floor(b.length / 2))}-${b.slice(Math.floor(b.length / 2))}`,
  'word-k-p1-p2': (b) => `${word()}-${LOWER[rand(26)]}${rand(10)}${word().slice(0, 2)}-${b.slice(0, Math.floor(b.length / 2))}-${b.slice(Math.floor(b.length / 2))}`,
  'p-8-8': (b, a) => `${b}-${draw(a, 8)}-${draw(a, 8)}`,
  WORD9glued: (b) => `${word().toUpperCase().slice(0, 2)}${draw(DIGITS, 4 + rand(4))}${b}`,
  'hook-url': (b) => `https://hooks.${word()}.com/services/${b}`,
  'webhook-url': (b) => `https://api.${word()}.io/webhooks/${rand(1e9)}/${b}`,
};

function main(): void {
  const args = process.argv.slice(2);
  const verbose = args.includes('-v');
  const only = args.find((a) => !a.startsWith('-'))?.split(',');
  const generic = new SecretDetector([]);
  const perFamily = new Map<string, Tally>();
  const perBody = new Map<string, Tally>();
  for (const [family, make] of Object.entries(FAMILIES)) {
    if (only && !only.includes(family)) continue;
    for (const [bodyName, alphabet] of Object.entries(BODIES)) {
      for (const length of LENGTHS) {
        for (let i = 0; i < 10; i++) {
          const token = make(pad(bodyName, draw(alphabet, length)), alphabet);
          const hit = generic.find(JSON.stringify(token)).length > 0;
          for (const [map, key] of [
            [perFamily, family],
            [perBody, `${family} ${bodyName}`],
          ] as const) {
            tally(map, key, hit, token);
          }
        }
      }
    }
  }
  const pct = percent;
  let all = 0;
  let found = 0;
  for (const [family, t] of perFamily) {
    all += t.total;
    found += t.found;
    const bodies = [...perBody].filter(([k]) => k.startsWith(`${family} `)).map(([k, b]) => `${k.slice(family.length + 1)} ${pct(b).trim()}`);
    console.log(`${family.padEnd(14)} ${pct(t)}  ${bodies.join(', ')}`);
    if (verbose) for (const m of t.misses.slice(0, 40)) console.log(`    miss ${m}`);
  }
  console.log(`all            ${((100 * found) / all).toFixed(1)}% of ${all}`);
}

main();
