import { spawn, type ChildProcessByStdio } from 'node:child_process';
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
  private buf: Buffer = Buffer.alloc(0);
  private failed: Error | null = null;
  private stderr = '';

  constructor(readonly gitDir: string) {
    this.proc = spawn('git', ['--git-dir', gitDir, 'cat-file', '--batch'], { stdio: ['pipe', 'pipe', 'pipe'] });
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
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
    // answers: "<sha> <type> <size>\n<content>\n" or "<name> missing\n"
    while (this.pending.length > 0) {
      const nl = this.buf.indexOf(10);
      if (nl < 0) return;
      const header = this.buf.toString('latin1', 0, nl);
      const parts = header.split(' ');
      if (parts[parts.length - 1] === 'missing' || parts[parts.length - 1] === 'ambiguous') {
        this.buf = this.buf.subarray(nl + 1);
        (this.pending.shift() as Pending).resolve(null);
        continue;
      }
      const size = Number(parts[2]);
      if (parts.length !== 3 || !Number.isInteger(size)) return this.fail(new Error(`git cat-file: unexpected answer ${JSON.stringify(header)}`));
      const end = nl + 1 + size;
      if (this.buf.length < end + 1) return; // wait for the rest of the object
      const content = Buffer.from(this.buf.subarray(nl + 1, end)); // own copy: buf is re-sliced
      this.buf = this.buf.subarray(end + 1);
      (this.pending.shift() as Pending).resolve({ sha: parts[0], type: parts[1] as GitObject['type'], content });
    }
  }
}
