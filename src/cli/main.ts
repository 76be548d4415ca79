#!/usr/bin/env node
import path from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { asUserError, errorLine } from '../core/errors.js';
import { THRESHER_VERSION } from '../core/version.js';
import { loadPipelineFile } from '../pipeline/load.js';
import { allStages } from '../stages/registry.js';
import { RunLayout } from '../engine/layout.js';
import { outputRootOf } from '../engine/output-root.js';
import { planRun } from '../engine/run-state.js';
import { loadTaskContext, runTask, taskReadiness } from '../engine/task.js';
import { chainState } from '../engine/markers.js';
import { createReader } from '../engine/io.js';
import { checkRequiredColumns } from '../pipeline/columns-check.js';
import { lockOutput } from '../engine/lock.js';
import { finalizeRelease } from '../release/finalize.js';
import { verifyRelease } from '../release/verify.js';
import { runPipeline } from '../executors/run-pipeline.js';
import { createProgress, silentProgress } from '../executors/progress.js';
import { defaultWorkers } from '../executors/local.js';
import { defaultDemoInput, topValues, writeDemoPipeline } from './demo.js';
import { printRunSummary } from './summary.js';
import { metaclipCommand } from './metaclip.js';

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a whole number ≥ 1');
  return n;
}

function nonNegativeInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected a whole number ≥ 0');
  return n;
}

const log = (line: string) => process.stderr.write(line + '\n');

const program = new Command('thresher')
  .description('Curate raw data pools into training sets: ingest, annotate, filter, dedup, release.')
  .version(THRESHER_VERSION)
  .showHelpAfterError();

program
  .command('run')
  .description('run a pipeline file on this machine and write the next release (resumes an interrupted run)')
  .argument('<pipeline>', 'pipeline file (YAML or JSON)')
  .option('-w, --workers <n>', 'worker threads (default: all cores)', positiveInt)
  .option('--fresh', 'discard an unfinished run of another pipeline in the same output folder')
  .option('-q, --quiet', 'no progress output')
  .action(async (file: string, opts: { workers?: number; fresh?: boolean; quiet?: boolean }) => {
    const result = await runPipeline(file, { workers: opts.workers, fresh: opts.fresh, progress: opts.quiet ? silentProgress : createProgress(), log: opts.quiet ? undefined : log });
    printRunSummary(result);
  });

program
  .command('validate')
  .description('check a pipeline file against the schema and the stage registry')
  .argument('<pipeline>')
  .action(async (file: string) => {
    const p = loadPipelineFile(file);
    const reader = createReader(p);
    if (p.spec.input.type !== 'directory') await reader.listFiles(); // record inputs learn their columns from the data
    checkRequiredColumns(p, reader.columns.map((c) => c.name));
    console.log(`${file}: valid (${p.stages.length} stages: ${p.stages.map((s) => s.name).join(', ') || 'none'})`);
  });

program
  .command('plan')
  .description('plan a run (list inputs, fix the release version) and print its steps as JSON; for cluster executors')
  .argument('<pipeline>')
  .option('--fresh', 'discard an unfinished run of another pipeline')
  .action(async (file: string, opts: { fresh?: boolean }) => {
    const pipeline = loadPipelineFile(file);
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
  .requiredOption('--rank <r>', 'rank in 0..world_size-1', nonNegativeInt)
  .option('--force', 'run even if the task is already complete')
  .action(async (file: string, opts: { step: string; rank: number; force?: boolean }) => {
    const pipeline = loadPipelineFile(file);
    const ctx = loadTaskContext(pipeline, outputRootOf(pipeline));
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
    const pipeline = loadPipelineFile(file);
    const root = outputRootOf(pipeline);
    const unlock = lockOutput(root);
    try {
      const result = await finalizeRelease(loadTaskContext(pipeline, root));
      printRunSummary({ ...result, resumed: false });
    } finally {
      unlock();
    }
  });

program
  .command('verify')
  .description('re-check every file of a release against its manifest; exits 1 naming each bad file')
  .argument('<release>', 'release folder, e.g. out/v1')
  .action(async (dir: string) => {
    const { problems, warnings, checked, manifest } = await verifyRelease(path.resolve(dir), { warn: () => undefined });
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
  .option('-w, --workers <n>', 'worker threads (default: all cores)', positiveInt)
  .option('-t, --tasks <n>', 'tasks per step (world size)', positiveInt, 8)
  .option('-q, --quiet', 'no progress output')
  .action(async (opts: { out: string; input?: string; workers?: number; tasks: number; quiet?: boolean }) => {
    const file = writeDemoPipeline(path.resolve(opts.out), opts.input ?? defaultDemoInput(), opts.tasks);
    const started = performance.now();
    const result = await runPipeline(file, { workers: opts.workers ?? defaultWorkers(), progress: opts.quiet ? silentProgress : createProgress(), log: opts.quiet ? undefined : log });
    printRunSummary(result, (performance.now() - started) / 1000);
    const top = await topValues(result.dir, 'language', 8);
    console.log(`top languages: ${top.map((t) => `${t.value ?? 'unknown'} ${t.count}`).join(', ')}`);
  });

program
  .command('stages')
  .description('list the stages a pipeline can use')
  .action(() => {
    for (const s of allStages()) console.log(`${s.name.padEnd(16)} ${s.kind.padEnd(7)} ${s.description}`);
  });

program.addCommand(metaclipCommand());

program.parseAsync(process.argv).catch((err: unknown) => {
  process.stderr.write(`thresher: ${errorLine(err)}\n`);
  process.exitCode = asUserError(err) ? 1 : 70;
});
