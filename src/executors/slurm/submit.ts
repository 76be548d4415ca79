import { chmodSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureDir, writeFileAtomic } from '../../core/fs.js';
import type { TaskContext } from '../../engine/task.js';
import type { SlurmSpec } from '../../pipeline/schema.js';
import { sbatch, scancel } from './commands.js';
import { dependencyArgs, type PlannedJob } from './plan.js';
import type { Submission } from './record.js';
import { jobName, patternPath, renderFinalizeScript, renderStepScript, shellQuote, type JobText } from './script.js';

/** This installation, started by this node binary: what a compute node runs when the filesystem is shared. */
export function defaultCommand(): string {
  const main = fileURLToPath(new URL('../../cli/main.js', import.meta.url));
  return `${shellQuote(process.execPath)} ${shellQuote(main)}`;
}

function writeScript(file: string, text: string): string {
  ensureDir(path.dirname(file));
  writeFileAtomic(file, text);
  chmodSync(file, 0o755);
  return file;
}

/**
 * Submits the planned job arrays and finalize, each waiting for the one before. The first job
 * is held until every job is in: if one sbatch fails, the ones already in are cancelled before
 * anything ran, and the caller releases the hold once it has let go of the output lock
 * (finalize takes that lock, and could otherwise start while the submitter holds it).
 */
export function submitJobs(ctx: TaskContext, jobs: PlannedJob[], options: SlurmSpec, serial: number): { submission: Submission; held: string } {
  const { layout, run, pipeline } = ctx;
  const base: Omit<JobText, 'name' | 'output'> = { command: options.command ?? defaultCommand(), pipelineFile: pipeline.file, options };
  const scripts = path.join(layout.slurmDir(run.run_id), 'scripts');
  const ids: string[] = [];
  try {
    const steps = jobs.map((job, i) => {
      ensureDir(path.dirname(layout.taskLog(run.run_id, job.step, 0)));
      const text = renderStepScript({ ...base, name: jobName(pipeline.spec.name, job.step), output: layout.taskLogPattern(run.run_id, job.step) }, job.step, job.ranks);
      const file = writeScript(path.join(scripts, `${serial}-${job.step}.sh`), text);
      const after = job.after === undefined ? undefined : ids[job.after];
      ids.push(sbatch([...(i === 0 ? ['--hold'] : []), ...dependencyArgs(after), file]));
      return { step: job.step, job_id: ids[i], ranks: job.ranks };
    });
    ensureDir(path.dirname(layout.finalizeLog(run.run_id)));
    const finalizeText = renderFinalizeScript({ ...base, name: jobName(pipeline.spec.name, 'finalize'), output: patternPath(layout.finalizeLog(run.run_id)) });
    const file = writeScript(path.join(scripts, `${serial}-finalize.sh`), finalizeText);
    const finalize = sbatch([...(ids.length === 0 ? ['--hold'] : []), ...dependencyArgs(ids[ids.length - 1]), file]);
    ids.push(finalize);
    return { submission: { submitted_at: new Date().toISOString(), steps, finalize_job_id: finalize }, held: ids[0] };
  } catch (err) {
    scancel(ids);
    throw err;
  }
}
