import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { ThresherError } from '../core/errors.js';
import { removeIfExists, writeFileAtomic } from '../core/fs.js';
import { checkRunComplete } from '../engine/completeness.js';
import { statsOrder } from '../engine/plan.js';
import { mergeStats, type RunStats } from '../engine/stats.js';
import type { TaskContext } from '../engine/task.js';
import { AlreadyExists, asPrefix, readAll, storeFor, type ObjectStore } from '../io/storage/index.js';
import { assembleRelease } from './assemble.js';
import type { Manifest } from './manifest.js';
import { StoreReleases } from './s3-versions.js';

export interface PublishHooks {
  /** called after every other file is uploaded, before manifest.json (tests interrupt here) */
  beforeManifest?: () => void | Promise<void>;
}

export interface PublishedRelease {
  /** `s3://bucket/prefix/vN` */
  dir: string;
  manifest: Manifest;
  stats: RunStats;
}

/** Upload order: data first, then excluded records, then everything else; manifest.json is never in this list. */
function uploadRank(rel: string): number {
  if (rel.startsWith('data/')) return 0;
  if (rel.startsWith('excluded/')) return 1;
  return 2;
}

function stagedFiles(staging: string): string[] {
  return (readdirSync(staging, { recursive: true }) as string[])
    .map((n) => n.split(path.sep).join('/'))
    .filter((rel) => rel !== 'manifest.json' && !rel.split('/').some((p) => p.startsWith('.')) && statSync(path.join(staging, rel)).isFile())
    .sort((a, b) => uploadRank(a) - uploadRank(b) || (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * Uploads a staged release under `vN/` without any rename: every file but the manifest (each
 * upload atomic by itself; one already there with the same sha256 is kept), then objects left
 * under `vN/` by an earlier attempt that this release does not name are removed, then
 * manifest.json goes up last, with If-None-Match so that it can never replace another's.
 */
async function uploadRelease(releases: StoreReleases, version: number, staging: string, manifest: Manifest, hooks: PublishHooks): Promise<void> {
  const store: ObjectStore = releases.store;
  const base = releases.releaseKey(version);
  const sha = new Map(manifest.files.map((f) => [f.path, f.sha256]));
  if (manifest.card) sha.set(manifest.card.path, manifest.card.sha256);
  const existing = new Map((await store.list(base)).map((o) => [o.key.slice(base.length), o]));
  const files = stagedFiles(staging);
  for (const rel of files) {
    const digest = sha.get(rel);
    if (digest === undefined) throw new ThresherError(`${path.join(staging, rel)}: staged but not in the manifest`);
    const there = existing.get(rel);
    if (there && there.bytes === statSync(path.join(staging, rel)).size && (await store.stat(base + rel))?.metadata?.sha256 === digest) continue;
    await store.upload(path.join(staging, rel), base + rel, { metadata: { sha256: digest } });
  }
  const named = new Set([...files, 'manifest.json']);
  for (const rel of existing.keys()) if (!named.has(rel)) await store.remove(base + rel);
  await hooks.beforeManifest?.();
  const key = base + 'manifest.json';
  try {
    await store.upload(path.join(staging, 'manifest.json'), key, { ifNoneMatch: true });
  } catch (err) {
    if (!(err instanceof AlreadyExists)) throw err;
    const there = JSON.parse((await readAll(store, key)).toString('utf8')) as Manifest;
    if (there.run_id !== manifest.run_id) throw new ThresherError(`${store.url(key)}: run ${there.run_id} published this version first; rerun to publish the next one`);
  }
}

function readJson<T>(file: string): T | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

/**
 * What the work folder keeps of a published release: its manifest and stats under `vN/`, so
 * that the next run's version, `thresher status` and the Slurm executor's wait find it as for
 * a local output, and `published.json` naming where the release is.
 */
function writeReceipt(ctx: TaskContext, version: number, url: string, manifest: Manifest, stats: RunStats): void {
  const dir = ctx.layout.releaseDir(version);
  writeFileAtomic(path.join(dir, 'stats.json'), JSON.stringify(stats, null, 1) + '\n');
  writeFileAtomic(path.join(dir, 'published.json'), JSON.stringify({ url }, null, 1) + '\n');
  writeFileAtomic(path.join(dir, 'manifest.json'), JSON.stringify(manifest, null, 1) + '\n');
}

/**
 * finalize for an `s3://` output: check the run, claim a version, assemble the release in the
 * staging folder (or take the one an interrupted attempt finished assembling: same bytes),
 * upload it data first and manifest last, then drop the work folder. Idempotent: a rerun after
 * any interruption completes the same release; one after the manifest went up returns it.
 */
export async function publishToStore(ctx: TaskContext, hooks: PublishHooks = {}): Promise<PublishedRelease> {
  const { layout, run, pipeline } = ctx;
  const { store, key } = storeFor(pipeline.spec.output.path);
  const releases = new StoreReleases(store, asPrefix(key));
  const urlOf = (v: number) => store.url(releases.releaseKey(v)).replace(/\/$/, '');
  const done = await releases.findRun(run.run_id);
  if (done) {
    const stats = JSON.parse((await readAll(store, releases.releaseKey(done.version, 'stats.json'))).toString('utf8')) as RunStats;
    writeReceipt(ctx, done.version, urlOf(done.version), done.manifest, stats);
    removeIfExists(layout.stagingDir(run.run_id));
    await ctx.work.discard(layout);
    return { dir: urlOf(done.version), manifest: done.manifest, stats };
  }
  const tasks = await checkRunComplete(ctx);
  const stats = mergeStats(tasks, statsOrder(pipeline));
  const version = await releases.claim(run.run_id, run.version);
  const staging = layout.stagingDir(run.run_id);
  const staged = existsSync(path.join(staging, 'manifest.json')) ? readJson<Manifest>(path.join(staging, 'manifest.json')) : undefined;
  let manifest: Manifest;
  if (staged?.run_id === run.run_id && staged.version === `v${version}`) {
    manifest = staged; // an earlier attempt assembled it: publish exactly those bytes
  } else {
    const before = (await releases.versions()).filter((v) => v < version);
    const prev = before.length ? await releases.manifest(before[before.length - 1]) : undefined;
    manifest = (await assembleRelease(ctx, tasks, stats, version, prev)).manifest;
  }
  await uploadRelease(releases, version, staging, manifest, hooks);
  writeReceipt(ctx, version, urlOf(version), manifest, stats);
  removeIfExists(staging);
  await ctx.work.discard(layout);
  return { dir: urlOf(version), manifest, stats };
}
