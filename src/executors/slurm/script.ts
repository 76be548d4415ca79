import type { SlurmSpec } from '../../pipeline/schema.js';

/**
 * The sbatch scripts of a run: pure text from options, so tests can read exactly what Slurm gets.
 * A step is one job array (array index = rank); finalize is one plain job. Dependencies are
 * not in the script: they are known only at submission (see submit.ts).
 */

/** `[0,1,2,5,7,8]` → `0-2,5,7-8`: the shortest `--array` list for the ranks to run. */
export function arrayRanges(ranks: readonly number[]): string {
  const sorted = [...new Set(ranks)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length;) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++;
    parts.push(i === j ? String(sorted[i]) : `${sorted[i]}-${sorted[j]}`);
    i = j + 1;
  }
  return parts.join(',');
}

/** Single-quoted for bash: any path or argument survives word splitting and expansion. */
export function shellQuote(s: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(s) ? s : `'${s.replaceAll("'", `'\\''`)}'`;
}

/** A path for an sbatch filename pattern: `%` is Slurm's escape, so a literal one is doubled. */
export function patternPath(p: string): string {
  return p.replaceAll('%', '%%');
}

/** A value in an `#SBATCH` line: sbatch splits those lines on blanks but honours double quotes. */
export function directiveValue(v: string): string {
  if (/["\n]/.test(v)) throw new Error(`${JSON.stringify(v)}: a path for an #SBATCH line cannot hold a double quote or a newline`);
  return /\s/.test(v) ? `"${v}"` : v;
}

/** Slurm job names show in squeue's narrow columns: letters, digits, `.`, `_` and `-` only. */
export function jobName(pipelineName: string, what: string): string {
  return `thresher-${pipelineName}-${what}`.replace(/[^A-Za-z0-9._-]+/g, '_');
}

export interface JobText {
  /** the job name Slurm shows (see jobName) */
  name: string;
  /** the --output file or pattern (already a Slurm pattern) */
  output: string;
  /** how a compute node starts thresher, e.g. `/usr/bin/node /opt/thresher/dist/src/cli/main.js` */
  command: string;
  pipelineFile: string;
  options: SlurmSpec;
}

/** The `#SBATCH` lines every job shares: resources from the pipeline file, then the user's extras. */
function directives(job: JobText, extra: string[]): string[] {
  const o = job.options;
  const lines = [`--job-name=${job.name}`, ...extra, `--output=${directiveValue(job.output)}`, '--open-mode=append', '--kill-on-invalid-dep=yes', `--cpus-per-task=${o.cpus_per_task}`];
  if (o.partition) lines.push(`--partition=${o.partition}`);
  if (o.time) lines.push(`--time=${o.time}`);
  if (o.mem) lines.push(`--mem=${o.mem}`);
  lines.push(...o.sbatch_options);
  return lines.map((l) => `#SBATCH ${l}`);
}

function body(job: JobText, banner: string, run: string): string[] {
  return [
    'set -eo pipefail',
    ...job.options.setup,
    // One log per task gathers every attempt (a requeue appends): each starts with this line,
    // which is also how `thresher status` tells a task that ran and failed from one never started.
    `echo "thresher-slurm: ${banner} started on $(hostname) at $(date -u +%Y-%m-%dT%H:%M:%SZ) (restart \${SLURM_RESTART_COUNT:-0})"`,
    `exec ${run}`,
  ];
}

/** One step as a job array over `ranks`; each array task runs `thresher task --step S --rank <index>`. */
export function renderStepScript(job: JobText, step: string, ranks: readonly number[]): string {
  const parallel = job.options.array_parallelism ? `%${job.options.array_parallelism}` : '';
  const run = `${job.command} task ${shellQuote(job.pipelineFile)} --step ${shellQuote(step)} --rank "$SLURM_ARRAY_TASK_ID"`;
  return ['#!/bin/bash', ...directives(job, [`--array=${arrayRanges(ranks)}${parallel}`]), ...body(job, `job \${SLURM_ARRAY_JOB_ID}_\${SLURM_ARRAY_TASK_ID}`, run), ''].join('\n');
}

/** The last job: `thresher finalize`, which checks every task's marker and publishes the release. */
export function renderFinalizeScript(job: JobText): string {
  const run = `${job.command} finalize ${shellQuote(job.pipelineFile)}`;
  return ['#!/bin/bash', ...directives(job, []), ...body(job, 'job ${SLURM_JOB_ID}', run), ''].join('\n');
}
