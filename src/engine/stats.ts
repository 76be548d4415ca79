/** Numbers one stage produced in one task; merged by summing across tasks. */
export interface StageStats {
  stage: string;
  records_in: number;
  records_out: number;
  bytes_in: number;
  bytes_out: number;
  excluded: Record<string, number>;
  ms: number;
  counters: Record<string, number>;
}

export interface TaskStats {
  step: string;
  rank: number;
  /** this attempt's id; the next step's markers name it (see markers.ts) */
  attempt: string;
  /** digest of the attempts of the step before whose outputs this task read */
  after: string;
  ms: number;
  /** records this task wrote for the next step (or the release) */
  records_written: number;
  /** files this task wrote, relative to the work folder, with their row counts */
  outputs: { path: string; rows: number }[];
  /** keyed by stage key: `read`, `<index>:<name>`, `write`; insertion order = pipeline order */
  stages: Record<string, StageStats>;
  /** a work folder on an object store: every file this task wrote, as the object holding it */
  objects?: StoredObject[];
}

/** A file of the work folder (`path`, relative to it) kept as an object (`key`, relative to the work prefix). */
export interface StoredObject {
  path: string;
  key: string;
  bytes: number;
  sha256: string;
}

export interface RunStats {
  steps: Record<string, { tasks: number; ms: number }>;
  stages: Record<string, StageStats>;
  exclusions: Record<string, number>;
}

export function emptyStageStats(stage: string): StageStats {
  return { stage, records_in: 0, records_out: 0, bytes_in: 0, bytes_out: 0, excluded: {}, ms: 0, counters: {} };
}

function addInto(into: Record<string, number>, from: Record<string, number>): void {
  for (const [k, v] of Object.entries(from)) into[k] = (into[k] ?? 0) + v;
}

/** Merge task stats in a stable order (step order, then rank) so stats.json is reproducible. */
export function mergeStats(tasks: TaskStats[], stageOrder: string[]): RunStats {
  const stages: Record<string, StageStats> = {};
  for (const key of stageOrder) stages[key] = emptyStageStats(key);
  const steps: RunStats['steps'] = {};
  for (const t of tasks) {
    const step = (steps[t.step] ??= { tasks: 0, ms: 0 });
    step.tasks += 1;
    step.ms += t.ms;
    for (const [key, s] of Object.entries(t.stages)) {
      const into = (stages[key] ??= emptyStageStats(key));
      into.records_in += s.records_in;
      into.records_out += s.records_out;
      into.bytes_in += s.bytes_in;
      into.bytes_out += s.bytes_out;
      into.ms += s.ms;
      addInto(into.excluded, s.excluded);
      addInto(into.counters, s.counters);
    }
  }
  const exclusions: Record<string, number> = {};
  for (const s of Object.values(stages)) addInto(exclusions, s.excluded);
  for (const s of Object.values(stages)) s.ms = Math.round(s.ms);
  return { steps, stages, exclusions };
}
