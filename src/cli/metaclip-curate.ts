/** `thresher metaclip curate`: writes a match → count → balance pipeline for a pool and runs it. */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { ThresherError } from '../core/errors.js';
import { positiveNumber, wholeNumber } from './args.js';
import { inputSpec, type InputOpts } from './input.js';
import { checkPerLanguageOptions, metadataSpec, withMetadata, type MetadataOpts } from './metaclip-match.js';

type CurateOpts = InputOpts &
  MetadataOpts & {
    anchorLanguage?: string;
    out: string;
    t?: number;
    tailShare?: number;
    targetSize?: number;
    mode: string;
    imageField: string;
    seed: number;
    tasks: number;
    workers?: number;
    quiet?: boolean;
  };

export function curateCommand(withInput: (c: Command) => Command): Command {
  return withMetadata(
    withInput(new Command('curate').description('match, count and balance a pool through the engine: workers, resume, release with counts and plot')),
    'per-language metadata: field holding each text’s language label (default: identified with lang_id, fastText lid.176)',
  )
    .option('--anchor-language <lang>', 'per-language metadata: the language that keeps t; the others get the t of the same tail share')
    .requiredOption('-o, --out <dir>', 'output folder: pipeline.yaml and releases v1, v2, ...')
    .option('-t, --t <t>', 'threshold t', positiveNumber)
    .option('-p, --tail-share <p>', 'choose t for this tail share', positiveNumber)
    .option('--target-size <n>', 'choose t for this expected number of kept texts', positiveNumber)
    .option('--mode <mode>', 'text (MetaCLIP 1) or image (MetaCLIP 2: one text per image)', 'text')
    .option('--image-field <name>', 'image mode: field identifying the image', 'url')
    .option('--seed <n>', 'seed', wholeNumber(0), 0)
    .option('--tasks <n>', 'tasks per step', wholeNumber(0), 8)
    .option('-w, --workers <n>', 'worker threads (default: all cores)', wholeNumber(0))
    .option('-q, --quiet', 'no progress output')
    .action(runCurate);
}

/**
 * The pipeline file's content. Paths are relative to the pipeline's folder: the pipeline file is
 * released with the data, and a local absolute path (/home/...) has no business in a published
 * dataset.
 */
function curateSpec(o: CurateOpts, outDir: string) {
  const metadata = metadataSpec(o.metadata, outDir);
  const perLanguage = typeof metadata === 'object';
  checkPerLanguageOptions(perLanguage, o);
  const languageColumn = o.languageField ?? 'language';
  const match = {
    metadata,
    ...(perLanguage ? { language_column: languageColumn } : {}),
    ...(o.routing ? { routing: path.relative(outDir, path.resolve(o.routing)) } : {}),
    ...(o.fallbackLanguage ? { fallback_language: o.fallbackLanguage } : {}),
    ...(o.padding ? { padding: o.padding } : {}),
  };
  const balance = {
    ...(o.t !== undefined ? { t: o.t } : o.tailShare !== undefined ? { tail_share: o.tailShare } : { target_size: Math.round(o.targetSize!) }),
    mode: o.mode,
    ...(o.mode === 'image' ? { image_column: o.imageField } : {}),
    metadata,
    ...(o.anchorLanguage ? { anchor_language: o.anchorLanguage } : {}),
  };
  return {
    name: 'metaclip-curation',
    input: inputSpec(o, outDir),
    stages: [...(perLanguage && !o.languageField ? [{ lang_id: { column: languageColumn } }] : []), { metaclip_match: match }, { metaclip_balance: balance }],
    output: { path: '.', description: `MetaCLIP curation of ${path.basename(o.input)} with ${perLanguage ? `metadata in ${Object.keys(metadata).join(', ')}` : path.basename(metadata)}.` },
    execution: { tasks: o.tasks, seed: o.seed },
  };
}

async function runCurate(o: CurateOpts): Promise<void> {
  const choices = [o.t, o.tailShare, o.targetSize].filter((x) => x !== undefined).length;
  if (choices !== 1) throw new ThresherError('give exactly one of --t, --tail-share, --target-size');
  const outDir = path.resolve(o.out);
  const spec = curateSpec(o, outDir);
  mkdirSync(outDir, { recursive: true });
  const file = path.join(outDir, 'pipeline.yaml');
  // the worker threads load their modules while this thread loads the engine
  const { createWorkerPool, destroyPool } = await import('../executors/pool.js');
  const pool = createWorkerPool(o.workers, o.tasks);
  const [{ stringify }, { runPipeline }, { createProgress, silentProgress }, { printRunSummary }] = await Promise.all([
    import('yaml'),
    import('../executors/run-pipeline.js'),
    import('../executors/progress.js'),
    import('./summary.js'),
  ]);
  try {
    writeFileSync(file, stringify(spec));
  } catch (err) {
    await destroyPool(pool);
    throw err;
  }
  const result = await runPipeline(file, { workers: o.workers, pool, progress: o.quiet ? silentProgress : createProgress(), log: o.quiet ? undefined : (l) => process.stderr.write(l + '\n') });
  printRunSummary(result);
  const balanceDir = path.join(result.dir, 'artifacts', `${spec.stages.length - 1}-metaclip_balance`);
  console.log(`metaclip: ${readFileSync(path.join(balanceDir, 'summary.json'), 'utf8').replace(/\s+/g, ' ').trim()}`);
  console.log(`report: ${path.relative(process.cwd(), path.join(balanceDir, 'report.html'))}`);
}
