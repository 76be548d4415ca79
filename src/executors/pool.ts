import os from 'node:os';
import { Piscina } from 'piscina';

export function defaultWorkers(): number {
  return Math.max(1, typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length);
}

/**
 * The worker threads of a run. This module is small on purpose: a command makes the pool
 * before it loads the engine, so the threads load theirs (DuckDB, the stage registry: about
 * 0.4 s) while the main thread loads its own and plans the run, instead of after.
 */
export function createWorkerPool(requested: number | undefined, worldSize: number): Piscina {
  const workers = Math.max(1, Math.min(requested ?? defaultWorkers(), worldSize));
  return new Piscina({
    filename: new URL('./worker.js', import.meta.url).href,
    minThreads: workers,
    maxThreads: workers,
    idleTimeout: 60_000,
    // A larger young generation: batches allocate many short-lived strings; fewer scavenges (measured: bench/metaclip-curate-peer).
    resourceLimits: { maxYoungGenerationSizeMb: 64 },
  });
}

/**
 * Asks every thread to warm up for `pipelineFile` (worker.ts `warmWorker`: the pipeline and the
 * stages' `warm` hooks) while this thread lists the input and plans. Queued before any task.
 */
export function warmWorkers(pool: Piscina, pipelineFile: string): void {
  for (let i = 0; i < pool.options.maxThreads; i++) void pool.run({ pipelineFile }, { name: 'warmWorker' }).catch(() => undefined);
}
