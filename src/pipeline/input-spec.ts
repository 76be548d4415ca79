import type { z } from 'zod';
import { readerSpecSchema } from '../io/open.js';

/** Pipeline files use snake_case keys; the io option schemas use camelCase. */
export function camelKey(key: string): string {
  return key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
}

export function snakeKey(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

export function camelize(spec: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(spec).map(([k, v]) => [camelKey(k), v]));
}

/** Validates the pipeline's input section with the reader's own schema; issues use pipeline keys. */
export function checkInputSpec(input: Record<string, unknown>): z.core.$ZodIssue[] {
  const result = readerSpecSchema.safeParse(camelize(input));
  if (result.success) return [];
  return result.error.issues.map((issue) => {
    const path = issue.path.map((p) => (typeof p === 'string' ? snakeKey(p) : p));
    if (issue.code === 'unrecognized_keys') return { ...issue, path, keys: issue.keys.map(snakeKey) };
    return { ...issue, path } as z.core.$ZodIssue;
  });
}
