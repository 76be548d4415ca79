/**
 * Which tasks a submission must run, and what each job waits for. Pure: from the completion
 * state of each step (valid markers) to a list of job arrays.
 */
export interface StepProgress {
  name: string;
  /** per rank: a valid completion marker exists */
  valid: readonly boolean[];
}

export interface PlannedJob {
  step: string;
  ranks: number[];
  /** index in the plan of the job this one waits for (afterok), if any */
  after?: number;
}

/**
 * Every step with incomplete ranks, in order, each waiting for the job before it. A step is
 * valid only after the whole chain above it holds (see engine/markers), so the incomplete
 * steps form the tail of the run: waiting for the previous job is waiting for the previous step.
 */
export function pendingJobs(steps: readonly StepProgress[]): PlannedJob[] {
  const jobs: PlannedJob[] = [];
  for (const s of steps) {
    const ranks = s.valid.flatMap((ok, r) => (ok ? [] : [r]));
    if (ranks.length === 0) continue;
    jobs.push({ step: s.name, ranks, after: jobs.length > 0 ? jobs.length - 1 : undefined });
  }
  return jobs;
}

/** `--dependency=afterok:<id>`; with `--kill-on-invalid-dep` a failed upstream task cancels the waiting jobs instead of leaving them pending forever. */
export function dependencyArgs(afterJobId: string | undefined): string[] {
  return afterJobId === undefined ? [] : [`--dependency=afterok:${afterJobId}`];
}
