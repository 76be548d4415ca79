import { readFileSync } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../../core/fs.js';
import type { RunLayout } from '../../engine/layout.js';

/** One sbatch of one step: which ranks went into which job array. */
export interface SubmittedStep {
  step: string;
  job_id: string;
  ranks: number[];
}

/** One `thresher run --executor slurm`: what it submitted, for `--wait`, `status` and the next rerun. */
export interface Submission {
  submitted_at: string;
  steps: SubmittedStep[];
  finalize_job_id: string;
}

/** `<output>/.thresher/slurm/<run_id>/jobs.json`: every submission of one run, oldest first. */
export interface SlurmRunRecord {
  run_id: string;
  version: number;
  pipeline_file: string;
  world_size: number;
  /** every step of the run in order, submitted or not */
  steps: string[];
  submissions: Submission[];
}

export function recordFile(layout: RunLayout, runId: string): string {
  return path.join(layout.slurmDir(runId), 'jobs.json');
}

export function readRecord(layout: RunLayout, runId: string): SlurmRunRecord | undefined {
  try {
    return JSON.parse(readFileSync(recordFile(layout, runId), 'utf8')) as SlurmRunRecord;
  } catch {
    return undefined;
  }
}

export function writeRecord(layout: RunLayout, record: SlurmRunRecord): void {
  writeFileAtomic(recordFile(layout, record.run_id), JSON.stringify(record, null, 1) + '\n');
}

export function latestSubmission(record: SlurmRunRecord | undefined): Submission | undefined {
  return record?.submissions[record.submissions.length - 1];
}

/** Every job id of a submission: the step arrays, then finalize. */
export function submissionJobs(s: Submission): string[] {
  return [...s.steps.map((x) => x.job_id), s.finalize_job_id];
}
