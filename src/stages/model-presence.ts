/**
 * What the model stages (`nsfw`, `face_blur`) share about a model that may be missing:
 * `when_missing: fail` (default) fails validation with one line saying what was looked for and
 * how to get it; `skip` lets the run go on with the stage passing records through, noted in
 * stats (`skipped_no_model`), in a file per task and in the release card. A stage names its
 * model once (`optionalModel`) and takes its preflight, its lookup in a task and its skip
 * summary from there.
 */
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../core/fs.js';
import type { Preflight, StageEnv } from '../core/stage.js';
import { ModelLoadError } from '../models/loading.js';
import { locateModel, type ModelRequest } from '../models/presence.js';

type WhenMissing = 'fail' | 'skip';

export const whenMissingParams = {
  /** `fail`: a missing model fails the pipeline at validation; `skip`: the stage passes records through, and says so. */
  when_missing: z.enum(['fail', 'skip']).default('fail'),
};

const SKIP_HINT = ' (or set when_missing: skip to run without it)';

async function modelPreflight(req: ModelRequest, whenMissing: WhenMissing): Promise<Preflight> {
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
async function modelOrSkip(req: ModelRequest, whenMissing: WhenMissing, stageDir: string, rank: number): Promise<string | null> {
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
function skipReasons(stageDir: string): string[] {
  const dir = path.join(stageDir, 'skipped');
  if (!existsSync(dir)) return [];
  const reasons = readdirSync(dir)
    .filter((n) => n.endsWith('.txt'))
    .sort()
    .map((n) => readFileSync(path.join(dir, n), 'utf8').trim());
  return [...new Set(reasons)];
}

/** A stage's model that `when_missing: skip` may do without, looked for as the stage's params say. */
export interface OptionalModel<P> {
  /** at validation: a missing model is a problem (fail) or a note (skip) */
  preflight(p: P, env: StageEnv): Promise<Preflight>;
  /** in a task: where the model is, or null when it is missing and skipped (the reason kept for the card) */
  locate(p: P, env: StageEnv, task: { stageDir: string; rank: number }): Promise<string | null>;
}

export function optionalModel<P extends { when_missing: WhenMissing }>(request: (p: P, env: StageEnv) => ModelRequest): OptionalModel<P> {
  return {
    preflight: (p, env) => modelPreflight(request(p, env), p.when_missing),
    locate: (p, env, task) => modelOrSkip(request(p, env), p.when_missing, task.stageDir, task.rank),
  };
}

/** For the release section: why tasks skipped the stage, and the data fields that say so. */
export function skipSummary(stageDir: string): { reasons: string[]; data: { skipped: boolean; skip_reasons: string[] } } {
  const reasons = skipReasons(stageDir);
  return { reasons, data: { skipped: reasons.length > 0, skip_reasons: reasons } };
}
