import { copyFileSync, existsSync, linkSync, readFileSync, readdirSync, renameSync, statSync } from 'node:fs';
import path from 'node:path';
import { ensureDir, removeIfExists, writeFileAtomic } from '../core/fs.js';
import { THRESHER_VERSION } from '../core/version.js';
import type { TaskContext } from '../engine/task.js';
import { outputColumns } from '../engine/schema.js';
import { checkRunComplete } from '../engine/completeness.js';
import { mergeStats, type RunStats } from '../engine/stats.js';
import { statsOrder } from '../engine/plan.js';
import { releaseVersions } from '../engine/run-state.js';
import { renderCard } from './card.js';
import { describeFile, sealManifest, type Manifest, type ManifestFile } from './manifest.js';

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

/** Inputs named relative to the pipeline file: an absolute local path must not leak into a published card. */
function relativeInputPath(p: string | string[], baseDir: string): string | string[] {
  const rel = (x: string) => (path.isAbsolute(x) ? path.relative(baseDir, x) || '.' : x);
  return Array.isArray(p) ? p.map(rel) : rel(p);
}

/** Hard link when possible (no copy of big shards), else copy. */
function place(from: string, to: string): void {
  try {
    linkSync(from, to);
  } catch {
    copyFileSync(from, to);
  }
}

/**
 * Turns a completed run into an immutable release: check that the run is whole (completeness.ts),
 * assemble it in a staging folder, then one rename makes `vN` appear whole. Idempotent: if a release with this run id already exists
 * (killed after the rename), it is returned as is.
 */
export async function finalizeRelease(ctx: TaskContext): Promise<ReleaseResult> {
  const { layout, run, pipeline } = ctx;
  for (const v of releaseVersions(layout.outputRoot)) {
    const m = readManifest(layout.releaseDir(v));
    if (m?.run_id === run.run_id) {
      removeIfExists(layout.workDir);
      return { dir: layout.releaseDir(v), manifest: m, stats: JSON.parse(readFileSync(path.join(layout.releaseDir(v), 'stats.json'), 'utf8')) as RunStats };
    }
  }
  const tasks = await checkRunComplete(ctx);
  const versions = releaseVersions(layout.outputRoot);
  const version = versions.includes(run.version) ? versions[versions.length - 1] + 1 : run.version;
  const stats = mergeStats(tasks, statsOrder(pipeline));

  const staging = layout.stagingDir(run.run_id);
  removeIfExists(staging);
  const files: { abs: string; rel: string; rows?: number | null }[] = [];
  // Row counts come from the writers (in the task markers): no need to reopen every shard.
  const rowsOf = new Map<string, number>();
  for (const t of tasks) for (const o of t.outputs ?? []) rowsOf.set(path.join(layout.workDir, o.path), o.rows);
  const dataSrc = layout.outputDataDir;
  ensureDir(path.join(staging, 'data'));
  for (const name of existsSync(dataSrc)
    ? readdirSync(dataSrc)
        .filter((n) => !n.startsWith('.'))
        .sort()
    : []) {
    place(path.join(dataSrc, name), path.join(staging, 'data', name));
    files.push({ abs: path.join(staging, 'data', name), rel: `data/${name}`, rows: rowsOf.get(path.join(dataSrc, name)) });
  }
  const segments = tasks.filter((t) => t.step.startsWith('segment-') && t.rank === 0).length;
  for (let k = 0; k < segments; k++) {
    const src = layout.segmentExcludedDir(k);
    if (!existsSync(src)) continue;
    for (const name of readdirSync(src)
      .filter((n) => !n.startsWith('.'))
      .sort()) {
      const rel = `excluded/segment-${k}-${name}`;
      ensureDir(path.join(staging, 'excluded'));
      place(path.join(src, name), path.join(staging, rel));
      files.push({ abs: path.join(staging, rel), rel, rows: rowsOf.get(path.join(src, name)) });
    }
  }
  // Global stages turn their partials into release files (entry counts, plots, summaries).
  for (const step of ctx.steps) {
    if (step.kind !== 'reduce' || !step.final) continue; // once per stage, however many reduce steps it has
    const resolved = step.stage;
    const stage = resolved.definition.create(resolved.params, pipeline.env);
    const stageDir = layout.stageDir(resolved.index, resolved.name);
    await stage.summarize?.({ step: 'finalize', rank: 0, worldSize: run.world_size, seed: run.seed, stageDir });
    const artifacts = path.join(stageDir, 'artifacts');
    if (!existsSync(artifacts)) continue;
    for (const name of (readdirSync(artifacts, { recursive: true }) as string[]).sort()) {
      const from = path.join(artifacts, name);
      if (name.split(path.sep).some((part) => part.startsWith('.')) || !statSync(from).isFile()) continue;
      const rel = `artifacts/${resolved.index}-${resolved.name}/${name.split(path.sep).join('/')}`;
      ensureDir(path.dirname(path.join(staging, rel)));
      place(from, path.join(staging, rel));
      files.push({ abs: path.join(staging, rel), rel });
    }
  }
  writeFileAtomic(path.join(staging, 'pipeline.yaml'), pipeline.text);
  writeFileAtomic(path.join(staging, 'stats.json'), JSON.stringify(stats, null, 1) + '\n');
  files.push({ abs: path.join(staging, 'pipeline.yaml'), rel: 'pipeline.yaml', rows: null }, { abs: path.join(staging, 'stats.json'), rel: 'stats.json', rows: null });

  const described: ManifestFile[] = [];
  for (const f of files) described.push(await describeFile(f.abs, f.rel, f.rows));

  const previousVersion = versions.length ? versions[versions.length - 1] : undefined;
  const prev = previousVersion !== undefined ? readManifest(layout.releaseDir(previousVersion)) : undefined;
  const outputRecords = stats.stages.write?.records_out ?? 0;
  const dataFiles = described.filter((f) => f.path.startsWith('data/'));
  const prevHashes = new Set(prev?.files.filter((f) => f.path.startsWith('data/')).map((f) => f.sha256) ?? []);
  const sameFiles = dataFiles.filter((f) => prevHashes.has(f.sha256)).length;

  const input = pipeline.spec.input;
  const manifest: Manifest = {
    format: 'thresher-release/1',
    name: pipeline.spec.name,
    ...(pipeline.spec.output.description ? { description: pipeline.spec.output.description } : {}),
    version: `v${version}`,
    run_id: run.run_id,
    created_at: new Date().toISOString(),
    thresher_version: THRESHER_VERSION,
    pipeline: { file: 'pipeline.yaml', source: pipeline.file, sha256: pipeline.sha256 },
    input: { type: input.type, path: relativeInputPath(input.path, pipeline.baseDir), files: run.input.files, bytes: run.input.bytes, fingerprint: run.input.fingerprint },
    execution: { tasks: run.world_size, seed: run.seed },
    schema: outputColumns(pipeline, run.input_columns),
    counts: {
      input_records: stats.stages.read?.records_in ?? 0,
      output_records: outputRecords,
      output_bytes: stats.stages.write?.bytes_out ?? 0,
      excluded: stats.exclusions,
      stages: Object.values(stats.stages),
    },
    previous: prev
      ? { version: prev.version, run_id: prev.run_id, output_records: prev.counts.output_records, pipeline_sha256: prev.pipeline.sha256, input_fingerprint: prev.input.fingerprint }
      : null,
    changes: prev
      ? {
          records_added: outputRecords - prev.counts.output_records,
          pipeline_changed: prev.pipeline.sha256 !== pipeline.sha256,
          input_changed: prev.input.fingerprint !== run.input.fingerprint,
          files_same: sameFiles,
          files_changed: dataFiles.length - sameFiles,
        }
      : null,
    files: described,
  };
  // The card first: the manifest records its checksum, then a digest over all of itself.
  const card = Buffer.from(renderCard(manifest), 'utf8');
  writeFileAtomic(path.join(staging, 'README.md'), card);
  const sealed = sealManifest(manifest, card, 'README.md');
  writeFileAtomic(path.join(staging, 'manifest.json'), JSON.stringify(sealed, null, 1) + '\n');
  const dir = layout.releaseDir(version);
  renameSync(staging, dir); // the release appears whole, or not at all
  removeIfExists(layout.workDir);
  return { dir, manifest: sealed, stats };
}
