import { copyFileSync, existsSync, linkSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { ensureDir, removeIfExists, writeFileAtomic } from '../core/fs.js';
import { THRESHER_VERSION } from '../core/version.js';
import type { TaskContext } from '../engine/task.js';
import { outputColumns } from '../engine/schema.js';
import type { RunStats, TaskStats } from '../engine/stats.js';
import { renderCard } from './card.js';
import { REPORT_FILE, writeRunReport } from '../report/write.js';
import type { StageDefinition } from '../core/stage.js';
import { eachLimited } from '../core/limit.js';
import { describeFile, sealManifest, type Manifest, type ManifestFile, type ManifestSection } from './manifest.js';

/**
 * A release assembled in the run's staging folder (hard links to the work folder's shards):
 * data, excluded records, stage artifacts, pipeline.yaml, stats.json, the run report
 * (report.html), the card, and manifest.json written last. Publication (a rename, or an upload to an object store) is the
 * caller's.
 */
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

type ReleaseFile = { abs: string; rel: string; rows?: number | null };

/** sha256, size and rows of `files`, in their order; a few at a time (bounded open files). */
async function describeAll(files: ReleaseFile[]): Promise<ManifestFile[]> {
  const out: ManifestFile[] = new Array<ManifestFile>(files.length);
  await eachLimited(
    files.map((_, i) => i),
    4,
    async (i) => void (out[i] = await describeFile(files[i].abs, files[i].rel, files[i].rows)),
  );
  return out;
}

/**
 * Stages turn their partials into release files (entry counts, plots, lists of removals) and
 * may add a section to the manifest and the card. Files under `<stageDir>/artifacts/` are
 * placed in the staging folder as `artifacts/<index>-<name>/...` and added to `files`.
 */
async function summarizeStages(ctx: TaskContext, staging: string, files: ReleaseFile[]): Promise<Record<string, ManifestSection>> {
  const { layout, run, pipeline } = ctx;
  const sections: Record<string, ManifestSection> = {};
  for (const resolved of pipeline.stages) {
    const stage = (resolved.definition as StageDefinition<unknown>).create(resolved.params, pipeline.env);
    if (!stage.summarize) continue;
    const stageDir = layout.stageDir(resolved.index, resolved.name);
    const prefix = `artifacts/${resolved.index}-${resolved.name}/`;
    const section = await stage.summarize({ step: 'finalize', rank: 0, worldSize: run.world_size, seed: run.seed, stageDir, artifactsPath: prefix });
    const artifacts = path.join(stageDir, 'artifacts');
    let placed = false;
    if (existsSync(artifacts)) {
      for (const name of (readdirSync(artifacts, { recursive: true }) as string[]).sort()) {
        const from = path.join(artifacts, name);
        if (name.split(path.sep).some((part) => part.startsWith('.')) || !statSync(from).isFile()) continue;
        const rel = prefix + name.split(path.sep).join('/');
        ensureDir(path.dirname(path.join(staging, rel)));
        place(from, path.join(staging, rel));
        files.push({ abs: path.join(staging, rel), rel });
        placed = true;
      }
    }
    if (!section) continue;
    const { key, ...rest } = section;
    const unique = Object.hasOwn(sections, key) ? `${key}-${resolved.index}` : key;
    sections[unique] = { stage: `${resolved.index}-${resolved.name}`, artifacts: placed ? prefix : null, ...rest };
  }
  return sections;
}

/**
 * Assembles release `version` of a complete run in `layout.stagingDir(run_id)`; `prev` is the
 * release before it (for `previous` and `changes`). Returns the sealed manifest.
 */
export async function assembleRelease(ctx: TaskContext, tasks: TaskStats[], stats: RunStats, version: number, prev: Manifest | undefined): Promise<{ staging: string; manifest: Manifest }> {
  const { layout, run, pipeline } = ctx;
  const staging = layout.stagingDir(run.run_id);
  removeIfExists(staging);
  const files = placeShards(ctx, tasks, staging);
  // The shards are final: hash them while the stages summarise and the report's queries run on DuckDB's threads.
  const shards = files.length;
  const describingShards = describeAll(files.slice());
  describingShards.catch(() => undefined); // awaited below; a failure must not surface before then as unhandled
  const sections = await summarizeStages(ctx, staging, files);
  writeFileAtomic(path.join(staging, 'pipeline.yaml'), pipeline.text);
  writeFileAtomic(path.join(staging, 'stats.json'), JSON.stringify(stats, null, 1) + '\n');
  files.push({ abs: path.join(staging, 'pipeline.yaml'), rel: 'pipeline.yaml', rows: null }, { abs: path.join(staging, 'stats.json'), rel: 'stats.json', rows: null });
  const report = await writeRunReport(staging, {
    name: pipeline.spec.name,
    version: `v${version}`,
    ...(pipeline.spec.output.description ? { description: pipeline.spec.output.description } : {}),
    thresher_version: THRESHER_VERSION,
    stats,
    files: files.map((f) => f.rel),
    schema: outputColumns(pipeline, run.input_columns),
    contentColumn: pipeline.env.contentColumn,
  });
  files.push({ abs: report, rel: REPORT_FILE, rows: null });

  const described = [...(await describingShards), ...(await describeAll(files.slice(shards)))];

  const manifest = describeRelease(ctx, stats, version, prev, described, sections);
  // The card first: the manifest records its checksum, then a digest over all of itself.
  const card = Buffer.from(renderCard(manifest), 'utf8');
  writeFileAtomic(path.join(staging, 'README.md'), card);
  const sealed = sealManifest(manifest, card, 'README.md');
  writeFileAtomic(path.join(staging, 'manifest.json'), JSON.stringify(sealed, null, 1) + '\n');
  return { staging, manifest: sealed };
}

/** Moves the output shards and the excluded-record files into the staging folder. */
function placeShards(ctx: TaskContext, tasks: TaskStats[], staging: string): ReleaseFile[] {
  const { layout } = ctx;
  const files: ReleaseFile[] = [];
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
  return files;
}

/** The manifest of the release, before the card's checksum and the digest seal it. */
function describeRelease(ctx: TaskContext, stats: RunStats, version: number, prev: Manifest | undefined, described: Manifest['files'], sections: NonNullable<Manifest['sections']>): Manifest {
  const { run, pipeline } = ctx;
  const outputRecords = stats.stages.write?.records_out ?? 0;
  const dataFiles = described.filter((f) => f.path.startsWith('data/'));
  const prevHashes = new Set(prev?.files.filter((f) => f.path.startsWith('data/')).map((f) => f.sha256) ?? []);
  const sameFiles = dataFiles.filter((f) => prevHashes.has(f.sha256)).length;

  const input = pipeline.spec.input;
  return {
    format: 'thresher-release/1',
    name: pipeline.spec.name,
    ...(pipeline.spec.output.description ? { description: pipeline.spec.output.description } : {}),
    version: `v${version}`,
    run_id: run.run_id,
    created_at: new Date().toISOString(),
    thresher_version: THRESHER_VERSION,
    // the pipeline file by name: a local absolute path has no place in a published dataset
    pipeline: { file: 'pipeline.yaml', source: path.basename(pipeline.file), sha256: pipeline.sha256 },
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
    ...(Object.keys(sections).length > 0 ? { sections } : {}),
    files: described,
  };
}
