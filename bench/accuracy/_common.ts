/** Helpers the accuracy evaluations share: where ../shared/ is, the tuning / held-out split, scores. */
import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const SHARED = path.resolve(repo, '..', 'shared');
export const hasShared = statSync(SHARED, { throwIfNoEntry: false })?.isDirectory() ?? false;
export const sharedPath = (...parts: string[]): string => path.join(SHARED, ...parts);
export const REPO_ROOT = repo;

/** The deterministic split: a case is held out when the first byte of sha1("thresher-split:" + key) is odd. */
export function isHeldOut(key: string): boolean {
  return (createHash('sha1').update(`thresher-split:${key}`).digest()[0] & 1) === 1;
}

export interface Counts {
  tp: number;
  fp: number;
  fn: number;
  tn: number;
}

export const emptyCounts = (): Counts => ({ tp: 0, fp: 0, fn: 0, tn: 0 });

export function add(c: Counts, predicted: boolean, actual: boolean): void {
  if (predicted && actual) c.tp++;
  else if (predicted) c.fp++;
  else if (actual) c.fn++;
  else c.tn++;
}

const pct = (n: number, d: number): number | null => (d === 0 ? null : Number(((100 * n) / d).toFixed(1)));

export function score(c: Counts): Record<string, number | null> {
  return { recall: pct(c.tp, c.tp + c.fn), precision: pct(c.tp, c.tp + c.fp), ...c };
}
