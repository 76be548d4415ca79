/** Option parsers for commander: a bad value gets one message that says what was expected. */
import { InvalidArgumentError } from 'commander';

/** A whole number ≥ min; `why` is added to the message (e.g. what the minimum leaves room for). */
export function wholeNumber(min: number, why = ''): (value: string) => number {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min) throw new InvalidArgumentError(`expected a whole number ≥ ${min}${why ? ` (${why})` : ''}`);
    return n;
  };
}

export function positiveNumber(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('expected a positive number');
  return n;
}

export function nonNegativeNumber(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError('expected a non-negative number');
  return n;
}

/** A TCP port; 0 lets the system choose a free one. */
export function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('expected a port, 0 to 65535 (0: any free one)');
  return n;
}
