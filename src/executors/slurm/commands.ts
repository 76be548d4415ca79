import { spawnSync } from 'node:child_process';
import { ThresherError } from '../../core/errors.js';

/**
 * The Slurm client commands, run as child processes. They read SLURM_CONF from the environment
 * like any Slurm user's shell. A missing command is one clear error, not a spawn stack.
 */
export function slurmCommand(cmd: string, args: string[]): { status: number; stdout: string; stderr: string } {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 120_000 });
  if (r.error) {
    const code = (r.error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new ThresherError(`${cmd}: not found on PATH: the Slurm executor needs Slurm's client commands (sbatch, squeue, scancel) on this machine`);
    throw new ThresherError(`${cmd}: ${r.error.message}`);
  }
  return { status: r.status ?? 1, stdout: r.stdout, stderr: r.stderr };
}

/** `sbatch --parsable ...`: the job id (a federated cluster appends `;cluster`). */
export function sbatch(args: string[]): string {
  const r = slurmCommand('sbatch', ['--parsable', ...args]);
  const id = r.stdout.trim().split(';')[0];
  if (r.status !== 0 || !/^\d+$/.test(id)) throw new ThresherError(`sbatch ${args.join(' ')}: ${(r.stderr || r.stdout).trim() || `exit status ${r.status}`}`);
  return id;
}

/** scancel; `pendingOnly` leaves running tasks to finish, as the local executor does after a failure. */
export function scancel(jobIds: string[], pendingOnly = false): void {
  if (jobIds.length === 0) return;
  const r = slurmCommand('scancel', [...(pendingOnly ? ['--state=PENDING'] : []), ...jobIds]);
  if (r.status !== 0 && !/Invalid job id|already completing or completed/i.test(r.stderr)) throw new ThresherError(`scancel ${jobIds.join(' ')}: ${r.stderr.trim()}`);
}

/** scontrol release: lets a job submitted with --hold start. */
export function releaseHold(jobId: string): void {
  const r = slurmCommand('scontrol', ['release', jobId]);
  if (r.status !== 0) throw new ThresherError(`scontrol release ${jobId}: ${r.stderr.trim()}`);
}
