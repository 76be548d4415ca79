import { createHash } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { stageFolder } from '../core/stage-folder.js';

/**
 * Where a run keeps its work, under the output folder so that a run (and its resume) needs
 * nothing but the pipeline file:
 *   <output>/.thresher/work/run.json            what this run is (pipeline hash, version, seed)
 *   <output>/.thresher/work/inputs.json         the input listing: the run's fingerprint
 *   <output>/.thresher/work/steps/<step>/done/  completion markers, one per rank, with stats
 *   <output>/.thresher/work/steps/<step>/locks/ one lock per running task (host, pid, attempt)
 *   <output>/.thresher/work/segments/<k>/data/  record shards between steps
 *   <output>/.thresher/work/stages/<i>-<name>/  a global stage's partials and decisions
 *   <output>/.thresher/slurm/<run_id>/          a Slurm run: jobs.json, sbatch scripts, logs/<step>/<rank>.log
 *   <output>/v1, v2, ...                        immutable releases
 * Slurm files sit beside the work folder, not in it: a release removes the work folder, and
 * the logs must outlive it.
 *
 * The run's state (run.json, inputs.json, steps/) lives in `stateDir`; the data tasks write
 * (segments/, stages/, output/) in `workDir`. They are one folder, except for a task whose
 * work folder is an object store (remote-work.ts): it writes its data in a scratch folder of
 * its own (`forTaskData`) and uploads it, while it reads the run's state from the local copy.
 * Object keys under a remote work prefix are these paths relative to `stateDir`.
 */
export class RunLayout {
  readonly stateDir: string;
  readonly workDir: string;

  constructor(
    readonly outputRoot: string,
    dataDir?: string,
  ) {
    this.stateDir = path.join(outputRoot, '.thresher', 'work');
    this.workDir = dataDir ?? this.stateDir;
  }

  /** The same run with its task data in `dir` (one attempt's scratch folder). */
  forTaskData(dir: string): RunLayout {
    return new RunLayout(this.outputRoot, dir);
  }

  get runFile(): string {
    return path.join(this.stateDir, 'run.json');
  }

  get inputsFile(): string {
    return path.join(this.stateDir, 'inputs.json');
  }

  /** The input listing of run `runId` in a remote work prefix (the run state names the run). */
  plannedInputs(runId: string): string {
    return path.join(this.stateDir, 'inputs', `${runId}.json`);
  }

  get stepsDir(): string {
    return path.join(this.stateDir, 'steps');
  }

  marker(step: string, rank: number): string {
    return path.join(this.stateDir, 'steps', step, 'done', `${pad(rank, 5)}.json`);
  }

  taskLock(step: string, rank: number): string {
    return path.join(this.stateDir, 'steps', step, 'locks', `${pad(rank, 5)}.lock`);
  }

  locksDir(step: string): string {
    return path.join(this.stateDir, 'steps', step, 'locks');
  }

  /** A remote task's leases: one object per generation (object-lease.ts). */
  taskLease(step: string, rank: number): string {
    return path.join(this.stateDir, 'steps', step, 'leases', pad(rank, 5));
  }

  /** Where one attempt of a remote task uploads what it wrote; only its marker makes them count. */
  taskObjects(step: string, rank: number, attempt: string): string {
    return path.join(this.objectsDir, step, pad(rank, 5), attempt);
  }

  get objectsDir(): string {
    return path.join(this.stateDir, 'files');
  }

  /**
   * This machine's own folder for a run whose work folder is remote: in the system's temporary
   * folder (TMPDIR), not beside the pipeline file, which a cluster may keep on a shared
   * filesystem; named after the output root, so every process of the run on one machine shares it.
   */
  get machineDir(): string {
    return path.join(os.tmpdir(), `thresher-${createHash('sha256').update(this.outputRoot).digest('hex').slice(0, 16)}`);
  }

  /** A remote task's scratch folder for one attempt. */
  taskScratch(step: string, rank: number, attempt: string): string {
    return path.join(this.machineDir, 'tasks', `${step}-${pad(rank, 5)}-${attempt}`);
  }

  /** Objects fetched from a remote work prefix on this machine, by sha256. */
  get fetchCache(): string {
    return path.join(this.machineDir, 'cache');
  }

  markersDir(step: string): string {
    return path.join(this.stateDir, 'steps', step, 'done');
  }

  /** The last segment's shards: the release's data files. */
  get outputDataDir(): string {
    return path.join(this.workDir, 'output', 'data');
  }

  segmentDataDir(segment: number): string {
    return path.join(this.workDir, 'segments', String(segment), 'data');
  }

  segmentExcludedDir(segment: number): string {
    return path.join(this.workDir, 'segments', String(segment), 'excluded');
  }

  stageDir(index: number, name: string): string {
    return path.join(this.workDir, 'stages', stageFolder(index, name));
  }

  releaseDir(version: number): string {
    return path.join(this.outputRoot, `v${version}`);
  }

  /** One Slurm run's submissions, scripts and logs. */
  slurmDir(runId: string): string {
    return path.join(this.outputRoot, '.thresher', 'slurm', runId);
  }

  get slurmRunsDir(): string {
    return path.join(this.outputRoot, '.thresher', 'slurm');
  }

  /** One log per task, appended to by every attempt. */
  taskLog(runId: string, step: string, rank: number): string {
    return path.join(this.slurmDir(runId), 'logs', step, `${pad(rank, 5)}.log`);
  }

  /** taskLog as an sbatch `--output` pattern: `%5a` is the array index padded to 5 digits; a literal `%` is doubled. */
  taskLogPattern(runId: string, step: string): string {
    return path.join(path.dirname(this.taskLog(runId, step, 0)).replaceAll('%', '%%'), '%5a.log');
  }

  finalizeLog(runId: string): string {
    return path.join(this.slurmDir(runId), 'logs', 'finalize.log');
  }

  stagingDir(runId: string): string {
    return path.join(this.outputRoot, '.thresher', `staging-${runId}`);
  }
}

export function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/** `part-00003-0001.parquet`: rank then sequence, so byte order is record order. */
export function shardName(prefix: string, rank: number, seq: number, ext: string): string {
  return `${prefix}-${pad(rank, 5)}-${pad(seq, 4)}.${ext}`;
}
