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
  /**
   * The `write` stage of the last segment only: records released by the UTF-8 size of their
   * content, keyed by floor(log2(bytes)) (-1: empty). The report's size chart reads it instead
   * of measuring every released record's content again.
   */
  size_log2?: Record<string, number>;
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

function byLog2(bins: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(bins).sort((a, b) => Number(a[0]) - Number(b[0])));
}

/** Adds the rows' content sizes (`bytes[row]`; absent content is not counted) to `s.size_log2`. */
export function countSizes(s: StageStats, bytes: Float64Array, rows: Int32Array, present: (row: number) => boolean): void {
  const bins = (s.size_log2 ??= {});
  for (let k = 0; k < rows.length; k++) {
    const n = bytes[rows[k]];
    if (n === 0 && !present(rows[k])) continue;
    const bin = n === 0 ? -1 : 31 - Math.clz32(n);
    bins[bin] = (bins[bin] ?? 0) + 1;
  }
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
      if (s.size_log2) addInto((into.size_log2 ??= {}), s.size_log2);
    }
  }
  for (const s of Object.values(stages)) if (s.size_log2) s.size_log2 = byLog2(s.size_log2);
  const exclusions: Record<string, number> = {};
  for (const s of Object.values(stages)) addInto(exclusions, s.excluded);
  for (const s of Object.values(stages)) s.ms = Math.round(s.ms);
  return { steps, stages, exclusions };
}
