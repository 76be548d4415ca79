import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { ThresherError } from '../core/errors.js';
import { writeFileAtomic } from '../core/fs.js';
import { inputSpec, type InputOpts } from './input.js';
import { checkPerLanguageOptions, countCommand, matchCommand, metadataSpec, withMetadata, type MetadataOpts } from './metaclip-match.js';
import { buildMetadataCommand, mergeMetadataCommand } from './metaclip-build.js';

/** Loaded when a command runs (see main.ts). */
const metaclip = () => import('../metaclip/index.js');

function num(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('expected a positive number');
  return n;
}

function intArg(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected a whole number');
  return n;
}

function withInput(cmd: Command): Command {
  return cmd
    .requiredOption('-i, --input <file>', 'JSONL (.gz/.zst), JSON document or Parquet file')
    .option('--text-field <name>', 'field holding the text', 'text')
    .option('--id-field <name>', 'field holding the record id (default: <file>:<row>)')
    .option('--records-path <path>', 'JSON documents: where the record array is, e.g. annotations');
}

export function metaclipCommand(): Command {
  const cmd = new Command('metaclip').description('MetaCLIP curation: match texts to metadata, count entries, balance, curate');

  cmd.addCommand(buildMetadataCommand());
  cmd.addCommand(mergeMetadataCommand());

  cmd.addCommand(matchCommand(withInput));
  cmd.addCommand(countCommand(withInput));

  cmd
    .command('balance')
    .description('keep each text of a `match` output with probability 1 − Π(1 − t/max(count,t)); writes the kept lines')
    .requiredOption('--matches <file>', 'output of `thresher metaclip match`')
    .requiredOption('--counts <file>', 'entry_counts.json from `thresher metaclip count`')
    .requiredOption('-m, --metadata <file>', 'the metadata the counts refer to')
    .requiredOption('-t, --t <t>', 'threshold', num)
    .option('--seed <n>', 'seed of the per-record draws', intArg, 0)
    .option('-o, --out <file>', 'kept lines (default: stdout)')
    .action(async (o: { matches: string; counts: string; metadata: string; t: number; seed: number; out?: string }) => {
      const { entryProbabilities, keepText, loadMetadataSync } = await metaclip();
      const entries = loadMetadataSync(path.resolve(o.metadata));
      const byEntry = JSON.parse(readFileSync(o.counts, 'utf8')) as Record<string, number>;
      const probs = entryProbabilities(
        entries.map((e) => byEntry[e] ?? 0),
        o.t,
      );
      const lines = readFileSync(o.matches, 'utf8').split('\n');
      const kept: string[] = [];
      let total = 0;
      for (const line of lines) {
        if (!line) continue;
        total++;
        const r = JSON.parse(line) as { id: string; matches: number[] };
        if (r.matches.length && keepText(r.matches, probs, o.seed, r.id)) kept.push(line);
      }
      if (o.out) writeFileAtomic(o.out, kept.join('\n') + (kept.length ? '\n' : ''));
      else process.stdout.write(kept.join('\n') + (kept.length ? '\n' : ''));
      process.stderr.write(`kept ${kept.length} of ${total} texts at t=${o.t}\n`);
    });

  cmd
    .command('threshold')
    .description("t ↔ tail share from entry counts (MetaCLIP 2's t_to_p and p_to_t)")
    .requiredOption('--counts <file>', 'entry_counts.json')
    .option('-t, --t <t>', 'print the tail share of this t', num)
    .option('-p, --tail-share <p>', 'print the t whose tail share is closest to p', num)
    .action(async (o: { counts: string; t?: number; tailShare?: number }) => {
      const { tailShare, thresholdForTailShare } = await metaclip();
      const counts = Object.values(JSON.parse(readFileSync(o.counts, 'utf8')) as Record<string, number>);
      if (o.t !== undefined) console.log(JSON.stringify({ t: o.t, tail_share: tailShare(counts, o.t) }));
      if (o.tailShare !== undefined) {
        const t = thresholdForTailShare(counts, o.tailShare);
        console.log(JSON.stringify({ tail_share_target: o.tailShare, t, tail_share: tailShare(counts, t) }));
      }
      if (o.t === undefined && o.tailShare === undefined) throw new ThresherError('give --t or --tail-share');
    });

  withMetadata(
    withInput(cmd.command('curate').description('match, count and balance a pool through the engine: workers, resume, release with counts and plot')),
    'per-language metadata: field holding each text’s language label (default: identified with lang_id, fastText lid.176)',
  )
    .option('--anchor-language <lang>', 'per-language metadata: the language that keeps t; the others get the t of the same tail share')
    .requiredOption('-o, --out <dir>', 'output folder: pipeline.yaml and releases v1, v2, ...')
    .option('-t, --t <t>', 'threshold t', num)
    .option('-p, --tail-share <p>', 'choose t for this tail share', num)
    .option('--target-size <n>', 'choose t for this expected number of kept texts', num)
    .option('--mode <mode>', 'text (MetaCLIP 1) or image (MetaCLIP 2: one text per image)', 'text')
    .option('--image-field <name>', 'image mode: field identifying the image', 'url')
    .option('--seed <n>', 'seed', intArg, 0)
    .option('--tasks <n>', 'tasks per step', intArg, 8)
    .option('-w, --workers <n>', 'worker threads (default: all cores)', intArg)
    .option('-q, --quiet', 'no progress output')
    .action(
      async (
        o: InputOpts &
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
          },
      ) => {
        const choices = [o.t, o.tailShare, o.targetSize].filter((x) => x !== undefined).length;
        if (choices !== 1) throw new ThresherError('give exactly one of --t, --tail-share, --target-size');
        // Paths relative to the pipeline's folder: the pipeline file is released with the data,
        // and a local absolute path (/home/...) has no business in a published dataset.
        const outDir = path.resolve(o.out);
        const metadata = metadataSpec(o.metadata, outDir);
        const perLanguage = typeof metadata === 'object';
        checkPerLanguageOptions(perLanguage, o);
        const languageColumn = o.languageField ?? 'language';
        const spec = {
          name: 'metaclip-curation',
          input: inputSpec(o, outDir),
          stages: [
            ...(perLanguage && !o.languageField ? [{ lang_id: { column: languageColumn } }] : []),
            {
              metaclip_match: {
                metadata,
                ...(perLanguage ? { language_column: languageColumn } : {}),
                ...(o.routing ? { routing: path.relative(outDir, path.resolve(o.routing)) } : {}),
                ...(o.fallbackLanguage ? { fallback_language: o.fallbackLanguage } : {}),
                ...(o.padding ? { padding: o.padding } : {}),
              },
            },
            {
              metaclip_balance: {
                ...(o.t !== undefined ? { t: o.t } : o.tailShare !== undefined ? { tail_share: o.tailShare } : { target_size: Math.round(o.targetSize!) }),
                mode: o.mode,
                ...(o.mode === 'image' ? { image_column: o.imageField } : {}),
                metadata,
                ...(o.anchorLanguage ? { anchor_language: o.anchorLanguage } : {}),
              },
            },
          ],
          output: { path: '.', description: `MetaCLIP curation of ${path.basename(o.input)} with ${perLanguage ? `metadata in ${Object.keys(metadata).join(', ')}` : path.basename(metadata)}.` },
          execution: { tasks: o.tasks, seed: o.seed },
        };
        mkdirSync(path.resolve(o.out), { recursive: true });
        const file = path.join(path.resolve(o.out), 'pipeline.yaml');
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
      },
    );
  cmd
    .command('redraw')
    .description("epoch N's subset of a release made with metaclip_balance keep: candidates (MetaCLIP 2 re-balances every epoch)")
    .argument('<release>', 'release folder, e.g. out/v1')
    .requiredOption('--epoch <n>', "epoch; 0 is the release's own draw", intArg)
    .requiredOption('-o, --out <file>', 'output .parquet or .jsonl')
    .action(async (release: string, o: { epoch: number; out: string }) => {
      const { redrawRelease } = await import('./metaclip-redraw.js');
      const r = await redrawRelease(path.resolve(release), o.epoch, path.resolve(o.out));
      console.log(`epoch ${o.epoch}: ${r.kept} of ${r.candidates} candidates → ${o.out}`);
    });
  return cmd;
}
