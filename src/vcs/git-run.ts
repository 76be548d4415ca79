import { execFileSync } from 'node:child_process';

/** Runs `git --git-dir <gitDir> <args>` and returns stdout as bytes; throws with git's message on failure. */
export function gitOutput(gitDir: string, args: readonly string[]): Buffer {
  try {
    return execFileSync('git', ['--git-dir', gitDir, ...args], { maxBuffer: 1 << 30, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    const e = err as { stderr?: Buffer; message: string };
    const msg = e.stderr?.toString().trim() || e.message;
    throw new Error(`git ${args[0]}: ${msg.split('\n')[0]}`);
  }
}

/** Whether a command-line tool answers `<cmd> --version` (tests and readers skip with a message otherwise). */
export function hasCli(cmd: string): boolean {
  try {
    execFileSync(cmd, ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
