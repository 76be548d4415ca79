import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { ensureDir } from '../core/fs.js';
import path from 'node:path';
import { ThresherError } from '../core/errors.js';

import { processAlive } from './task-lock.js';

/**
 * One `thresher run` per output folder at a time: two would race on the same tasks and
 * release version. A lock left by a killed run (its pid is gone) is taken over, so a
 * SIGKILLed run can always be resumed. Single `thresher task` calls take no lock: a cluster
 * runs many of them at once by design.
 */
export function lockOutput(outputRoot: string): () => void {
  if (existsSync(outputRoot) && !statSync(outputRoot).isDirectory()) throw new ThresherError(`${outputRoot}: output.path is a file, not a folder`);
  const file = path.join(outputRoot, '.thresher', 'run.lock');
  ensureDir(path.dirname(file));
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(file, String(process.pid), { flag: 'wx' });
      return () => rmSync(file, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const pid = Number(readFileSync(file, 'utf8'));
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && processAlive(pid)) {
        throw new ThresherError(`${outputRoot}: another thresher run (pid ${pid}) is using this output folder`);
      }
      rmSync(file, { force: true }); // stale: its run was killed
    }
  }
  throw new ThresherError(`${file}: cannot take the run lock`);
}
