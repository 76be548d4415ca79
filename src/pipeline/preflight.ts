import { PipelineError } from '../core/errors.js';
import type { LoadedPipeline } from './load.js';

/**
 * Every stage's `preflight` (models it needs, and the like): before any record is read, so a
 * missing model fails the run in its first second, not after a download of the whole pool.
 * Returns the notes (`file:line: stages[i].name: ...`); throws one PipelineError with a line
 * per problem.
 */
export async function checkPreflight(pipeline: LoadedPipeline): Promise<string[]> {
  const problems: string[] = [];
  const notes: string[] = [];
  for (const stage of pipeline.stages) {
    if (!stage.definition.preflight) continue;
    const found = await stage.definition.preflight(stage.params, pipeline.env);
    const where = `${pipeline.shown}${stage.at}: stages[${stage.index}].${stage.name}`;
    problems.push(...found.problems.map((p) => `${where}: ${p}`));
    notes.push(...found.notes.map((n) => `${where}: ${n}`));
  }
  if (problems.length > 0) throw new PipelineError(problems.join('\n'));
  return notes;
}
