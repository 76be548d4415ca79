import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestContext } from 'node:test';

/** Points THRESHER_CACHE_DIR at a fresh folder for one test, restored and removed after it. */
export function tempBuildStore(t: TestContext): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'thresher-store-'));
  const saved = process.env.THRESHER_CACHE_DIR;
  process.env.THRESHER_CACHE_DIR = dir;
  t.after(() => {
    if (saved === undefined) delete process.env.THRESHER_CACHE_DIR;
    else process.env.THRESHER_CACHE_DIR = saved;
    rmSync(dir, { recursive: true, force: true });
  });
  return dir;
}
