/**
 * Measuring helpers the benchmarks share: per-core rates, and one command run as a fresh
 * process tree with its wall time and peak RSS.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';

/** `amount / seconds / cores`, rounded to `digits` decimals. */
export function perCore(amount: number, seconds: number, cores: number, digits = 0): number {
  return Number((amount / seconds / cores).toFixed(digits));
}

/** The pids of `pid` and all its descendants, read from /proc (threads' children included). */
function tree(pid: number): number[] {
  const out: number[] = [];
  const todo = [pid];
  while (todo.length) {
    const p = todo.pop()!;
    out.push(p);
    let tasks: string[] = [];
    try {
      tasks = readdirSync(`/proc/${p}/task`);
    } catch {
      continue;
    }
    for (const t of tasks) {
      try {
        for (const c of readFileSync(`/proc/${p}/task/${t}/children`, 'utf8').split(' ')) if (c.trim()) todo.push(Number(c));
      } catch {
        /* gone meanwhile */
      }
    }
  }
  return out;
}

/** Resident set size of one process in KiB (0 once it is gone). */
function rssKiB(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

export interface Measured {
  seconds: number;
  /** Peak of the whole process tree's summed RSS, polled from /proc every `pollMs`. */
  peak_rss_mb: number;
  /** How peak_rss_mb was measured. */
  rss_method: string;
  /** `/usr/bin/time -v`'s "Maximum resident set size" (the largest single process, exact), when installed. */
  time_v_max_rss_mb?: number;
  /** User + system CPU seconds from `/usr/bin/time -v`, when installed. */
  cpu_seconds?: number;
  code: number | null;
  stdout: string;
  stderr: string;
}

const TIME = '/usr/bin/time';

/**
 * Runs `cmd args` and measures wall time and peak RSS of its whole process tree by polling
 * /proc (sum of VmRSS over the tree, every `pollMs`); where /usr/bin/time is installed the command
 * runs under `time -v` as well, whose exact max RSS is reported beside (its own few hundred KiB
 * are left out of the polled sum). Resolves once the command exits; throws on a non-zero exit.
 */
export async function measureCommand(cmd: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; pollMs?: number } = {}): Promise<Measured> {
  const pollMs = opts.pollMs ?? 50;
  const useTime = existsSync(TIME) && process.platform === 'linux';
  const [file, argv] = useTime ? [TIME, ['-v', cmd, ...args]] : [cmd, args];
  const t0 = performance.now();
  const child = spawn(file, argv, { cwd: opts.cwd, env: opts.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  let peak = 0;
  const poll = () => {
    if (child.pid === undefined) return;
    const pids = tree(child.pid).filter((p) => !(useTime && p === child.pid));
    peak = Math.max(
      peak,
      pids.reduce((s, p) => s + rssKiB(p), 0),
    );
  };
  const timer = setInterval(poll, pollMs);
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (c) => resolve(c));
  });
  const seconds = (performance.now() - t0) / 1000;
  clearInterval(timer);
  await new Promise<void>((r) => (child.stdout.readableEnded ? r() : child.stdout.on('end', r)));
  await new Promise<void>((r) => (child.stderr.readableEnded ? r() : child.stderr.on('end', r)));
  let timeRss: number | undefined;
  let cpu: number | undefined;
  if (useTime) {
    const m = /Maximum resident set size \(kbytes\): (\d+)/.exec(stderr);
    if (m) timeRss = Number(m[1]) / 1024;
    const u = /User time \(seconds\): ([\d.]+)/.exec(stderr);
    const k = /System time \(seconds\): ([\d.]+)/.exec(stderr);
    if (u && k) cpu = Math.round((Number(u[1]) + Number(k[1])) * 100) / 100;
    const at = stderr.lastIndexOf('\tCommand being timed:');
    if (at >= 0) stderr = stderr.slice(0, at);
  }
  if (code !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${code}: ${stderr.trim().split('\n').slice(-5).join(' | ')}`);
  return {
    seconds,
    peak_rss_mb: Math.round((peak / 1024) * 10) / 10,
    rss_method: `sum of VmRSS over the process tree from /proc every ${pollMs} ms`,
    ...(timeRss !== undefined ? { time_v_max_rss_mb: Math.round(timeRss * 10) / 10 } : {}),
    ...(cpu !== undefined ? { cpu_seconds: cpu } : {}),
    code,
    stdout,
    stderr,
  };
}
