/**
 * `npm run accuracy`: every evaluation in this folder (each module exports `evaluate()`),
 * run in name order; the results go to bench/results/accuracy.json. An evaluation whose data
 * is missing (no ../shared/) returns `{ skipped: reason }` instead of failing.
 */
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..', '..', '..');

export interface Evaluation {
  evaluate(): Promise<Record<string, unknown>>;
}

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  const names = readdirSync(here)
    .filter((f) => f.endsWith('.js') && f !== 'run.js' && !f.startsWith('_'))
    .map((f) => f.slice(0, -3))
    .filter((n) => only.length === 0 || only.includes(n))
    .sort();
  const results: Record<string, unknown> = {};
  for (const name of names) {
    process.stderr.write(`accuracy ${name}…\n`);
    const mod = (await import(pathToFileURL(path.join(here, `${name}.js`)).href)) as Partial<Evaluation>;
    if (typeof mod.evaluate !== 'function') continue; // a helper module of the evaluations
    const t0 = performance.now();
    results[name] = { ...(await mod.evaluate()), seconds: Number(((performance.now() - t0) / 1000).toFixed(2)) };
  }
  const out = path.join(repo, 'bench', 'results', 'accuracy.json');
  mkdirSync(path.dirname(out), { recursive: true });
  const doc = { date: new Date().toISOString(), machine: { node: process.version, cores: os.availableParallelism() }, ...results };
  // a partial run (`npm run accuracy -- license`) does not overwrite the full results
  writeFileSync(only.length ? out.replace(/\.json$/, `.${only.join('-')}.json`) : out, JSON.stringify(doc, null, 1) + '\n');
  process.stdout.write(JSON.stringify(doc, null, 1) + '\n');
}

await main();
