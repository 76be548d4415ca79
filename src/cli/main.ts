#!/usr/bin/env node
import path from 'node:path';
import { Command, Option } from 'commander';
import type { Piscina } from 'piscina';
import { asUserError, errorLine, ThresherError } from '../core/errors.js';
import { THRESHER_VERSION } from '../core/version.js';
import { clipCommand } from './clip.js';
import { evalCommand } from './eval.js';
import { exploreCommands } from './explore.js';
import { metaclipCommand } from './metaclip.js';
import { wholeNumber } from './args.js';

// Every command imports what it needs when it runs: `thresher --help` and the start of a run
// should not pay for DuckDB, Linguist's tables and every stage (about half a second).
const load = {
  pipeline: () => import('../pipeline/load.js'),
  runPipeline: () => import('../executors/run-pipeline.js'),
  progress: () => import('../executors/progress.js'),
  summary: () => import('./summary.js'),
  pool: () => import('../executors/pool.js'),
};

async function runWithProgress(file: string, opts: { workers?: number; fresh?: boolean; quiet?: boolean; pool?: Piscina }) {
  const [{ runPipeline }, { createProgress, silentProgress }] = await Promise.all([load.runPipeline(), load.progress()]);
  return runPipeline(file, { workers: opts.workers, fresh: opts.fresh, pool: opts.pool, progress: opts.quiet ? silentProgress : createProgress(), log: opts.quiet ? undefined : log });
}

const log = (line: string) => process.stderr.write(line + '\n');

/** Kept in step with EXECUTORS in executors/run-pipeline.ts (not imported: `--help` must not load the engine). */
const EXECUTOR_NAMES = ['local', 'slurm'];

const program = new Command('thresher').description('Curate raw data pools into training sets: ingest, annotate, filter, dedup, release.').version(THRESHER_VERSION).showHelpAfterError();

interface RunCliOptions {
  workers?: number;
  fresh?: boolean;
  quiet?: boolean;
  executor?: string;
  wait?: boolean;
}

program
  .command('run')
  .description('run a pipeline file and write the next release (resumes an interrupted run)')
  .argument('<pipeline>', 'pipeline file (YAML or JSON)')
  .addOption(
    new Option(
      '-e, --executor <name>',
      'where tasks run: local = worker threads on this machine; slurm = one job array per step on a Slurm cluster (default: execution.executor in the pipeline file, else local)',
    ).choices(EXECUTOR_NAMES),
  )
  .option('-w, --workers <n>', 'local: worker threads (default: all cores)', wholeNumber(1))
  .option('--wait', 'slurm: follow the jobs with a progress bar until the release exists (default: return once submitted)')
  .option('--fresh', 'discard an unfinished run of another pipeline in the same output folder')
  .option('-q, --quiet', 'no progress output')
  .action(async (file: string, opts: RunCliOptions) => {
    const [{ loadPipelineFile }, { chooseExecutor }, { createWorkerPool }] = await Promise.all([load.pipeline(), import('../executors/executor-choice.js'), load.pool()]);
    const pipeline = await loadPipelineFile(file);
    if (chooseExecutor(pipeline, opts.executor) === 'slurm') return runSlurm(file, opts);
    // the threads load their modules while this one loads the engine
    const pool = createWorkerPool(opts.workers, pipeline.spec.execution.tasks);
    const result = await runWithProgress(file, { ...opts, pool });
    (await load.summary()).printRunSummary(result);
  });

async function runSlurm(file: string, opts: RunCliOptions): Promise<void> {
  const [{ loadPipelineFile }, { runOnSlurm }, { createSlurmProgress, silentSlurmProgress }] = await Promise.all([
    load.pipeline(),
    import('../executors/slurm/index.js'),
    import('../executors/slurm/progress.js'),
  ]);
  const pipeline = await loadPipelineFile(file);
  const root = (await import('../engine/output-root.js')).outputRootOf(pipeline);
  const started = performance.now();
  const result = await runOnSlurm(pipeline, { fresh: opts.fresh, wait: opts.wait, progress: opts.quiet ? silentSlurmProgress : createSlurmProgress(), log });
  if (result.release) (await load.summary()).printRunSummary({ ...result.release, resumed: result.resumed }, (performance.now() - started) / 1000);
  else console.log(`submitted: follow it with \`thresher status ${path.relative(process.cwd(), root) || '.'}\``);
}

program
  .command('status')
  .description('tasks of the current run per step: done, running, pending and failed, with log paths (Slurm or local runs)')
  .argument('<output>', 'the output folder (output.path of the pipeline), or an s3:// work prefix (execution.s3.work_dir) or release prefix')
  .action(async (output: string) => {
    if (/^s3:\/\//i.test(output)) return (await import('./status-store.js')).printStoreStatus(output);
    const { printStatus } = await import('./status.js');
    await printStatus(path.resolve(output));
  });

program
  .command('validate')
  .description('check a pipeline file against the schema and the stage registry')
  .argument('<pipeline>')
  .action(async (file: string) => {
    const [{ loadPipelineFile }, { createReader }, { checkRequiredColumns }] = await Promise.all([load.pipeline(), import('../engine/io.js'), import('../pipeline/columns-check.js')]);
    const p = await loadPipelineFile(file);
    const reader = createReader(p);
    if (p.spec.input.type !== 'directory') await reader.listFiles(); // record inputs learn their columns from the data
    checkRequiredColumns(
      p,
      reader.columns.map((c) => c.name),
    );
    for (const note of await (await import('../pipeline/preflight.js')).checkPreflight(p)) console.log(note);
    console.log(`${file}: valid (${p.stages.length} stages: ${p.stages.map((s) => s.name).join(', ') || 'none'})`);
  });

program
  .command('plan')
  .description('plan a run (list inputs, fix the release version) and print its steps as JSON; for cluster executors')
  .argument('<pipeline>')
  .option('--fresh', 'discard an unfinished run of another pipeline')
  .action(async (file: string, opts: { fresh?: boolean }) => {
    const [{ loadPipelineFile }, { RunLayout }, { outputRootOf }, { lockOutput }, { planRun }, { loadTaskContext }, { chainState }] = await Promise.all([
      load.pipeline(),
      import('../engine/layout.js'),
      import('../engine/output-root.js'),
      import('../engine/lock.js'),
      import('../engine/run-state.js'),
      import('../engine/task.js'),
      import('../engine/markers.js'),
    ]);
    const pipeline = await loadPipelineFile(file);
    const layout = new RunLayout(outputRootOf(pipeline));
    const unlock = lockOutput(layout.outputRoot); // a plan --fresh must not wipe a running run's work
    try {
      const { state, resumed } = await planRun(pipeline, layout, opts.fresh ?? false);
      const ctx = loadTaskContext(pipeline, layout.outputRoot);
      const chain = chainState(layout, ctx.steps, state);
      const steps = chain.map((s) => ({ name: s.step.name, kind: s.step.kind, ranks: state.world_size, done: s.valid.filter(Boolean).length }));
      console.log(JSON.stringify({ run_id: state.run_id, version: `v${state.version}`, resumed, world_size: state.world_size, work_dir: layout.workDir, steps }, null, 1));
    } finally {
      unlock();
    }
  });

program
  .command('task')
  .description('run one task (step, rank) of a planned run in this process: the unit a cluster scheduler launches')
  .argument('<pipeline>')
  .requiredOption('--step <name>', 'step name from `thresher plan`')
  .requiredOption('--rank <r>', 'rank in 0..world_size-1', wholeNumber(0))
  .option('--force', 'run even if the task is already complete')
  .action(async (file: string, opts: { step: string; rank: number; force?: boolean }) => {
    const [{ loadPipelineFile }, { outputRootOf }, { openTaskContext, runTask, taskReadiness }] = await Promise.all([load.pipeline(), import('../engine/output-root.js'), import('../engine/task.js')]);
    const pipeline = await loadPipelineFile(file);
    const ctx = await openTaskContext(pipeline, outputRootOf(pipeline));
    const { done, after } = taskReadiness(ctx, opts.step, opts.rank);
    if (!opts.force && done) {
      log(`${opts.step}/${opts.rank}: already complete, skipped`);
      return;
    }
    const stats = await runTask(ctx, opts.step, opts.rank, { after });
    log(`${opts.step}/${opts.rank}: done in ${(stats.ms / 1000).toFixed(1)}s, ${stats.records_written} records written`);
  });

program
  .command('finalize')
  .description('turn a run whose tasks are all complete into the next release')
  .argument('<pipeline>')
  .action(async (file: string) => {
    const [{ loadPipelineFile }, { outputRootOf }, { lockOutput }, { openTaskContext }, { finalizeRelease }, { printRunSummary }] = await Promise.all([
      load.pipeline(),
      import('../engine/output-root.js'),
      import('../engine/lock.js'),
      import('../engine/task.js'),
      import('../release/finalize.js'),
      load.summary(),
    ]);
    const pipeline = await loadPipelineFile(file);
    const root = outputRootOf(pipeline);
    const unlock = lockOutput(root);
    try {
      const result = await finalizeRelease(await openTaskContext(pipeline, root));
      printRunSummary({ ...result, resumed: false });
    } finally {
      unlock();
    }
  });

program
  .command('verify')
  .description('re-check every file of a release against its manifest; exits 1 naming each bad file')
  .argument('<release>', 'release folder, e.g. out/v1, or s3://bucket/prefix/v1')
  .action(async (dir: string) => {
    const [{ verifyRelease }, { verifyStoredRelease }] = await Promise.all([import('../release/verify.js'), import('../release/verify-store.js')]);
    const check = /^s3:\/\//i.test(dir) ? verifyStoredRelease : (d: string, o: { warn: () => undefined }) => verifyRelease(path.resolve(d), o);
    const { problems, warnings, checked, manifest } = await check(dir, { warn: () => undefined });
    for (const w of warnings) console.log(`WARN ${w.file}: ${w.problem}`);
    for (const p of problems) console.log(`BAD ${p.file}: ${p.problem}`);
    if (problems.length) {
      console.log(`${dir}: ${problems.length} problem${problems.length > 1 ? 's' : ''} in ${checked} files`);
      process.exitCode = 1;
    } else {
      console.log(`${dir}: OK, ${checked} files match manifest.json (${manifest?.name} ${manifest?.version})`);
    }
  });

program
  .command('demo')
  .description("curate the code in thresher's own node_modules into a release and print a summary")
  .option('-o, --out <dir>', 'output folder (releases go in v1, v2, ...)', 'thresher-demo')
  .option('-i, --input <dir>', 'directory to curate instead of node_modules')
  .option('--git', 'the input is a folder of git repositories (each at HEAD, files with Software Heritage ids)')
  .option('-w, --workers <n>', 'worker threads (default: all cores)', wholeNumber(1))
  .option('-t, --tasks <n>', 'tasks per step (world size)', wholeNumber(1), 8)
  .option('-q, --quiet', 'no progress output')
  .action(async (opts: { out: string; input?: string; git?: boolean; workers?: number; tasks: number; quiet?: boolean }) => {
    if (opts.git && !opts.input) throw new ThresherError('--git needs --input <folder of repositories>');
    const { createWorkerPool, defaultWorkers } = await load.pool();
    const workers = opts.workers ?? defaultWorkers();
    const pool = createWorkerPool(workers, opts.tasks); // its threads load their modules meanwhile
    const [{ defaultDemoInput, topValues, writeDemoPipeline }, { printRunSummary, printStageSummary }] = await Promise.all([import('./demo.js'), load.summary()]);
    const file = writeDemoPipeline(path.resolve(opts.out), opts.input ?? defaultDemoInput(), opts.tasks, opts.git ? 'git' : 'directory');
    const started = performance.now();
    const result = await runWithProgress(file, { ...opts, workers, pool });
    printRunSummary(result, (performance.now() - started) / 1000);
    printStageSummary(result);
    const top = await topValues(result.dir, 'language', 8);
    console.log(`top languages: ${top.map((t) => `${t.value ?? 'unknown'} ${t.count}`).join(', ')}`);
  });

program
  .command('stages')
  .description('list the stages a pipeline can use')
  .action(async () => {
    const { allStages } = await import('../stages/registry.js');
    for (const s of await allStages()) console.log(`${s.name.padEnd(16)} ${s.kind.padEnd(7)} ${s.description}`);
  });

const optout = program.command('optout').description('the opt-out registry: who asked to be left out, and whether they still are in a release');
optout
  .command('check')
  .description('is anything of an owner, owner/repo or package in a release? lists it; exits 0 when nothing is there, 1 when something is')
  .argument('<name>', 'owner, owner/repo or npm package; a bare name means owner or package; or kind:name, e.g. package:left-pad')
  .argument('<release>', 'release folder, e.g. out/v2')
  .option('--column <name>', 'column naming the repository or package', 'repo')
  .option('--limit <n>', 'list at most n records', wholeNumber(1), 50)
  .action(async (name: string, release: string, opts: { column: string; limit: number }) => {
    const { checkRelease, printCheck } = await import('./optout.js');
    const present = printCheck(await checkRelease(release, name, opts));
    process.exitCode = present ? 1 : 0;
  });

program
  .command('search')
  .description("nearest records of a release to a text query, from the release's vector index (vector_index stage); one JSON line per hit")
  .argument('<release>', 'release folder, e.g. out/v1')
  .argument('<query>', 'query text (embedded with the query instruction the index names)')
  .option('-k, --k <n>', 'hits to return', wholeNumber(1), 10)
  .option('--model <model>', 'embedding model folder or hub id (default: the one the index names)')
  .addOption(new Option('--device <device>', 'where the query is embedded').choices(['auto', 'cuda', 'cpu']).default('auto'))
  .action(async (release: string, query: string, opts: { k: number; model?: string; device: 'auto' | 'cuda' | 'cpu' }) => {
    const { searchRelease } = await import('./search.js');
    for (const hit of await searchRelease(path.resolve(release), query, opts)) console.log(JSON.stringify(hit));
  });

program.addCommand(metaclipCommand());
program.addCommand(clipCommand());
program.addCommand(evalCommand());
for (const c of exploreCommands()) program.addCommand(c);

// A reader that stops early (`thresher grep ... | head`) closes the pipe: stop quietly with
// status 0, as grep and ripgrep do, instead of an unhandled EPIPE stack trace.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code !== 'EPIPE') throw err;
  process.exit(0);
});

program.parseAsync(process.argv).catch((err: unknown) => {
  process.stderr.write(`thresher: ${errorLine(err)}\n`);
  process.exitCode = asUserError(err) ? 1 : 70;
});
