import { linkSync, readFileSync, rmSync } from 'node:fs';
import { ThresherError } from '../core/errors.js';
import { ensureDir, tempNameFor, writeFileDurable } from '../core/fs.js';
import { sha256Hex } from '../core/hashing.js';
import type { RunLayout } from './layout.js';
import type { Step } from './plan.js';
import type { RunState } from './run-state.js';
import type { TaskStats } from './stats.js';

/**
 * Completion markers form a chain. Each marker names its attempt and the digest of the step
 * before it (`after`): the attempts whose outputs it read. A task re-run upstream (a forced
 * task, a rank redone after a crash) changes that digest, so every task downstream of it is
 * stale and must run again; a marker alone never proves its inputs are the ones on disk.
 */
export interface StepState<S extends { name: string } = Step> {
  step: S;
  markers: (TaskStats | undefined)[];
  /** ranks whose marker exists and was made after the current outputs of the step before */
  valid: boolean[];
  /** every rank valid */
  complete: boolean;
  /** digest of this step's attempts, when complete: what the next step's markers must name */
  digest?: string;
}

export function readMarker(layout: RunLayout, step: string, rank: number): TaskStats | undefined {
  try {
    return JSON.parse(readFileSync(layout.marker(step, rank), 'utf8')) as TaskStats;
  } catch {
    return undefined; // absent (a marker is written whole by link, never half)
  }
}

/** What the first step's markers must name: this plan of this input. */
export function planDigest(run: RunState): string {
  return sha256Hex(`plan\n${run.run_id}\n${run.input.fingerprint}`);
}

function attemptsDigest(markers: TaskStats[]): string {
  return sha256Hex(markers.map((m) => `${m.rank}\t${m.attempt}`).join('\n'));
}

/** The state of one step given what its markers must name (`after`), or undefined if the step before is incomplete. */
export function stepState<S extends { name: string }>(layout: RunLayout, step: S, worldSize: number, after: string | undefined): StepState<S> {
  const markers = Array.from({ length: worldSize }, (_, r) => readMarker(layout, step.name, r));
  const valid = markers.map((m) => after !== undefined && m !== undefined && m.after === after);
  const complete = valid.every(Boolean);
  return { step, markers, valid, complete, digest: complete ? attemptsDigest(markers as TaskStats[]) : undefined };
}

/** Every step's state, in order: a step counts as done only when the whole chain above it holds. */
export function chainState<S extends { name: string }>(layout: RunLayout, steps: S[], run: RunState): StepState<S>[] {
  const out: StepState<S>[] = [];
  let after: string | undefined = planDigest(run);
  for (const step of steps) {
    const state: StepState<S> = stepState(layout, step, run.world_size, after);
    out.push(state);
    after = state.digest;
  }
  return out;
}

/** Ranks of a step that are not validly complete, as `step/rank` names. */
export function missingTasks(state: StepState<{ name: string }>): string[] {
  return state.valid.flatMap((ok, r) => (ok ? [] : [`${state.step.name}/${r}`]));
}

/**
 * Write the marker last and exclusively: of two attempts that both finished, only the first
 * link succeeds, so a task is committed once.
 */
export function commitMarker(layout: RunLayout, stats: TaskStats): void {
  const file = layout.marker(stats.step, stats.rank);
  ensureDir(layout.markersDir(stats.step));
  const tmp = tempNameFor(file);
  writeFileDurable(tmp, JSON.stringify(stats, null, 1));
  try {
    linkSync(tmp, file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new ThresherError(`${stats.step}/${stats.rank}: another attempt of this task committed first; this attempt's result is discarded`);
    }
    throw err;
  } finally {
    rmSync(tmp, { force: true });
  }
}

/** Forget a task's completion before touching its outputs: a kill in between must not leave a marker over missing files. */
export function removeMarker(layout: RunLayout, step: string, rank: number): void {
  rmSync(layout.marker(step, rank), { force: true });
}
