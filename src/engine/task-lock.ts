import { existsSync, linkSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tempNameFor } from '../core/fs.js';
import os from 'node:os';
import path from 'node:path';
import { ThresherError } from '../core/errors.js';

/** Who holds a task: enough to tell a live attempt from a dead one, on this host or another. */
export interface TaskLockInfo {
  host: string;
  pid: number;
  attempt: string;
  started: string;
}

/** A holder refreshes its lock's mtime this often; one not refreshed for STALE_MS is dead. */
const HEARTBEAT_MS = 5_000;
const STALE_MS = 60_000;

/** Whether a process with this pid lives on this host (EPERM: it does, as another user). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readLock(file: string): TaskLockInfo | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as TaskLockInfo;
  } catch {
    return undefined; // vanished, or half-written by a holder killed mid-write
  }
}

/**
 * Whether a lock's holder is still working. On this host the pid answers; a holder on
 * another host (a cluster node) is judged by its heartbeat, since its pid means nothing here.
 */
export function lockIsLive(file: string): TaskLockInfo | undefined {
  const info = readLock(file);
  let mtime: number;
  try {
    mtime = statSync(file).mtimeMs;
  } catch {
    return undefined;
  }
  if (!info) return undefined; // locks appear whole (linked from a written file): an unreadable one is debris
  if (info.host === os.hostname()) return processAlive(info.pid) ? info : undefined;
  return Date.now() - mtime < STALE_MS ? info : undefined;
}

/**
 * One attempt of one task at a time. Schedulers retry a task while an old attempt may still
 * be alive (a node that stopped answering); two attempts would delete each other's
 * temporary files. The lock is a file created exclusively; a dead holder's lock is taken
 * over by renaming it away (atomic: of two takers only one wins the rename).
 */
export class TaskLock {
  private readonly timer: NodeJS.Timeout;

  private constructor(
    readonly file: string,
    readonly info: TaskLockInfo,
  ) {
    this.timer = setInterval(() => this.heartbeat(), HEARTBEAT_MS);
    this.timer.unref();
  }

  static acquire(file: string, task: string, attempt: string): TaskLock {
    mkdirSync(path.dirname(file), { recursive: true });
    const info: TaskLockInfo = { host: os.hostname(), pid: process.pid, attempt, started: new Date().toISOString() };
    for (let tries = 0; tries < 3; tries++) {
      // Written aside, then linked into place: the lock appears with its content or not at all,
      // so a holder killed at any instant never leaves an empty lock that looks alive.
      const tmp = `${tempNameFor(file)}-${attempt}`;
      writeFileSync(tmp, JSON.stringify(info));
      try {
        linkSync(tmp, file);
        return new TaskLock(file, info);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      } finally {
        rmSync(tmp, { force: true });
      }
      const holder = lockIsLive(file);
      if (holder) {
        throw new ThresherError(`${task}: already running (pid ${holder.pid} on ${holder.host}, since ${holder.started}); lock ${file}`);
      }
      try {
        renameSync(file, `${file}.stale-${attempt}`);
        rmSync(`${file}.stale-${attempt}`, { force: true });
      } catch {
        // another attempt took it over first; try again and meet its lock
      }
    }
    throw new ThresherError(`${task}: cannot take the task lock ${file}`);
  }

  /** Still ours? A holder whose lock was taken over (it looked dead) must not commit. */
  owns(): boolean {
    return readLock(this.file)?.attempt === this.info.attempt;
  }

  private heartbeat(): void {
    try {
      const now = new Date();
      if (this.owns()) utimesSync(this.file, now, now);
    } catch {
      // the next heartbeat tries again; a lost lock is caught by owns() before the commit
    }
  }

  release(): void {
    clearInterval(this.timer);
    if (this.owns()) rmSync(this.file, { force: true });
  }
}

/** Locks of tasks that are running now, anywhere (for `plan --fresh`, which must not wipe them). */
export function liveTaskLocks(stepsDir: string): string[] {
  if (!existsSync(stepsDir)) return [];
  const live: string[] = [];
  for (const step of readdirSync(stepsDir)) {
    const dir = path.join(stepsDir, step, 'locks');
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir)) {
      if (!name.endsWith('.lock')) continue;
      const holder = lockIsLive(path.join(dir, name));
      if (holder) live.push(`${step}/${Number(name.slice(0, -5))} (pid ${holder.pid} on ${holder.host})`);
    }
  }
  return live;
}
