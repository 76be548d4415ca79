import { readFileSync, renameSync } from 'node:fs';
import path from 'node:path';
import type { TaskContext } from '../engine/task.js';
import { checkRunComplete } from '../engine/completeness.js';
import { mergeStats, type RunStats } from '../engine/stats.js';
import { statsOrder } from '../engine/plan.js';
import { releaseVersions } from '../engine/run-state.js';
import { isS3Url } from '../io/storage/url.js';
import { assembleRelease } from './assemble.js';
import type { Manifest } from './manifest.js';
import { publishToStore, type PublishHooks } from './s3-publish.js';

export interface ReleaseResult {
  dir: string;
  manifest: Manifest;
  stats: RunStats;
}

function readManifest(dir: string): Manifest | undefined {
  try {
    return JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as Manifest;
  } catch {
    return undefined;
  }
}

/**
 * Turns a completed run into an immutable release: check that the run is whole (completeness.ts),
 * assemble it in a staging folder, then one rename makes `vN` appear whole. Idempotent: if a release with this run id already exists
 * (killed after the rename), it is returned as is. An `s3://` output has no rename: see s3-publish.ts.
 */
export async function finalizeRelease(ctx: TaskContext, hooks: PublishHooks = {}): Promise<ReleaseResult> {
  if (isS3Url(ctx.pipeline.spec.output.path)) return publishToStore(ctx, hooks);
  const { layout, run, pipeline } = ctx;
  for (const v of releaseVersions(layout.outputRoot)) {
    const m = readManifest(layout.releaseDir(v));
    if (m?.run_id === run.run_id) {
      await ctx.work.discard(layout);
      return { dir: layout.releaseDir(v), manifest: m, stats: JSON.parse(readFileSync(path.join(layout.releaseDir(v), 'stats.json'), 'utf8')) as RunStats };
    }
  }
  const tasks = await checkRunComplete(ctx);
  const versions = releaseVersions(layout.outputRoot);
  const version = versions.includes(run.version) ? versions[versions.length - 1] + 1 : run.version;
  const stats = mergeStats(tasks, statsOrder(pipeline));

  const previousVersion = versions.length ? versions[versions.length - 1] : undefined;
  const prev = previousVersion !== undefined ? readManifest(layout.releaseDir(previousVersion)) : undefined;
  const { staging, manifest: sealed } = await assembleRelease(ctx, tasks, stats, version, prev);
  const dir = layout.releaseDir(version);
  renameSync(staging, dir); // the release appears whole, or not at all
  await ctx.work.discard(layout);
  return { dir, manifest: sealed, stats };
}
