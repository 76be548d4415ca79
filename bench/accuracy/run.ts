/**
 * `npm run accuracy`: every evaluation in this folder (each module exports `evaluate()`),
 * run in name order; the results go to bench/results/accuracy.json, and the held-out failures
 * to bench/results/held-out/accuracy.json (see _held-out.ts). An evaluation whose data
 * is missing (no ../shared/) returns `{ skipped: reason }` instead of failing.
 */
import { readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { writeFileAtomic } from '../../src/core/fs.js';
import { splitHeldOut } from './_held-out.js';

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
  // a partial run (`npm run accuracy -- license`) does not overwrite the full results
  const file = only.length ? `accuracy.${only.join('-')}.json` : 'accuracy.json';
  const resultsDir = path.join(repo, 'bench', 'results');
  const heldOutPath = path.join(resultsDir, 'held-out', file);
  const doc = { date: new Date().toISOString(), machine: { node: process.version, cores: os.availableParallelism() }, ...results };
  const { visible, heldOut, moved } = splitHeldOut(doc, path.relative(repo, heldOutPath));
  writeFileAtomic(path.join(resultsDir, file), JSON.stringify(visible, null, 1) + '\n');
  writeFileAtomic(heldOutPath, JSON.stringify({ date: doc.date, ...heldOut }, null, 1) + '\n');
  // stdout shows the visible part only: a terminal is where held-out contents would leak
  process.stdout.write(JSON.stringify(visible, null, 1) + '\n');
  process.stderr.write(`${moved} held-out failure entries written to ${path.relative(repo, heldOutPath)} (not printed)\n`);
}

await main();
