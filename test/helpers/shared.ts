/**
 * The one way tests and benchmarks reach `../shared/`: the labelled test data that sits beside
 * the checkout (see ../shared/README.md). It is resolved from the repository root, never written
 * as an absolute path.
 *
 * A fresh clone has no `../shared/`; a test that needs it then skips with a message naming the
 * folder:
 *
 *   test('name', needsShared, () => { ... readFileSync(sharedPath('data', 'x.gz')) ... });
 *   test('name', async (t) => { if (skipWithoutShared(t)) return; ... });
 *
 * Only the folder's absence skips: a file missing inside an existing `../shared/` makes the test
 * fail (CI always has the folder, see .ci/run, so those tests always run there).
 */
import { statSync } from 'node:fs';
import path from 'node:path';
import type { TestContext } from 'node:test';
import { REPO_ROOT } from './cli.js';

/** `../shared/` resolved against the repository root. */
export const SHARED_DIR = path.resolve(REPO_ROOT, '..', 'shared');

/** Whether `../shared/` exists (as a folder) beside the checkout. */
export const hasShared: boolean = statSync(SHARED_DIR, { throwIfNoEntry: false })?.isDirectory() ?? false;

/** The skip message when `../shared/` is absent. */
export const SHARED_ABSENT = `skipped: ../shared/ (resolved to ${SHARED_DIR}) is absent: labelled test data lives there`;

/** A path inside `../shared/`, e.g. `sharedPath('data', 'metaclip', 'metadata-wn30.json.gz')`. Does not check that it exists. */
export function sharedPath(...parts: string[]): string {
  return path.join(SHARED_DIR, ...parts);
}

/** Test options for a test that reads `../shared/`: `test(name, needsShared, fn)`; spread it to add options. */
export const needsShared: { skip: string | false } = { skip: hasShared ? false : SHARED_ABSENT };

/** Inside a test: marks it skipped (naming the folder) and returns true when `../shared/` is absent. */
export function skipWithoutShared(t: TestContext): boolean {
  if (hasShared) return false;
  t.skip(SHARED_ABSENT);
  return true;
}
