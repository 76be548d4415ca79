import { spawn, type ChildProcessByStdio } from 'node:child_process';
import path from 'node:path';
import type { Readable, Writable } from 'node:stream';

/** One object as `git cat-file --batch` gives it; `null` content when the object is missing. */
export interface GitObject {
  sha: string;
  type: 'blob' | 'tree' | 'commit' | 'tag';
  content: Buffer;
}

interface Pending {
  resolve: (o: GitObject | null) => void;
  reject: (e: Error) => void;
}

/**
 * A long-lived `git cat-file --batch` process for one repository: every object (commits, trees,
 * blobs, tags) of a read goes through it, so reading a repository costs one process start
 * instead of one per command (on small repositories the starts are most of the cost).
 * Requests are pipelined: answers come back in request order, so each one resolves the oldest
 * pending promise.
 */
export class CatFile {
  private readonly proc: ChildProcessByStdio<Writable, Readable, Readable>;
  private readonly pending: Pending[] = [];
  private chunks: Buffer[] = [];
  private have = 0;
  /** bytes the object being received needs before it can be parsed (0: parse what came) */
  private need = 0;
  private failed: Error | null = null;
  private stderr = '';

  /**
   * `alternates`: object folders of other repositories this process may read as well (git's
   * GIT_ALTERNATE_OBJECT_DIRECTORIES). Objects are named by their content, so one process can
   * serve many repositories: on small ones the process start is most of the cost.
   */
  constructor(
    readonly gitDir: string,
    alternates: readonly string[] = [],
  ) {
    const env = alternates.length > 0 ? { ...process.env, GIT_ALTERNATE_OBJECT_DIRECTORIES: alternates.join(path.delimiter) } : process.env;
    this.proc = spawn('git', ['--git-dir', gitDir, 'cat-file', '--batch'], { stdio: ['pipe', 'pipe', 'pipe'], env });
    this.proc.stdout.on('data', (chunk: Buffer) => this.onData(chunk));
    this.proc.stderr.on('data', (chunk: Buffer) => void (this.stderr += chunk.toString()));
    this.proc.on('error', (err) => this.fail(err));
    this.proc.stdin.on('error', (err) => this.fail(err));
    this.proc.on('close', (code) => {
      if (this.pending.length > 0) this.fail(new Error(`git cat-file exited (${code}): ${this.stderr.trim() || 'no message'}`));
    });
  }

  /** The object a name (sha, `HEAD`, `v1.0^{commit}`, ...) points to; null when it does not exist. */
  get(name: string): Promise<GitObject | null> {
    if (this.failed) return Promise.reject(this.failed);
    if (/[\n\r]/.test(name)) return Promise.reject(new Error(`object name with a newline: ${JSON.stringify(name)}`));
    return new Promise((resolve, reject) => {
      this.pending.push({ resolve, reject });
      this.proc.stdin.write(name + '\n');
    });
  }

  /** Whether the process has failed (every later request would fail too). */
  get broken(): boolean {
    return this.failed !== null;
  }

  /** Ends the process (pending requests still get their answers first). */
  close(): void {
    this.proc.stdin.end();
  }

  private fail(err: Error): void {
    if (this.failed) return;
    this.failed = err;
    for (const p of this.pending.splice(0)) p.reject(err);
    this.proc.kill();
  }

  private onData(chunk: Buffer): void {
    // Chunks are only joined once the object they end is complete: joining on every chunk
    // copied a large blob once per 64 KiB (most of the reader's CPU on big files).
    this.chunks.push(chunk);
    this.have += chunk.length;
    if (this.have < this.need) return;
    const buf = this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks, this.have);
    let p = 0;
    this.need = 0;
    // answers: "<sha> <type> <size>\n<content>\n" or "<name> missing\n"
    while (this.pending.length > 0) {
      const nl = buf.indexOf(10, p);
      if (nl < 0) break;
      const header = buf.toString('latin1', p, nl);
      const parts = header.split(' ');
      const last = parts[parts.length - 1];
      if (last === 'missing' || last === 'ambiguous') {
        p = nl + 1;
        (this.pending.shift() as Pending).resolve(null);
        continue;
      }
      const size = Number(parts[2]);
      if (parts.length !== 3 || !Number.isInteger(size)) return this.fail(new Error(`git cat-file: unexpected answer ${JSON.stringify(header)}`));
      const end = nl + 1 + size;
      if (buf.length < end + 1) {
        this.need = end + 1 - p; // wait for the rest of this object
        break;
      }
      // a view, not a copy: it keeps the chunk alive only as long as the caller holds it
      (this.pending.shift() as Pending).resolve({ sha: parts[0], type: parts[1] as GitObject['type'], content: buf.subarray(nl + 1, end) });
      p = end + 1;
    }
    const rest = buf.subarray(p);
    this.chunks = rest.length > 0 ? [rest] : [];
    this.have = rest.length;
  }
}
