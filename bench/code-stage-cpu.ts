/**
 * CPU time of chosen code stages alone over node_modules, best of several passes, for profiling
 * one stage (`node --cpu-prof dist/bench/code-stage-cpu.js secrets 3`). Set-up is timed apart.
 *
 *   node dist/bench/code-stage-cpu.js <stage[,stage...]> [passes] [dir]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { allRows } from '../src/core/batch.js';
import type { StageEnv } from '../src/core/stage.js';
import { benchmarkItemsOf, codeStages, copyOf, prepare, readBatches } from './code-stages.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

const [names = '', passArg = '3', dir = path.join(repo, 'node_modules')] = process.argv.slice(2);
const scratch = mkdtempSync(path.join(os.tmpdir(), 'thresher-stage-cpu-'));
try {
  const { batches, files, bytes } = await readBatches(dir);
  const env: StageEnv = { contentColumn: 'content', baseDir: scratch };
  const stages = codeStages(scratch, 'ms', benchmarkItemsOf(batches)).filter((s) => names.split(',').includes(s.name));
  for (const run of stages) {
    const times: number[] = [];
    let setup = Infinity;
    for (let pass = 0; pass < Number(passArg); pass++) {
      const copies = batches.map(copyOf);
      const c0 = cpuMs();
      const ready = await prepare(run, env, copies, scratch);
      const c1 = cpuMs();
      for (const b of copies) await ready!.processor(b, allRows(b.length), () => {});
      times.push(cpuMs() - c1);
      setup = Math.min(setup, c1 - c0);
    }
    const best = Math.min(...times);
    const line = `${run.name}: set-up ${setup.toFixed(0)} ms (best), process ${times.map((t) => t.toFixed(0)).join('/')} ms, best ${((files * 1000) / best).toFixed(0)} files/s ${(bytes / 1e3 / best).toFixed(1)} MB/s`;
    process.stdout.write(line + ` (load ${os.loadavg()[0].toFixed(1)})\n`);
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
