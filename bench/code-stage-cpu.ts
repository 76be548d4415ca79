/**
 * CPU time of code stages over node_modules, best of several passes, for profiling one stage
 * (`node --cpu-prof dist/bench/code-stage-cpu.js secrets 3`) or the chain as the demo runs it
 * (`chain`: each stage sees only the files the earlier ones kept). Set-up is timed apart.
 *
 *   node dist/bench/code-stage-cpu.js <stage[,stage...]|chain> [passes] [dir]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { allRows, type RecordBatch } from '../src/core/batch.js';
import type { StageEnv } from '../src/core/stage.js';
import { benchmarkItemsOf, codeStages, copyOf, prepare, readBatches, type StageRun } from './code-stages.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

interface Timing {
  setup: number;
  process: number;
  files: number;
  bytes: number;
}

/** One pass of `stages` over copies of `batches`; in a chain, excluded rows skip the later stages. */
async function pass(stages: StageRun[], batches: RecordBatch[], env: StageEnv, scratch: string, chained: boolean): Promise<Map<string, Timing>> {
  const out = new Map<string, Timing>();
  let copies = batches.map(copyOf);
  let alive = copies.map((b) => allRows(b.length));
  for (const run of stages) {
    if (!chained) {
      copies = batches.map(copyOf);
      alive = copies.map((b) => allRows(b.length));
    }
    const files = alive.reduce((n, a) => n + a.length, 0);
    let bytes = 0;
    copies.forEach((b, k) => alive[k].forEach((r) => (bytes += String(b.column('content')?.[r] ?? '').length)));
    const c0 = cpuMs();
    const ready = await prepare(run, env, copies, scratch);
    const c1 = cpuMs();
    for (const [k, b] of copies.entries()) {
      const gone = new Set<number>();
      await ready!.processor(b, alive[k], (row) => gone.add(row));
      if (gone.size) alive[k] = alive[k].filter((r) => !gone.has(r));
    }
    out.set(run.name, { setup: c1 - c0, process: cpuMs() - c1, files, bytes });
  }
  return out;
}

const [names = '', passArg = '3', dir = path.join(repo, 'node_modules')] = process.argv.slice(2);
const scratch = mkdtempSync(path.join(os.tmpdir(), 'thresher-stage-cpu-'));
try {
  const { batches } = await readBatches(dir);
  const env: StageEnv = { contentColumn: 'content', baseDir: scratch };
  const all = codeStages(scratch, 'ms', benchmarkItemsOf(batches));
  const chained = names === 'chain';
  const stages = chained ? all : all.filter((s) => names.split(',').includes(s.name));
  const passes: Map<string, Timing>[] = [];
  for (let p = 0; p < Number(passArg); p++) passes.push(await pass(stages, batches, env, scratch, chained));
  let total = 0;
  for (const run of stages) {
    const t = passes.map((m) => m.get(run.name)!);
    const best = Math.min(...t.map((x) => x.setup + x.process));
    total += best;
    const each = t.map((x) => `${x.setup.toFixed(0)}+${x.process.toFixed(0)}`).join(' ');
    process.stdout.write(`${run.name}: ${t[0].files} files ${(t[0].bytes / 1e6).toFixed(1)} M chars; set-up+process ms ${each}; best ${best.toFixed(0)} ms\n`);
  }
  const files = batches.reduce((n, b) => n + b.length, 0);
  process.stdout.write(`sum of bests ${total.toFixed(0)} ms = ${((files * 1000) / total).toFixed(0)} files/s (load ${os.loadavg()[0].toFixed(1)})\n`);
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
