import { ThresherError } from '../../core/errors.js';
import { slurmCommand } from './commands.js';

/** What Slurm says about one job or array task. `key` is `<job>` or `<array job>_<index>`. */
export interface QueueEntry {
  key: string;
  /** PENDING, RUNNING, COMPLETED, FAILED, CANCELLED, TIMEOUT, PREEMPTED, NODE_FAIL, ... */
  state: string;
  /** why it pends or ended (Dependency, Priority, NonZeroExitCode, DependencyNeverSatisfied, ...) */
  reason: string;
}

/** States after which a job runs no more (unless Slurm requeues it, which shows as PENDING again). */
const ENDED = new Set(['COMPLETED', 'FAILED', 'CANCELLED', 'TIMEOUT', 'PREEMPTED', 'NODE_FAIL', 'BOOT_FAIL', 'DEADLINE', 'OUT_OF_MEMORY', 'SPECIAL_EXIT', 'REVOKED']);

export function isLive(e: QueueEntry): boolean {
  return !ENDED.has(e.state);
}

export function taskKey(jobId: string, rank?: number): string {
  return rank === undefined ? jobId : `${jobId}_${rank}`;
}

/**
 * Parses `squeue -h -r -t all -o %F|%K|%T|%r`: one line per array task (`-r`), pending
 * elements included. A plain job's %K is N/A.
 */
export function parseSqueue(text: string): Map<string, QueueEntry> {
  const out = new Map<string, QueueEntry>();
  for (const line of text.split('\n')) {
    const [job, index, state, reason] = line.trim().split('|');
    if (!job || !state) continue;
    const key = index && index !== 'N/A' ? `${job}_${index}` : job;
    out.set(key, { key, state, reason: reason ?? '' });
  }
  return out;
}

/** Parses `sacct -n -P -X -o JobID,State`: `12_3|CANCELLED by 0` → 12_3 CANCELLED. Unsplit ranges (`12_[4-7]`) are skipped. */
export function parseSacct(text: string): Map<string, QueueEntry> {
  const out = new Map<string, QueueEntry>();
  for (const line of text.split('\n')) {
    const [key, state] = line.trim().split('|');
    if (!key || !state || key.includes('[')) continue;
    out.set(key, { key, state: state.split(' ')[0], reason: state });
  }
  return out;
}

/**
 * Every job and array task of these jobs that Slurm still knows: squeue for live and recently
 * ended ones (kept for MinJobAge), then sacct, where accounting is enabled, for older ones.
 */
export function pollJobs(jobIds: string[]): Map<string, QueueEntry> {
  if (jobIds.length === 0) return new Map();
  const ids = jobIds.join(',');
  const sq = slurmCommand('squeue', ['-h', '-r', '-t', 'all', '-j', ids, '-o', '%F|%K|%T|%r']);
  // squeue names an unknown id an error only when none of the ids is known: that is "nothing left".
  const found = sq.status === 0 ? parseSqueue(sq.stdout) : new Map<string, QueueEntry>();
  if (sq.status !== 0 && !/Invalid job id/i.test(sq.stderr)) throw new ThresherError(`squeue: ${sq.stderr.trim()}`);
  const known = new Set([...found.keys()].map((k) => k.split('_')[0]));
  const older = jobIds.filter((id) => !known.has(id));
  if (older.length > 0) {
    const sa = slurmCommand('sacct', ['-n', '-P', '-X', '-j', older.join(','), '-o', 'JobID,State']);
    if (sa.status === 0) for (const [k, e] of parseSacct(sa.stdout)) if (!found.has(k)) found.set(k, e);
  }
  return found;
}
