import type { z } from 'zod';
import type { RecordBatch } from './batch.js';
import type { ColumnSpec, DataRecord, Exclusion } from './record.js';

/** What a stage learns about the task it runs in. Tasks share nothing but the filesystem. */
export interface TaskInfo {
  /** step name, e.g. `segment-0`, `reduce-2-dedup_exact` or `reduce-3-near_dedup-bands` */
  step: string;
  rank: number;
  worldSize: number;
  /** Seed of the run; stages derive per-record randomness from it and the record id. */
  seed: number;
}

/**
 * A task as a stage with its own folder for the run sees it: a global stage keeps partials,
 * shuffles and decisions there, a map stage what it wants released (see `summarize`).
 */
export interface GlobalTaskInfo extends TaskInfo {
  stageDir: string;
}

/** What a map stage's `open` is told: the task, and the stage's own folder for this run. */
export type MapTaskInfo = GlobalTaskInfo;

/** What `summarize` is told: where the stage's artifacts will sit in the release (`artifacts/<index>-<name>/`). */
export interface SummaryTaskInfo extends GlobalTaskInfo {
  artifactsPath: string;
}

/**
 * What a stage has to say in a release: a section of manifest.json (under `sections.<key>`)
 * and a paragraph of the dataset card, rendered from the section alone so the two never disagree.
 */
export interface ReleaseSection {
  /** Key under `sections` in manifest.json, e.g. `optout`. */
  key: string;
  /** Heading of the card paragraph. */
  title: string;
  /** The paragraph, as Markdown lines. */
  card: string[];
  /** The machine-readable record: counts, file paths, hashes. */
  data: Record<string, unknown>;
}

/** `undefined` keeps the record (possibly annotated in place); an Exclusion removes it. */
export type StageResult = Exclusion | undefined;

/** How a batch stage removes a row: the row index and why. */
export type ExcludeRow = (row: number, why: Exclusion) => void;

/**
 * The two forms of per-record work. `process` sees one record as a plain object: the simple
 * form, for small stages (the engine builds the object and copies back `columns`).
 * `processBatch` sees a whole batch: it reads the columns it needs for the alive `rows`
 * (ascending indices), sets the columns it adds (`batch.columnForWrite`), and calls `exclude`
 * for rows it removes. A stage gives one of the two; hot stages give the batch form.
 */
export interface RecordProcessor {
  process?(record: DataRecord): StageResult;
  /** May return a promise (model inference, downloads): the engine awaits it before the next stage. */
  processBatch?(batch: RecordBatch, rows: Int32Array, exclude: ExcludeRow): void | Promise<void>;
}

/** Map stages annotate, filter, redact. */
export interface MapStage extends RecordProcessor {
  readonly kind: 'map';
  /** Columns this stage adds or rewrites. */
  readonly columns: ColumnSpec[];
  /** Called once per task before any record; load models, build automata here. */
  open?(task: MapTaskInfo): Promise<void>;
  /** Extra numbers for stats.json (e.g. languages seen); merged by summing. */
  counters?(): Record<string, number>;
  /** Called once per task after the last record. */
  close?(): Promise<void>;
  /**
   * Called once when the release is made, after every task: as for a global stage, files
   * written under `<stageDir>/artifacts/` are released; a returned section goes into the
   * manifest and the card.
   */
  summarize?(task: SummaryTaskInfo): Promise<ReleaseSection | void>;
}

/** Sees every record upstream of the barrier, in the task that reads it (one of the two forms). */
export interface GlobalObserver {
  observe?(record: DataRecord): void;
  observeBatch?(batch: RecordBatch, rows: Int32Array): void;
  /** Write this rank's partial results under the stage dir (atomically). */
  finish(): Promise<void>;
}

/** Decides per record after the reduce; runs in the task after the barrier. */
export interface GlobalApplier extends RecordProcessor {
  counters?(): Record<string, number>;
  /** Called once per task after the last record: write this rank's partial results. */
  finish?(): Promise<void>;
}

/**
 * One reduce round of a global stage: its own step (`reduce-<index>-<stage>-<name>`) of
 * `worldSize` tasks, after the rounds declared before it. Like every task it reads and writes
 * files only (under the stage dir) and is idempotent: a rerun after a kill starts from its
 * inputs again, so it must clear or overwrite what an earlier attempt of the same rank left.
 */
export interface ReduceStep {
  /** lowercase letters, digits, `_`; unique within the stage */
  readonly name: string;
  run(task: GlobalTaskInfo): Promise<Record<string, number>>;
}

/**
 * Global stages need the whole dataset (dedup, MetaCLIP counts and balancing). The engine runs
 * them as map (observe, in the upstream tasks) → reduce (its own steps over `worldSize` ranks)
 * → apply (in the downstream tasks). Every part reads and writes files only.
 *
 * A stage gives exactly one of `reduce` (one step, `reduce-<index>-<stage>`) or `reduceSteps`
 * (a chain of steps in order, e.g. near dedup's bands → components → decisions). The list is
 * read when the run is planned, so it may depend on the stage's params but not on the data.
 */
export interface GlobalStage {
  readonly kind: 'global';
  readonly columns: ColumnSpec[];
  observer(task: GlobalTaskInfo): Promise<GlobalObserver>;
  reduce?(task: GlobalTaskInfo): Promise<Record<string, number>>;
  readonly reduceSteps?: readonly ReduceStep[];
  applier(task: GlobalTaskInfo): Promise<GlobalApplier>;
  /**
   * Called once when the release is made, after every task: turn the partials into files
   * for the release. Everything written under `<stageDir>/artifacts/` is released (and
   * checksummed) as `artifacts/<index>-<name>/...`; a returned section goes into the manifest
   * and the card.
   */
  summarize?(task: SummaryTaskInfo): Promise<ReleaseSection | void>;
}

export type Stage = MapStage | GlobalStage;

/**
 * A global stage's whole reduce, in this process, for a run of one rank (`worldSize` 1):
 * `reduce`, or every reduce step in order, their counters added up. For benchmarks and tests
 * that drive a stage by hand; with several ranks each step must finish on every rank before
 * the next starts, which is what the engine's steps do.
 */
export async function reduceOneRank(stage: GlobalStage, task: GlobalTaskInfo): Promise<Record<string, number>> {
  if (task.worldSize !== 1) throw new Error(`reduceOneRank: worldSize is ${task.worldSize}; several ranks need the engine's steps`);
  const counters: Record<string, number> = {};
  const steps = stage.reduceSteps ?? [{ name: 'reduce', run: (t: GlobalTaskInfo) => stage.reduce!(t) }];
  for (const step of steps) for (const [k, v] of Object.entries(await step.run(task))) counters[k] = (counters[k] ?? 0) + v;
  return counters;
}

/** What the engine tells a stage factory about the pipeline it is part of. */
export interface StageEnv {
  /** Name of the column holding the record's main text or file content. */
  contentColumn: string;
  /** Folder of the pipeline file; relative paths in parameters resolve against it. */
  baseDir: string;
  /** Every stage of the pipeline with its parameters as written: for defaults that depend on a sibling (MetaCLIP 2 matching when balancing is per image). */
  stages?: readonly { name: string; params: unknown }[];
}

interface StageDefinitionBase<P> {
  name: string;
  description: string;
  params: z.ZodType<P>;
  /**
   * Columns a record must carry when it reaches this stage (from the input or an earlier
   * stage). The pipeline is checked against them before any record is read.
   */
  requires?(params: P, env: StageEnv): string[];
  /**
   * What the stage needs outside the pipeline file (a model on disk or in the hub cache),
   * checked before any record is read. Each problem is one line; a note (e.g. "the model is
   * missing, the stage will be skipped") is shown without failing.
   */
  preflight?(params: P, env: StageEnv): Promise<Preflight>;
  /**
   * Runs once in each worker thread before its first task, while the coordinator still lists the
   * input and plans: loads what every task of the thread needs (a matcher, tables) into the
   * thread's caches, so the first task does not wait for it. Must have no other effect; an error
   * here is ignored (the task that needs the thing reports it).
   */
  warm?(params: P, env: StageEnv): void | Promise<void>;
}

/** What `preflight` found: problems fail the run at validation, notes are only shown. */
export interface Preflight {
  problems: string[];
  notes: string[];
}

/** One entry in the stage registry: a name, a params schema, and a factory; `kind` says which. */
export interface MapStageDefinition<P = unknown> extends StageDefinitionBase<P> {
  kind: 'map';
  create(params: P, env: StageEnv): MapStage;
}

export interface GlobalStageDefinition<P = unknown> extends StageDefinitionBase<P> {
  kind: 'global';
  create(params: P, env: StageEnv): GlobalStage;
}

export type StageDefinition<P = unknown> = MapStageDefinition<P> | GlobalStageDefinition<P>;

export function defineStage<P>(def: MapStageDefinition<P>): MapStageDefinition<P>;
export function defineStage<P>(def: GlobalStageDefinition<P>): GlobalStageDefinition<P>;
export function defineStage<P>(def: StageDefinition<P>): StageDefinition<P> {
  return def;
}
