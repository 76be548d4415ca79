import { existsSync } from 'node:fs';
import path from 'node:path';
import { fsyncDeferred, removeIfExists } from '../core/fs.js';
import type { RunLayout } from './layout.js';
import { commitMarker, removeMarker } from './markers.js';
import type { RunState } from './run-state.js';
import type { TaskStats } from './stats.js';
import { liveTaskLocks, TaskLock } from './task-lock.js';
import type { TaskContext } from './task.js';

/** One attempt's hold on a task: where it writes, and how its result becomes durable. */
export interface TaskClaim {
  /** the run's layout with this attempt's data folder (the work folder itself, or a scratch folder) */
  readonly layout: RunLayout;
  /** false once another attempt took the task over: its result must not be committed */
  owns(): Promise<boolean>;
  /** make the outputs durable, then the completion marker, last */
  commit(stats: TaskStats): Promise<void>;
  release(): Promise<void>;
}

/**
 * Where a run's work folder lives. The engine always works on local files laid out by
 * RunLayout; a work folder on an object store (remote-work.ts) keeps a local copy of the run
 * state and markers current (`refresh`), gives each task a scratch folder with the objects it
 * reads, and uploads what the task wrote before its marker. A work folder on a filesystem
 * (LocalWork) has nothing to copy.
 */
export interface WorkStore {
  /** the work folder or `s3://` prefix, for messages */
  readonly location: string;
  /** bring the local run state and markers up to date with the store */
  refresh(layout: RunLayout): Promise<void>;
  /** tasks running now anywhere (a `--fresh` plan must not delete their work) */
  liveTasks(layout: RunLayout): Promise<string[]>;
  /** forget the run: every marker, intermediate file and the run state */
  discard(layout: RunLayout): Promise<void>;
  /** after a plan is written locally: make it the run's, once; returns the plan that holds (another planner's, if it won) */
  publishPlan(layout: RunLayout, state: RunState): Promise<RunState>;
  claimTask(ctx: TaskContext, step: string, rank: number, attempt: string): Promise<TaskClaim>;
  /**
   * Before a release is assembled: the files the release is made of in the local work folder,
   * and what is missing of the outputs the completed tasks name (one line each).
   */
  gatherOutputs(ctx: TaskContext, tasks: TaskStats[]): Promise<string[]>;
}

/** The work folder on a filesystem (local, or shared across a cluster's nodes): files, links and renames. */
export class LocalWork implements WorkStore {
  get location(): string {
    return 'the work folder';
  }

  async refresh(): Promise<void> {}

  async liveTasks(layout: RunLayout): Promise<string[]> {
    return liveTaskLocks(layout.stepsDir);
  }

  async discard(layout: RunLayout): Promise<void> {
    removeIfExists(layout.workDir);
  }

  async publishPlan(_layout: RunLayout, state: RunState): Promise<RunState> {
    return state;
  }

  async claimTask(ctx: TaskContext, step: string, rank: number, attempt: string): Promise<TaskClaim> {
    const { layout } = ctx;
    const lock = TaskLock.acquire(layout.taskLock(step, rank), `${step}/${rank}`, attempt);
    removeMarker(layout, step, rank); // forget the completion before touching any output
    return {
      layout,
      owns: async () => lock.owns(),
      commit: async (stats) => {
        await fsyncDeferred();
        commitMarker(layout, stats);
      },
      release: async () => lock.release(),
    };
  }

  async gatherOutputs(ctx: TaskContext, tasks: TaskStats[]): Promise<string[]> {
    const problems: string[] = [];
    for (const t of tasks) for (const o of t.outputs) if (!existsSync(path.join(ctx.layout.workDir, o.path))) problems.push(`${o.path} (written by ${t.step}/${t.rank}) is missing`);
    return problems;
  }
}
