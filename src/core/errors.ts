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
  if (err instanceof ThresherError) return err.message;
  if (err instanceof Error) return err.stack ?? err.message;
  return String(err);
}
