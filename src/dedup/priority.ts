import type { Value } from '../core/record.js';

/**
 * Which copy dedup keeps: records sort by the `priority` columns (ascending, or descending with
 * a leading '-'), then by id; the first is kept. Shared by `dedup_exact` and `near_dedup` so
 * both keep the same copy of the same group.
 */

/** The column names of a priority list (without the '-' that marks descending). */
export function priorityColumns(priority: readonly string[]): string[] {
  return priority.map((c) => (c.startsWith('-') ? c.slice(1) : c));
}

/** Missing values (null, undefined) sort last whatever the direction; numbers as numbers, the rest as strings. */
export function compareValues(a: Value | undefined, b: Value | undefined): number {
  if (a === b) return 0;
  if (a === null || a === undefined) return 1; // missing values lose
  if (b === null || b === undefined) return -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const sa = String(a);
  const sb = String(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

/** Code-unit order of two strings (ids, positions): the same on every machine. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Compares two records' priority values (in `priority`'s order and directions); 0 when they tie. */
export function priorityOrder(priority: readonly string[]): (a: readonly Value[], b: readonly Value[]) => number {
  const descending = priority.map((p) => p.startsWith('-'));
  return (a, b) => {
    for (let i = 0; i < descending.length; i++) {
      const c = compareValues(a[i], b[i]);
      if (c !== 0) return descending[i] ? -c : c;
    }
    return 0;
  };
}
