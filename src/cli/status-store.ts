import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { removeIfExists } from '../core/fs.js';
import { RunLayout } from '../engine/layout.js';
import { chainState } from '../engine/markers.js';
import { RemoteWork } from '../engine/remote-work.js';
import { readRunState, type RunState } from '../engine/run-state.js';
import type { WorkStore } from '../engine/work-store.js';
import { asPrefix, readAll, storeFor, type ObjectStore } from '../io/storage/index.js';
import { StoreReleases } from '../release/s3-versions.js';

export interface RemoteRunView {
  run: RunState;
  /** per step: tasks with a valid marker, tasks held by a live lease, the rest */
  steps: { name: string; done: number; running: number; pending: number }[];
}

/**
 * The run under a remote work prefix, in the local copy `layout`. The leases are listed
 * before the markers are fetched: a task that ends in between shows done (its marker), where
 * the other order would find neither its marker nor its lease and call it pending.
 */
export async function remoteRunView(work: WorkStore, layout: RunLayout): Promise<RemoteRunView> {
  const held = await work.liveTasks(layout);
  await work.refresh(layout);
  const run = readRunState(layout);
  const running = new Set(held.map((t) => t.split(' ')[0]));
  const steps = chainState(
    layout,
    (run.steps ?? []).map((name) => ({ name })),
    run,
  ).map((s) => {
    const done = s.valid.filter(Boolean).length;
    const live = s.valid.filter((ok, r) => !ok && running.has(`${s.step.name}/${r}`)).length;
    return { name: s.step.name, done, running: live, pending: run.world_size - done - live };
  });
  return { run, steps };
}

/** The run under a remote work prefix, per step: done (a valid marker), running (a live lease), pending. */
async function printRemoteRun(workUrl: string): Promise<void> {
  const temp = await mkdtemp(path.join(os.tmpdir(), 'thresher-status-'));
  try {
    const work = new RemoteWork(workUrl, undefined);
    const { run, steps } = await remoteRunView(work, new RunLayout(temp));
    console.log(`run ${run.run_id} → v${run.version}: ${run.world_size} tasks per step, planned ${run.planned_at}; work folder ${work.location}`);
    const width = Math.max(4, ...steps.map((s) => s.name.length)) + 2;
    console.log(`${'step'.padEnd(width)}${['done', 'running', 'pending'].map((h) => h.padStart(9)).join('')}`);
    for (const s of steps) console.log(`${s.name.padEnd(width)}${[`${s.done}/${run.world_size}`, String(s.running), String(s.pending)].map((c) => c.padStart(9)).join('')}`);
  } finally {
    removeIfExists(temp);
  }
}

/** Where the run publishing to this release prefix keeps its work, if it named one (.thresher/work.json). */
async function workOfOutput(store: ObjectStore, prefix: string): Promise<string | undefined> {
  const key = `${prefix}.thresher/work.json`;
  if (!(await store.stat(key))) return undefined;
  return (JSON.parse((await readAll(store, key)).toString('utf8')) as { work_dir?: string }).work_dir;
}

async function hasRun(url: string): Promise<boolean> {
  const { store, key } = storeFor(url);
  return (await store.stat(`${asPrefix(key)}run.json`)) !== undefined;
}

/** Releases under the prefix (a manifest makes one) and versions claimed but not published. */
async function printReleases(store: ObjectStore, prefix: string): Promise<void> {
  const releases = new StoreReleases(store, prefix);
  const versions = await releases.versions();
  const shown: string[] = [];
  for (const v of versions) {
    const m = await releases.manifest(v);
    shown.push(m ? `v${v} (run ${m.run_id}, ${m.counts.output_records} records)` : `v${v}`);
  }
  console.log(`releases: ${shown.join(', ') || 'none'}`);
  const claims = (await store.list(`${prefix}.thresher/claims/`)).map((o) => /v(\d+)\.json$/.exec(o.key)).filter((m) => m !== null && !versions.includes(Number(m[1])));
  if (claims.length > 0) console.log(`unfinished publications (claimed, no manifest yet): ${claims.map((m) => `v${m![1]}`).join(', ')}`);
}

/**
 * `thresher status s3://bucket/prefix`: a work prefix (run.json there) shows its run's tasks
 * from the markers and leases; a release prefix lists its releases, and the run in progress
 * when the prefix names its work prefix.
 */
export async function printStoreStatus(url: string): Promise<void> {
  const { store, key } = storeFor(url);
  const prefix = asPrefix(key);
  const work = (await hasRun(url)) ? url : await workOfOutput(store, prefix);
  if (work !== undefined && (await hasRun(work))) await printRemoteRun(work);
  else console.log(`${store.url(prefix)}: no run in progress`);
  await printReleases(store, prefix);
}
