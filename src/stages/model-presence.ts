/**
 * What the model stages (`nsfw`, `face_blur`) share about a model that may be missing:
 * `when_missing: fail` (default) fails validation with one line saying what was looked for and
 * how to get it; `skip` lets the run go on with the stage passing records through, noted in
 * stats (`skipped_no_model`), in a file per task and in the release card.
 */
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../core/fs.js';
import type { Preflight } from '../core/stage.js';
import { ModelLoadError } from '../models/loading.js';
import { locateModel, type ModelRequest } from '../models/presence.js';

export const whenMissingParams = {
  /** `fail`: a missing model fails the pipeline at validation; `skip`: the stage passes records through, and says so. */
  when_missing: z.enum(['fail', 'skip']).default('fail'),
};

const SKIP_HINT = ' (or set when_missing: skip to run without it)';

export async function modelPreflight(req: ModelRequest, whenMissing: 'fail' | 'skip'): Promise<Preflight> {
  const found = await locateModel(req);
  if (found.found) return { problems: [], notes: [] };
  if (whenMissing === 'fail') return { problems: [found.message + SKIP_HINT], notes: [] };
  return { problems: [], notes: [`${found.message}; when_missing: skip, so the stage will pass records through unchanged`] };
}

/**
 * In a task: where the model is, or (when_missing: skip) null after noting why under
 * `<stageDir>/skipped/<rank>.txt`. Throws the one-line message when the model is missing and
 * skipping is not allowed (a model removed after validation).
 */
export async function modelOrSkip(req: ModelRequest, whenMissing: 'fail' | 'skip', stageDir: string, rank: number): Promise<string | null> {
  const found = await locateModel(req);
  const note = path.join(stageDir, 'skipped', `${String(rank).padStart(5, '0')}.txt`);
  if (found.found) {
    rmSync(note, { force: true }); // an earlier attempt of this task may have skipped
    return found.where;
  }
  if (whenMissing === 'fail') throw new ModelLoadError(found.message + SKIP_HINT);
  writeFileAtomic(note, found.message + '\n');
  return null;
}

/** Why tasks skipped the stage (each distinct message once), for the release card. */
export function skipReasons(stageDir: string): string[] {
  const dir = path.join(stageDir, 'skipped');
  if (!existsSync(dir)) return [];
  const reasons = readdirSync(dir)
    .filter((n) => n.endsWith('.txt'))
    .sort()
    .map((n) => readFileSync(path.join(dir, n), 'utf8').trim());
  return [...new Set(reasons)];
}
