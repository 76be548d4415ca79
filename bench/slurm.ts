/**
 * `npm run bench -- slurm`: what running through Slurm costs over the local executor, per step,
 * on a small demo-like pipeline (directory reader, language, file_filter, dedup_exact by
 * (repo, path): steps segment-0, reduce-0-dedup_exact, segment-1, then finalize) over a copy of
 * four installed packages (one bundled twice), 4 tasks per step.
 *
 * Both run the CLI in a child process, wall time around it, REPEATS times each, interleaved
 * (local, slurm, local, ...) so load from other work on the machine hits both alike; medians
 * reported. Slurm: `thresher run --executor slurm --wait` on a single-node cluster started
 * here (test/slurm/cluster.ts), so every task is a fresh process started by slurmd, steps wait
 * for each other through `--dependency=afterok`, and the submitter polls squeue every 2 s.
 * Overhead per job = (slurm − local) / (steps + 1 finalize job).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CLI } from '../test/helpers/cli.js';
import { makeCodeTree, tempDir, writePipeline } from '../test/helpers/fixtures.js';
import { slurmMissing, startCluster } from '../test/slurm/cluster.js';

const REPEATS = Number(process.env.BENCH_SLURM_REPEATS ?? 3);
const TASKS = 4;
const STEPS = ['segment-0', 'reduce-0-dedup_exact', 'segment-1'];

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/** One run in a fresh output folder: wall seconds around the CLI child process. */
function timedRun(dir: string, input: string, args: string[]): number {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const pipeline = writePipeline(dir, input, { tasks: TASKS });
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [CLI, 'run', pipeline, '-q', ...args], { encoding: 'utf8', env: { ...process.env, CI: 'true' } });
  const seconds = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`thresher run ${args.join(' ')}: ${r.stderr}`);
  return seconds;
}

export async function benchSlurm(): Promise<Record<string, unknown>> {
  const missing = slurmMissing();
  if (missing) return { skipped: missing };
  const cluster = await startCluster();
  const root = tempDir('thresher-bench-slurm-');
  try {
    const input = makeCodeTree(path.join(root, 'input'));
    const local: number[] = [];
    const slurm: number[] = [];
    for (let i = 0; i < REPEATS; i++) {
      local.push(timedRun(path.join(root, 'local'), input, ['--executor', 'local']));
      slurm.push(timedRun(path.join(root, 'slurm'), input, ['--executor', 'slurm', '--wait']));
    }
    const jobs = STEPS.length + 1;
    const overhead = (median(slurm) - median(local)) / jobs;
    return {
      pipeline: 'directory input (4 packages from node_modules, one bundled twice) → language, file_filter, dedup_exact; parquet release',
      tasks_per_step: TASKS,
      steps: STEPS,
      jobs_per_run: jobs,
      cluster: `single-node Slurm (test/slurm/slurm.conf), ${os.cpus().length} CPUs, one task per CPU`,
      repeats: REPEATS,
      local_wall_s: { median: Number(median(local).toFixed(2)), runs: local.map((s) => Number(s.toFixed(2))) },
      slurm_wall_s: { median: Number(median(slurm).toFixed(2)), runs: slurm.map((s) => Number(s.toFixed(2))) },
      overhead_per_job_s: Number(overhead.toFixed(2)),
      note: 'each Slurm task is its own process (node start and pipeline load, about 0.5-1 s of CPU) where the local executor reuses warm worker threads; the rest is scheduling: slurmctld starts a dependent array once its dependency clears, and --wait polls squeue every 2 s',
    };
  } finally {
    await cluster.stop();
    rmSync(root, { recursive: true, force: true });
  }
}
