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
  const tasks = Array.from({ length: pool.options.maxThreads }, () => pool.run({ pipelineFile }, { name: 'warmWorker' }));
  warming.set(pool, Promise.allSettled(tasks));
}

const warming = new WeakMap<Piscina, Promise<unknown>>();

/**
 * Destroys the pool once every thread is idle with its module loaded. Terminating a thread that
 * is still loading its module, or still warming up, aborts the whole process on Node 20 (a fatal
 * error inside require(esm); an exception from DuckDB's addon while the thread is torn down).
 * A run that fails in its first milliseconds (a missing bucket, a locked output) did that, so the
 * warm-up tasks are waited for, then each thread answers a no-op task: the pool hands one to each
 * idle thread, and a thread runs tasks only after its module has loaded.
 */
export async function destroyPool(pool: Piscina): Promise<void> {
  await warming.get(pool);
  await Promise.allSettled(Array.from({ length: pool.options.maxThreads }, () => pool.run(null, { name: 'ready' })));
  await pool.destroy();
}
