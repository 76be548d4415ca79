import type { GlobalStageDefinition, MapStageDefinition } from '../core/stage.js';
import type { LoadedPipeline, ResolvedStage } from '../pipeline/load.js';

export type ResolvedMap = ResolvedStage<MapStageDefinition>;
export type ResolvedGlobal = ResolvedStage<GlobalStageDefinition>;

/**
 * A run is a list of steps, each split into `world_size` tasks (step, rank). Map stages fuse
 * into segments; a global stage is a barrier: it observes records at the end of one segment,
 * reduces in its own step, and applies its decision at the start of the next segment.
 */
export interface Segment {
  index: number;
  /** global stage whose decisions apply first in this segment */
  applies?: ResolvedGlobal;
  maps: ResolvedMap[];
  /** global stage that observes the records this segment keeps */
  observes?: ResolvedGlobal;
}

export type Step = { name: string; kind: 'segment'; segment: Segment; last: boolean } | { name: string; kind: 'reduce'; stage: ResolvedGlobal };

export function stageKey(stage: ResolvedStage): string {
  return `${stage.index}:${stage.name}`;
}

export function planSteps(pipeline: LoadedPipeline): Step[] {
  const segments: Segment[] = [{ index: 0, maps: [] }];
  for (const stage of pipeline.stages) {
    const cur = segments[segments.length - 1];
    const definition = stage.definition;
    if (definition.kind === 'map') {
      cur.maps.push({ ...stage, definition });
    } else {
      const global = { ...stage, definition };
      cur.observes = global;
      segments.push({ index: segments.length, applies: global, maps: [] });
    }
  }
  const steps: Step[] = [];
  segments.forEach((segment, i) => {
    steps.push({ name: `segment-${segment.index}`, kind: 'segment', segment, last: i === segments.length - 1 });
    if (segment.observes) steps.push({ name: `reduce-${segment.observes.index}-${segment.observes.name}`, kind: 'reduce', stage: segment.observes });
  });
  return steps;
}

/** Stage keys in the order stats.json lists them. */
export function statsOrder(pipeline: LoadedPipeline): string[] {
  return ['read', ...pipeline.stages.map(stageKey), 'write'];
}
