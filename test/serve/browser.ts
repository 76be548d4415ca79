/**
 * Debian's chromium driven by playwright-core (no browser download): launched from
 * /usr/bin/chromium. A test without it skips with a message, except under CI=true, where
 * .ci/run installs it and its absence is a failure.
 */
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { TestContext } from 'node:test';
import { chromium, type Browser } from 'playwright-core';
import { REPO_ROOT } from '../helpers/cli.js';

export const CHROMIUM = process.env.THRESHER_CHROMIUM ?? '/usr/bin/chromium';

/** Screenshots of the browser tests: kept as test artifacts, not committed. */
export const ARTIFACTS = path.join(REPO_ROOT, 'test-artifacts');

/** A headless chromium, or undefined when the test was skipped for the lack of one. */
export async function launchOrSkip(t: TestContext): Promise<Browser | undefined> {
  if (!existsSync(CHROMIUM)) {
    const why = `chromium not found at ${CHROMIUM} (Debian package chromium; .ci/run installs it)`;
    if (process.env.CI === 'true') throw new Error(`CI=true: ${why}`);
    t.skip(`skipped: ${why}`);
    return undefined;
  }
  mkdirSync(ARTIFACTS, { recursive: true });
  // --no-sandbox: CI and the developers' machines run as root, where chromium's sandbox refuses to start
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu'] });
}

export function artifact(name: string): string {
  return path.join(ARTIFACTS, name);
}
