import { mergeColumns, type ColumnSpec } from '../core/record.js';
import type { LoadedPipeline } from '../pipeline/load.js';
import { planSteps } from './plan.js';

/** Columns of the records a segment writes: the reader's, plus what every stage so far adds. */
export function segmentColumns(pipeline: LoadedPipeline, inputColumns: ColumnSpec[], segmentIndex: number): ColumnSpec[] {
  const lists: ColumnSpec[][] = [inputColumns];
  for (const step of planSteps(pipeline)) {
    if (step.kind !== 'segment' || step.segment.index > segmentIndex) continue;
    const seg = step.segment;
    for (const resolved of [...(seg.applies ? [seg.applies] : []), ...seg.maps]) {
      lists.push(resolved.definition.create(resolved.params, pipeline.env).columns);
    }
  }
  return mergeColumns(...lists);
}

export function outputColumns(pipeline: LoadedPipeline, inputColumns: ColumnSpec[]): ColumnSpec[] {
  const segments = planSteps(pipeline).filter((s) => s.kind === 'segment').length;
  return segmentColumns(pipeline, inputColumns, segments - 1);
}
