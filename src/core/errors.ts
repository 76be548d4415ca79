/**
 * Errors that reach the user print as one line: where (file, and row or record when known),
 * then what went wrong. Anything else is a bug and prints with its stack.
 */
export class ThresherError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ThresherError';
  }
}

/** Bad input data: names the file and, when known, the row (0-based) or record id. */
export class InputError extends ThresherError {
  readonly file: string;
  readonly row?: number;
  readonly record?: string;
  readonly problem: string;

  constructor(file: string, problem: string, where: { row?: number; record?: string } = {}) {
    const at = where.row !== undefined ? `:row ${where.row}` : where.record !== undefined ? `:record ${where.record}` : '';
    super(`${file}${at}: ${problem}`);
    this.name = 'InputError';
    this.file = file;
    this.row = where.row;
    this.record = where.record;
    this.problem = problem;
  }
}

/** A pipeline file that does not parse or does not match the schema. */
export class PipelineError extends ThresherError {
  constructor(message: string) {
    super(message);
    this.name = 'PipelineError';
  }
}

export function errorLine(err: unknown): string {
  const known = asUserError(err);
  if (known) return known.message;
  if (err instanceof Error) return err.stack ?? err.message;
  return String(err);
}

/** What the system said, in words a user acts on; the code stays for searching. */
const FS_PROBLEMS: Record<string, string> = {
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOTDIR: 'a path component is a file, not a folder',
  EISDIR: 'is a folder, not a file',
  EEXIST: 'already exists',
  ENOENT: 'no such file or directory',
  EMFILE: 'too many open files',
  ENAMETOOLONG: 'name too long',
  ELOOP: 'too many levels of symbolic links',
  EIO: 'input/output error',
};

/**
 * Failures of the machine rather than of thresher (a full disk, a read-only or unwritable
 * folder, an output path that is a file) as one line naming the path; undefined for bugs,
 * which keep their stack. DuckDB reports its own I/O failures as "IO Error: ...".
 */
export function asUserError(err: unknown): ThresherError | undefined {
  if (err instanceof ThresherError) return err;
  if (!(err instanceof Error)) return undefined;
  const e = err as NodeJS.ErrnoException & { dest?: string };
  if (typeof e.code === 'string' && FS_PROBLEMS[e.code]) {
    const where = e.dest ? `${e.path} → ${e.dest}` : (e.path ?? e.syscall ?? 'file system');
    return new ThresherError(`${where}: ${FS_PROBLEMS[e.code]} (${e.code}${e.syscall ? ` in ${e.syscall}` : ''})`);
  }
  if (/^IO Error:/.test(e.message)) return new ThresherError(e.message.replace(/\s*\n\s*/g, ' ').trim());
  return undefined;
}
