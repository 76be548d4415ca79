import { ThresherError } from '../core/errors.js';
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

/**
 * A reduce step runs one global stage's `reduce` (no `round`) or one of its `reduceSteps`
 * (`round` names it); `final` marks the stage's last reduce step.
 */
export type Step = { name: string; kind: 'segment'; segment: Segment; last: boolean } | { name: string; kind: 'reduce'; stage: ResolvedGlobal; round?: string; final: boolean };

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
    if (segment.observes) steps.push(...reduceStepsOf(pipeline, segment.observes));
  });
  return steps;
}

const ROUND_NAME = /^[a-z0-9_]+$/;

/** The reduce steps of one global stage: `reduce-<i>-<name>`, or one per declared round. */
function reduceStepsOf(pipeline: LoadedPipeline, global: ResolvedGlobal): Step[] {
  const base = `reduce-${global.index}-${global.name}`;
  const stage = global.definition.create(global.params, pipeline.env);
  const rounds = stage.reduceSteps?.map((r) => r.name);
  const where = `${pipeline.shown}${global.at}: stage ${global.name}`;
  if ((rounds === undefined) === (stage.reduce === undefined)) throw new ThresherError(`${where} must give exactly one of reduce() and reduceSteps`);
  if (rounds === undefined) return [{ name: base, kind: 'reduce', stage: global, final: true }];
  if (rounds.length === 0) throw new ThresherError(`${where} declares no reduce steps`);
  const bad = rounds.find((r, i) => !ROUND_NAME.test(r) || rounds.indexOf(r) !== i);
  if (bad !== undefined) throw new ThresherError(`${where}: reduce step name ${JSON.stringify(bad)} is repeated or not [a-z0-9_]+`);
  return rounds.map((round, i) => ({ name: `${base}-${round}`, kind: 'reduce', stage: global, round, final: i === rounds.length - 1 }));
}

/** Stage keys in the order stats.json lists them. */
export function statsOrder(pipeline: LoadedPipeline): string[] {
  return ['read', ...pipeline.stages.map(stageKey), 'write'];
}
