import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { ThresherError } from '../core/errors.js';
import { writeFileAtomic } from '../core/fs.js';
import { writeInputs } from './inputs-file.js';
import type { InputFile } from '../io/types.js';
import type { ColumnSpec } from '../core/record.js';
import type { LoadedPipeline } from '../pipeline/load.js';
import { createReader } from './io.js';
import { checkRequiredColumns } from '../pipeline/columns-check.js';
import { checkPreflight } from '../pipeline/preflight.js';
import type { RunLayout } from './layout.js';
import { planSteps } from './plan.js';
import { workStoreFor } from './work-choice.js';

/** What a run is. Written once when the run is planned; every task checks against it. */
export interface RunState {
  run_id: string;
  pipeline_file: string;
  pipeline_sha256: string;
  world_size: number;
  seed: number;
  /** the release this run will become */
  version: number;
  planned_at: string;
  input: { files: number; bytes: number; fingerprint: string };
  /** the reader's columns, fixed at planning (JSONL/Parquet columns may be inferred) */
  input_columns: ColumnSpec[];
  /** the plan's step names, in order (what `thresher status` shows without the pipeline file) */
  steps?: string[];
}

export function readRunState(layout: RunLayout): RunState {
  try {
    return JSON.parse(readFileSync(layout.runFile, 'utf8')) as RunState;
  } catch {
    throw new ThresherError(`${layout.runFile}: no planned run here (run \`thresher plan\` or \`thresher run\` first)`);
  }
}

/** Existing release numbers under the output folder (v1, v2, ...), ascending. */
export function releaseVersions(outputRoot: string): number[] {
  if (!existsSync(outputRoot)) return [];
  return readdirSync(outputRoot)
    .map((n) => /^v(\d+)$/.exec(n))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => Number(m[1]))
    .sort((a, b) => a - b);
}

/**
 * sha256 of the listing's lines (`path\tbytes\tmtime`, joined by newlines), fed to the hash a
 * few thousand lines at a time: one string of every line cost as much as the hashing.
 */
export function fingerprintInputs(files: InputFile[]): string {
  const hash = createHash('sha256');
  const line = (f: InputFile) => `${f.path}\t${f.bytes}\t${Math.round(f.mtimeMs)}`;
  const CHUNK = 4096;
  for (let i = 0; i < files.length; i += CHUNK) {
    const part = files
      .slice(i, i + CHUNK)
      .map(line)
      .join('\n');
    hash.update(i === 0 ? part : `\n${part}`);
  }
  return hash.digest('hex');
}

/**
 * Plan a run, or pick up the planned one. A planned run with another pipeline hash is an
 * error unless `fresh` discards it: a resume must never mix two pipelines.
 */
export async function planRun(pipeline: LoadedPipeline, layout: RunLayout, fresh: boolean): Promise<{ state: RunState; resumed: boolean; notes: string[] }> {
  // Models and the like, on a resume too: a model removed since would fail every task.
  const notes = await checkPreflight(pipeline);
  const work = workStoreFor(pipeline);
  await work.refresh(layout);
  if (existsSync(layout.runFile)) {
    const state = readRunState(layout);
    if (!fresh && state.pipeline_sha256 === pipeline.sha256) return { state, resumed: true, notes };
    if (!fresh) {
      throw new ThresherError(`${layout.workDir}: an unfinished run of a different pipeline (${state.pipeline_file}) is here; rerun with --fresh to discard it`);
    }
    const live = await work.liveTasks(layout);
    if (live.length > 0) throw new ThresherError(`${layout.workDir}: tasks of the planned run are running (${live.slice(0, 4).join(', ')}); --fresh would delete their work`);
  }
  await work.discard(layout);
  const reader = createReader(pipeline);
  const files = await reader.listFiles();
  checkRequiredColumns(
    pipeline,
    reader.columns.map((c) => c.name),
  );
  writeInputs(layout.inputsFile, files);
  const versions = releaseVersions(layout.outputRoot);
  const state: RunState = {
    run_id: randomUUID(),
    pipeline_file: pipeline.file,
    pipeline_sha256: pipeline.sha256,
    world_size: pipeline.spec.execution.tasks,
    seed: pipeline.spec.execution.seed,
    version: (versions[versions.length - 1] ?? 0) + 1,
    planned_at: new Date().toISOString(),
    input: { files: files.length, bytes: files.reduce((sum: number, f: InputFile) => sum + f.bytes, 0), fingerprint: fingerprintInputs(files) },
    input_columns: reader.columns,
    steps: planSteps(pipeline).map((s) => s.name),
  };
  writeFileAtomic(layout.runFile, JSON.stringify(state, null, 1));
  const held = await work.publishPlan(layout, state);
  return { state: held, resumed: held.run_id !== state.run_id, notes };
}
