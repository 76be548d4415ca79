import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { ThresherError } from '../core/errors.js';
import { ensureDir, removeIfExists, writeFileAtomic } from '../core/fs.js';
import { AlreadyExists, asPrefix, readAll, storeFor, type ObjectStore } from '../io/storage/index.js';
import type { RunLayout } from './layout.js';
import { readMarker } from './markers.js';
import { DEFAULT_LEASE_TIMING, liveLease, ObjectLease, type LeaseTiming } from './object-lease.js';
import { eachLimited } from '../core/limit.js';
import { ObjectFiles, TRANSFERS } from './remote-files.js';
import type { RunState } from './run-state.js';
import type { StoredObject, TaskStats } from './stats.js';
import type { TaskContext } from './task.js';
import { RemoteClaim } from './remote-claim.js';
import { rel, wantedBy } from './remote-needs.js';
import type { TaskClaim, WorkStore } from './work-store.js';

const MARKER = /^([^/]+)\/done\/(\d{5})\.json$/;
const LEASE = /^([^/]+)\/leases\/(\d{5})\/$/;

/**
 * The work folder on an object store (`execution.s3.work_dir: s3://bucket/prefix`). The
 * engine works on a local copy laid out by RunLayout; object keys are the layout's paths
 * relative to its state folder. What is written where, in order:
 * - `run.json` once, with If-None-Match (after `inputs/<run_id>.json`, which it names);
 * - each attempt of a task uploads what it wrote under `files/<step>/<rank>/<attempt>/`, then
 *   its marker `steps/<step>/done/<rank>.json`, naming each object with its size and sha256,
 *   last and with If-None-Match. Objects no marker names (a killed attempt's) are never read;
 * - a task's lease, `steps/<step>/leases/<rank>/<generation>.json` (object-lease.ts).
 */
export class RemoteWork implements WorkStore {
  readonly location: string;
  readonly store: ObjectStore;
  /** '' or ending in `/` */
  readonly prefix: string;
  /** marker object → version (etag, size, time) of the copy written locally */
  private readonly seen = new Map<string, string>();

  constructor(
    url: string,
    /** the output's s3:// URL, where `thresher status` finds this work prefix (.thresher/work.json); undefined for a local output */
    private readonly outputUrl: string | undefined,
    readonly timing: LeaseTiming = DEFAULT_LEASE_TIMING,
  ) {
    const { store, key } = storeFor(url);
    this.store = store;
    this.prefix = asPrefix(key);
    this.location = store.url(this.prefix);
  }

  /** The object key of a file of the layout's state folder. */
  key(layout: RunLayout, file: string): string {
    return this.prefix + path.relative(layout.stateDir, file).split(path.sep).join('/');
  }

  private async get(key: string): Promise<Buffer | undefined> {
    if (!(await this.store.stat(key))) return undefined;
    return readAll(this.store, key);
  }

  async refresh(layout: RunLayout): Promise<void> {
    const remote = await this.get(this.key(layout, layout.runFile));
    if (!remote) {
      removeIfExists(layout.stateDir); // no run here (never planned, or released): nothing local stands for one
      this.seen.clear();
      return;
    }
    const text = remote.toString('utf8');
    const local = existsSync(layout.runFile) ? readFileSync(layout.runFile, 'utf8') : undefined;
    if (local !== text || !existsSync(layout.inputsFile)) {
      const state = JSON.parse(text) as RunState;
      const inputsKey = this.key(layout, layout.plannedInputs(state.run_id));
      const inputs = await this.get(inputsKey);
      if (!inputs) throw new ThresherError(`${this.store.url(inputsKey)}: the input listing of run ${state.run_id} is missing; rerun with --fresh`);
      if (local !== text) {
        removeIfExists(layout.stepsDir); // markers of another run
        this.seen.clear();
      }
      writeFileAtomic(layout.inputsFile, inputs);
      writeFileAtomic(layout.runFile, text);
    }
    await this.refreshMarkers(layout);
  }

  private async refreshMarkers(layout: RunLayout): Promise<void> {
    const base = this.key(layout, layout.stepsDir) + '/';
    const found = new Set<string>();
    const fetch: { key: string; file: string; tag: string }[] = [];
    const listedAt = Date.now();
    for (const o of await this.store.list(base)) {
      const m = MARKER.exec(o.key.slice(base.length));
      if (!m) continue;
      const file = layout.marker(m[1], Number(m[2]));
      const tag = `${o.etag ?? ''}:${o.bytes}:${o.mtimeMs}`;
      found.add(file);
      if (this.seen.get(file) !== tag || !existsSync(file)) fetch.push({ key: o.key, file, tag });
    }
    await eachLimited(fetch, TRANSFERS, async ({ key, file, tag }) => {
      const body = await this.get(key);
      if (!body) return; // removed meanwhile: a new attempt started
      writeFileAtomic(file, body);
      this.seen.set(file, tag);
    });
    if (!existsSync(layout.stepsDir)) return;
    for (const step of readdirSync(layout.stepsDir)) {
      const dir = layout.markersDir(step);
      if (!existsSync(dir)) continue;
      for (const name of readdirSync(dir)) {
        const file = path.join(dir, name);
        // Another process sharing this copy (a task, status, --wait) may have fetched it after the
        // listing began: newer than what this listing knows, so the next refresh decides.
        if (name.endsWith('.json') && !found.has(file) && (statSync(file, { throwIfNoEntry: false })?.mtimeMs ?? Infinity) < listedAt) rmSync(file, { force: true });
      }
    }
  }

  async liveTasks(layout: RunLayout): Promise<string[]> {
    const base = this.key(layout, layout.stepsDir) + '/';
    const dirs = new Set<string>();
    for (const o of await this.store.list(base)) {
      const rel = o.key.slice(base.length);
      const m = LEASE.exec(rel.slice(0, rel.lastIndexOf('/') + 1));
      if (m) dirs.add(`${m[1]}/${m[2]}`);
    }
    const live: string[] = [];
    for (const d of dirs) {
      const [step, rank] = d.split('/');
      const holder = await liveLease(this.store, `${base}${step}/leases/${rank}/`);
      if (holder) live.push(`${step}/${Number(rank)} (pid ${holder.pid} on ${holder.host})`);
    }
    return live;
  }

  /**
   * Removes the prefix: data first, the markers next, run.json last, so that one who looks
   * meanwhile (a Slurm waiter) never sees a run whose tasks lost their markers, and a removal
   * cut short is finished by the next finalize (it finds the release by run id).
   */
  async discard(layout: RunLayout): Promise<void> {
    const runKey = this.key(layout, layout.runFile);
    const steps = this.key(layout, layout.stepsDir) + '/';
    const order = (key: string) => (key === runKey ? 2 : key.startsWith(steps) && MARKER.test(key.slice(steps.length)) ? 1 : 0);
    const objects = await this.store.list(this.prefix);
    for (const round of [0, 1, 2]) {
      await eachLimited(
        objects.filter((o) => order(o.key) === round),
        TRANSFERS,
        (o) => this.store.remove(o.key),
      );
    }
    removeIfExists(layout.stateDir);
    removeIfExists(layout.machineDir); // the fetch cache and scratch folders of this machine
    this.seen.clear();
  }

  async publishPlan(layout: RunLayout, state: RunState): Promise<RunState> {
    await this.store.upload(layout.inputsFile, this.key(layout, layout.plannedInputs(state.run_id)));
    try {
      await this.store.upload(layout.runFile, this.key(layout, layout.runFile), { ifNoneMatch: true });
    } catch (err) {
      if (!(err instanceof AlreadyExists)) throw err;
      await this.refresh(layout); // another planner won: its plan is the run
      const theirs = JSON.parse(readFileSync(layout.runFile, 'utf8')) as RunState;
      if (theirs.pipeline_sha256 !== state.pipeline_sha256) {
        throw new ThresherError(`${this.location}: a run of another pipeline (${theirs.pipeline_file}) was planned here at the same time; rerun with --fresh to discard it`);
      }
      return theirs;
    }
    if (this.outputUrl) {
      const { store, key } = storeFor(this.outputUrl);
      await store.put(`${asPrefix(key)}.thresher/work.json`, JSON.stringify({ work_dir: this.location, run_id: state.run_id }, null, 1) + '\n');
    }
    return state;
  }

  async claimTask(ctx: TaskContext, step: string, rank: number, attempt: string): Promise<TaskClaim> {
    const { layout } = ctx;
    const task = `${step}/${rank}`;
    const lease = await ObjectLease.acquire(this.store, this.key(layout, layout.taskLease(step, rank)) + '/', task, attempt, this.timing);
    const scratch = layout.taskScratch(step, rank, attempt);
    try {
      // forget the completion before touching any output: a kill in between must not leave a marker over another attempt's files
      await this.store.remove(this.key(layout, layout.marker(step, rank)));
      rmSync(layout.marker(step, rank), { force: true });
      removeIfExists(scratch);
      const taskLayout = layout.forTaskData(ensureDir(scratch));
      const fetched = await this.fetchInto(layout, taskLayout.workDir, this.needs(ctx, step, rank));
      return new RemoteClaim(this, { mirror: layout, layout: taskLayout, lease, fetched, step, rank, attempt });
    } catch (err) {
      await lease.release();
      removeIfExists(scratch);
      throw err;
    }
  }

  /** What a task of `step` reads from the steps before it, by the markers of the local copy. */
  private needs(ctx: TaskContext, stepName: string, rank: number): Map<string, { o: StoredObject; by: string }> {
    const index = ctx.steps.findIndex((s) => s.name === stepName);
    const wanted = wantedBy(ctx.layout, ctx.steps[index], rank);
    const plan = new Map<string, { o: StoredObject; by: string }>();
    for (const prior of ctx.steps.slice(0, index)) {
      for (let r = 0; r < ctx.run.world_size; r++) {
        for (const o of readMarker(ctx.layout, prior.name, r)?.objects ?? []) if (wanted(o.path, prior.name, r)) plan.set(o.path, { o, by: `${prior.name}/${r}` });
      }
    }
    return plan;
  }

  /** The planned objects as files under `dir`; returns each file's size and time as fetched (to tell what a task changed). */
  private async fetchInto(layout: RunLayout, dir: string, plan: Map<string, { o: StoredObject; by: string }>): Promise<Map<string, { bytes: number; mtimeMs: number }>> {
    const files = this.files(layout);
    const fetched = new Map<string, { bytes: number; mtimeMs: number }>();
    await eachLimited([...plan.values()], TRANSFERS, async ({ o, by }) => {
      const dest = path.join(dir, ...o.path.split('/'));
      await files.fetch(o, dest, by);
      const st = statSync(dest);
      fetched.set(o.path, { bytes: st.size, mtimeMs: st.mtimeMs });
    });
    return fetched;
  }

  files(layout: RunLayout): ObjectFiles {
    return new ObjectFiles(this.store, this.prefix, layout.fetchCache);
  }

  /**
   * Every output a marker names must be one of its objects, and every object must be in the
   * store with its size; then what a release is made of (all but the shards between
   * segments) is fetched into the local work folder, each checked against its sha256.
   */
  async gatherOutputs(ctx: TaskContext, tasks: TaskStats[]): Promise<string[]> {
    const { layout } = ctx;
    const stored = new Map((await this.store.list(this.key(layout, layout.objectsDir) + '/')).map((o) => [o.key, o.bytes]));
    const problems: string[] = [];
    for (const t of tasks) {
      const named = new Map((t.objects ?? []).map((o) => [o.path, o]));
      for (const out of t.outputs) if (!named.has(out.path)) problems.push(`${out.path} (written by ${t.step}/${t.rank}) is not among the objects its marker names`);
      for (const o of named.values()) {
        const bytes = stored.get(this.prefix + o.key);
        if (bytes !== o.bytes) problems.push(`${this.store.url(this.prefix + o.key)} (written by ${t.step}/${t.rank}) is ${bytes === undefined ? 'missing' : `${bytes} bytes, not ${o.bytes}`}`);
      }
    }
    if (problems.length > 0) return problems;
    const between = ctx.steps.flatMap((s) => (s.kind === 'segment' && !s.last ? [rel(layout, layout.segmentDataDir(s.segment.index))] : []));
    const plan = new Map<string, { o: StoredObject; by: string }>();
    for (const t of tasks) for (const o of t.objects ?? []) if (!between.some((p) => o.path.startsWith(p))) plan.set(o.path, { o, by: `${t.step}/${t.rank}` });
    const files = this.files(layout);
    await eachLimited([...plan.values()], TRANSFERS, async ({ o, by }) => {
      await files.fetch(o, path.join(layout.workDir, ...o.path.split('/')), by);
    });
    return [];
  }
}
