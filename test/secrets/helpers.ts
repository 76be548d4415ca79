/** What the secrets tests share: the generic detector and deterministic random strings. */
import { SecretDetector } from '../../src/secrets/detect.js';

/** The generic rules alone: a provider rule would decide some cases by itself. */
export const generic = new SecretDetector([]);

/** The values the generic rules flag in `text`. */
export const flagged = (text: string): string[] => generic.find(text).map((s) => text.slice(s.start, s.end));

/** Deterministic random strings over an alphabet (a linear congruential generator from `seed`). */
export function randomStrings(alphabet: string, length: number, count: number, seed: number): string[] {
  let x = seed;
  const next = () => ((x = (Math.imul(x, 1664525) + 1013904223) >>> 0) >>> 8) % alphabet.length;
  return Array.from({ length: count }, () => Array.from({ length }, () => alphabet[next()]).join(''));
}

/** The share of `xs` that pass `test`. */
export const share = (xs: string[], test: (x: string) => boolean): number => xs.filter(test).length / xs.length;

export const LOWER = 'abcdefghijklmnopqrstuvwxyz';
export const BASE62 = '0123456789' + LOWER + LOWER.toUpperCase();
export const HEX = '0123456789abcdef';
