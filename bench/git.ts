/**
 * `npm run bench -- git`: files/s per core reading many small git repositories (each a package of
 * thresher's own node_modules, committed and packed like a clone) with the `git` reader, beside
 * `git archive HEAD | tar -x` per repository as the peer, and isomorphic-git when ISOMORPHIC_GIT
 * names a folder where it is installed (it is not a dependency). CPU seconds come from
 * `/usr/bin/time -v` and include the git processes; each side runs `BENCH_GIT_REPEATS` times (3),
 * alternating, and the median is reported.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { measureCommand } from './measure.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const child = path.join(repoRoot, 'dist', 'bench', 'git-child.js');

const gitEnv = { ...process.env, GIT_AUTHOR_NAME: 'b', GIT_AUTHOR_EMAIL: 'b@b', GIT_COMMITTER_NAME: 'b', GIT_COMMITTER_EMAIL: 'b@b' };

/** One repository per package directory of node_modules (up to `max`), committed and packed. */
function makeRepos(dest: string, max: number): { repos: number; files: number } {
  const nm = path.join(repoRoot, 'node_modules');
  const pkgs = readdirSync(nm)
    .filter((n) => !n.startsWith('.') && !n.startsWith('@'))
    .sort()
    .slice(0, max);
  let files = 0;
  for (const p of pkgs) {
    const dir = path.join(dest, p);
    execFileSync('cp', ['-r', path.join(nm, p), dir]);
    execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: dir, env: gitEnv });
    execFileSync('git', ['add', '-A', '-f'], { cwd: dir, env: gitEnv });
    execFileSync('git', ['commit', '-q', '-m', 'import', '--no-verify'], { cwd: dir, env: gitEnv });
    execFileSync('git', ['gc', '-q'], { cwd: dir, env: gitEnv });
    files += Number(
      execFileSync('git', ['ls-files', '-z'], { cwd: dir, maxBuffer: 1 << 28 })
        .toString('latin1')
        .split('\0')
        .filter(Boolean).length,
    );
  }
  return { repos: pkgs.length, files };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

export async function benchGit(): Promise<Record<string, unknown>> {
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'thresher-bench-git-'));
  try {
    const reposDir = path.join(scratch, 'repos');
    mkdirSync(reposDir);
    const made = makeRepos(reposDir, Number(process.env.BENCH_GIT_REPOS ?? 120));
    const repeats = Number(process.env.BENCH_GIT_REPEATS ?? 3);
    const names = readdirSync(reposDir).sort();
    const peerScript = `set -e; for r in ${names.map((n) => `'${n}'`).join(' ')}; do mkdir -p "$OUT/$r"; git -C "$REPOS/$r" archive HEAD | tar -x -C "$OUT/$r"; done`;
    const sides: Record<string, () => Promise<{ seconds: number; cpu: number; files: number }>> = {
      thresher: async () => {
        const m = await measureCommand(process.execPath, [child, 'thresher', reposDir]);
        return { seconds: m.seconds, cpu: m.cpu_seconds ?? m.seconds, files: (JSON.parse(m.stdout) as { files: number }).files };
      },
      'git archive | tar': async () => {
        const out = path.join(scratch, `out-${Math.random().toString(36).slice(2)}`);
        const m = await measureCommand('sh', ['-c', peerScript], { env: { ...process.env, OUT: out, REPOS: reposDir } });
        rmSync(out, { recursive: true, force: true });
        return { seconds: m.seconds, cpu: m.cpu_seconds ?? m.seconds, files: made.files };
      },
    };
    const iso = process.env.ISOMORPHIC_GIT;
    if (iso && statSync(path.join(iso, 'node_modules', 'isomorphic-git'), { throwIfNoEntry: false })) {
      sides['isomorphic-git'] = async () => {
        const m = await measureCommand(process.execPath, [child, 'isomorphic-git', reposDir], { env: { ...process.env, ISOMORPHIC_GIT: iso } });
        return { seconds: m.seconds, cpu: m.cpu_seconds ?? m.seconds, files: (JSON.parse(m.stdout) as { files: number }).files };
      };
    }
    const runs: Record<string, { seconds: number; cpu: number; files: number }[]> = {};
    for (let i = 0; i < repeats; i++) for (const [name, fn] of Object.entries(sides)) (runs[name] ??= []).push(await fn());
    const results = Object.fromEntries(
      Object.entries(runs).map(([name, rs]) => {
        const files = rs[0].files;
        return [
          name,
          {
            files,
            wall_s: Number(median(rs.map((r) => r.seconds)).toFixed(2)),
            cpu_s: Number(median(rs.map((r) => r.cpu)).toFixed(2)),
            files_per_s: Math.round(files / median(rs.map((r) => r.seconds))),
            files_per_cpu_s: Math.round(files / median(rs.map((r) => r.cpu))),
          },
        ];
      }),
    );
    return {
      what: 'files/s reading many small git repositories (node_modules packages, one commit each, packed): the git reader (cat-file --batch, SWH ids, UTF-8 check) vs git archive | tar -x per repository',
      repos: made.repos,
      files: made.files,
      repeats,
      load_avg: os.loadavg().map((l) => Number(l.toFixed(1))),
      isomorphic_git: iso ? 'measured' : 'not measured: set ISOMORPHIC_GIT to a folder with node_modules/isomorphic-git',
      results,
    };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
