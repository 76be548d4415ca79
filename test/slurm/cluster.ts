/**
 * A single-node Slurm cluster for tests and the benchmark: munged, slurmctld and slurmd as root,
 * every file in one temporary folder (slurm.conf from test/slurm/slurm.conf, reached through
 * SLURM_CONF; munged on its own socket and key), stopped by the pids in their pid files.
 * Needs Debian's slurm-wlm and munge (.ci/run installs them) and root.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '../helpers/cli.js';
import { tempDir } from '../helpers/fixtures.js';

const CLIENTS = ['sbatch', 'squeue', 'scancel', 'scontrol', 'sinfo'];
const DAEMONS = ['slurmctld', 'slurmd', 'munged', 'mungekey'];
const SBIN = ['/usr/sbin', '/usr/local/sbin', '/sbin'];

function which(cmd: string): string | undefined {
  for (const dir of [...(process.env.PATH ?? '').split(':'), ...SBIN]) {
    const p = path.join(dir, cmd);
    if (dir && existsSync(p)) return p;
  }
  return undefined;
}

/** What this machine lacks to start the test cluster, in words; undefined when nothing. */
export function slurmMissing(): string | undefined {
  const missing = [...CLIENTS, ...DAEMONS].filter((c) => !which(c));
  if (missing.length) return `Slurm tests need slurm-wlm and munge (missing: ${missing.join(', ')}; apt-get install slurm-wlm munge)`;
  if (process.getuid?.() !== 0) return 'Slurm tests start slurmctld, slurmd and munged as root (SlurmUser=root); run them as root';
  return undefined;
}

/**
 * Test options: skip with the reason when Slurm is missing, except in CI (CI=true), where the
 * test runs and fails on the same reason, so CI can never pass without the Slurm tests.
 */
export function needsSlurm(): { skip: string | false } {
  const missing = slurmMissing();
  return { skip: missing && process.env.CI !== 'true' ? `skipped: ${missing}` : false };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv): string {
  const r = spawnSync(which(cmd) ?? cmd, args, { env, encoding: 'utf8', timeout: 60_000 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: exit ${r.status}: ${r.stderr || r.stdout}`);
  return r.stdout;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export interface SlurmCluster {
  dir: string;
  conf: string;
  stop(): Promise<void>;
}

/**
 * Starts the cluster and points this process (and every child: thresher, sbatch) at it through
 * SLURM_CONF. Resolves once the node is idle.
 */
export async function startCluster(): Promise<SlurmCluster> {
  const missing = slurmMissing();
  if (missing) throw new Error(missing);
  const dir = tempDir('thresher-slurm-');
  chmodSync(dir, 0o755); // munged's socket must be reachable by the job processes
  for (const d of ['state', 'spool']) mkdirSync(path.join(dir, d));
  const host = os.hostname().split('.')[0];
  const conf = path.join(dir, 'slurm.conf');
  const fields: Record<string, string> = { HOST: host, DIR: dir, CPUS: String(os.cpus().length), CTLD_PORT: String(await freePort()), SLURMD_PORT: String(await freePort()) };
  writeFileSync(
    conf,
    readFileSync(path.join(REPO_ROOT, 'test', 'slurm', 'slurm.conf'), 'utf8').replace(/@([A-Z_]+)@/g, (_, k: string) => fields[k]),
  );
  process.env.SLURM_CONF = conf;
  const env = { ...process.env };
  const cluster: SlurmCluster = { dir, conf, stop: () => stopCluster(dir) };
  try {
    run('mungekey', ['-c', '-k', path.join(dir, 'munge.key')], env);
    run('munged', ['--force', `--socket=${dir}/munge.sock`, `--key-file=${dir}/munge.key`, `--pid-file=${dir}/munged.pid`, `--log-file=${dir}/munged.log`, `--seed-file=${dir}/munged.seed`], env);
    run('slurmctld', [], env);
    run('slurmd', [], env);
    for (let waited = 0; ; waited += 250) {
      const state = spawnSync('sinfo', ['-h', '-o', '%T'], { env, encoding: 'utf8' }).stdout.trim();
      if (state === 'idle') return cluster;
      if (waited > 30_000) throw new Error(`the test cluster's node is not idle after 30 s (sinfo: ${state || 'no answer'}); logs in ${dir}`);
      await sleep(250);
    }
  } catch (err) {
    await cluster.stop();
    throw err;
  }
}

/** Cancels what is left, then stops slurmd, slurmctld and munged by their pid files. */
async function stopCluster(dir: string): Promise<void> {
  spawnSync('scancel', ['--user=root'], { env: process.env });
  for (const name of ['slurmd', 'slurmctld', 'munged']) {
    const file = path.join(dir, `${name}.pid`);
    if (!existsSync(file)) continue;
    const pid = Number(readFileSync(file, 'utf8').trim());
    if (!Number.isInteger(pid) || pid <= 0 || !alive(pid)) continue;
    process.kill(pid, 'SIGTERM');
    for (let waited = 0; alive(pid) && waited < 10_000; waited += 100) await sleep(100);
    if (alive(pid)) process.kill(pid, 'SIGKILL');
  }
}
