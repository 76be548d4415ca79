import { PipelineError } from '../core/errors.js';
import type { LoadedPipeline } from './load.js';

/**
 * Each stage's required columns against what reaches it: the input's columns, then every
 * earlier stage's. Caught before any record is read, instead of failing in the middle of a
 * run (or, worse, in its second segment after an hour of matching).
 */
export function checkRequiredColumns(pipeline: LoadedPipeline, inputColumns: readonly string[]): void {
  const available = new Set(inputColumns);
  const problems: string[] = [];
  for (const stage of pipeline.stages) {
    for (const column of stage.definition.requires?.(stage.params, pipeline.env) ?? []) {
      if (available.has(column)) continue;
      problems.push(
        `${pipeline.shown}${stage.at}: stages[${stage.index}].${stage.name}: needs column ${JSON.stringify(column)}, which neither the input (${inputColumns.join(', ')}) nor an earlier stage gives`,
      );
    }
    for (const column of stage.definition.create(stage.params, pipeline.env).columns) available.add(column.name);
  }
  if (problems.length > 0) throw new PipelineError(problems.join('\n'));
}
