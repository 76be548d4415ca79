import { createWriteStream, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import { ThresherError } from '../core/errors.js';
import { writeFileAtomic } from '../core/fs.js';
import { inputSpec, texts, type InputOpts } from './input.js';
import { buildMetadataCommand, mergeMetadataCommand } from './metaclip-build.js';
import type { PaddingRule } from '../metaclip/automaton.js';

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

  withInput(cmd.command('match').description('write each text\'s matched entry ids as JSONL {"id","matches"}'))
    .requiredOption('-m, --metadata <file>', 'MetaCLIP metadata.json (list of entries; .gz accepted)')
    .option('-o, --out <file>', 'output JSONL (default: stdout)')
    .addOption(paddingOption())
    .action(async (o: InputOpts & { metadata: string; out?: string; padding: PaddingRule }) => {
      const { loadMetadataSync, MetaclipMatcher } = await metaclip();
      const matcher = MetaclipMatcher.build(loadMetadataSync(path.resolve(o.metadata)), { padding: o.padding });
      const out: NodeJS.WritableStream = o.out ? createWriteStream(o.out) : process.stdout;
      for await (const { id, text } of texts(o)) {
        const ids = text === null ? [] : Array.from(matcher.matchView(text));
        if (!out.write(`{"id":${JSON.stringify(id)},"matches":[${ids.join(',')}]}\n`)) await new Promise<void>((r) => out.once('drain', () => r()));
      }
      if (o.out) await new Promise<void>((r) => out.end(() => r()));
    });

  withInput(cmd.command('count').description("count[e] = number of texts matching entry e, in MetaCLIP's entry_counts format"))
    .requiredOption('-m, --metadata <file>', 'MetaCLIP metadata.json')
    .requiredOption('-o, --out <file>', 'entry_counts.json to write')
    .addOption(paddingOption())
    .action(async (o: InputOpts & { metadata: string; out: string; padding: PaddingRule }) => {
      const { loadMetadataSync, MetaclipMatcher } = await metaclip();
      const entries = loadMetadataSync(path.resolve(o.metadata));
      const matcher = MetaclipMatcher.build(entries, { padding: o.padding });
      const counts = new Uint32Array(entries.length);
      let n = 0;
      let matched = 0;
      for await (const { text } of texts(o)) {
        n++;
        if (text === null) continue;
        const ids = matcher.matchView(text);
        if (ids.length) matched++;
        for (let i = 0; i < ids.length; i++) counts[ids[i]]++;
      }
      const obj: Record<string, number> = {};
      counts.forEach((c, e) => c > 0 && (obj[entries[e]] = c));
      writeFileAtomic(path.resolve(o.out), JSON.stringify(obj));
      console.log(`${n} texts, ${matched} matched (${((100 * matched) / Math.max(n, 1)).toFixed(1)}%), ${Object.keys(obj).length} entries seen → ${o.out}`);
    });

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

  withInput(cmd.command('curate').description('match, count and balance a pool through the engine: workers, resume, release with counts and plot'))
    .option('-m, --metadata <spec>', 'MetaCLIP metadata.json, or lang=file once per language (MetaCLIP 2)', (v: string, all: string[]) => [...all, v], [] as string[])
    .option('--language-field <name>', 'per-language metadata: field naming each text’s language (default: identified with lang_id)')
    .option('--anchor-language <lang>', 'per-language metadata: the language that keeps t; the others get the t of the same tail share')
    .requiredOption('-o, --out <dir>', 'output folder: pipeline.yaml and releases v1, v2, ...')
    .option('-t, --t <t>', 'threshold t', num)
    .option('-p, --tail-share <p>', 'choose t for this tail share', num)
    .option('--target-size <n>', 'choose t for this expected number of kept texts', num)
    .option('--mode <mode>', 'text (MetaCLIP 1) or image (MetaCLIP 2: one text per image)', 'text')
    .option('--image-field <name>', 'image mode: field identifying the image', 'url')
    .addOption(new Option('--padding <rule>', 'entry padding and text stripping (default: metaclip2 in image mode, else metaclip1)').choices(['metaclip1', 'metaclip2']))
    .option('--seed <n>', 'seed', intArg, 0)
    .option('--tasks <n>', 'tasks per step', intArg, 8)
    .option('-w, --workers <n>', 'worker threads (default: all cores)', intArg)
    .option('-q, --quiet', 'no progress output')
    .action(
      async (
        o: InputOpts & {
          metadata: string[];
          languageField?: string;
          anchorLanguage?: string;
          out: string;
          t?: number;
          tailShare?: number;
          targetSize?: number;
          mode: string;
          imageField: string;
          padding?: PaddingRule;
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
        if (!perLanguage && (o.languageField || o.anchorLanguage)) throw new ThresherError('--language-field and --anchor-language need per-language metadata (-m lang=file, once per language)');
        const languageColumn = o.languageField ?? 'language';
        const spec = {
          name: 'metaclip-curation',
          input: inputSpec(o, outDir),
          stages: [
            ...(perLanguage && !o.languageField ? [{ lang_id: { column: languageColumn } }] : []),
            { metaclip_match: { metadata, ...(perLanguage ? { language_column: languageColumn } : {}), ...(o.padding ? { padding: o.padding } : {}) } },
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
        const pool = (await import('../executors/pool.js')).createWorkerPool(o.workers, o.tasks);
        const [{ stringify }, { runPipeline }, { createProgress, silentProgress }, { printRunSummary }] = await Promise.all([
          import('yaml'),
          import('../executors/run-pipeline.js'),
          import('../executors/progress.js'),
          import('./summary.js'),
        ]);
        try {
          writeFileSync(file, stringify(spec));
        } catch (err) {
          await pool.destroy();
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

/** MetaCLIP 1 pads every entry with spaces; MetaCLIP 2 pads by script and strips texts as Python does. */
function paddingOption(): Option {
  return new Option('--padding <rule>', 'entry padding: metaclip1 (spaces) or metaclip2 (hybrid, texts stripped as Python)').choices(['metaclip1', 'metaclip2']).default('metaclip1');
}

/**
 * `-m metadata.json` (one file) or `-m en=en.json -m zh=zh.json` (MetaCLIP 2, one per language),
 * as paths relative to the output folder, where the pipeline file is written.
 */
function metadataSpec(specs: string[], outDir: string): string | Record<string, string> {
  if (specs.length === 0) throw new ThresherError("required option '-m, --metadata <spec>' not specified");
  const rel = (f: string) => path.relative(outDir, path.resolve(f));
  const pairs = specs.map((s) => /^([^=/\\]+)=(.+)$/.exec(s));
  if (pairs.every((m) => m === null)) {
    if (specs.length > 1) throw new ThresherError('-m given twice: give one metadata file, or lang=file once per language');
    return rel(specs[0]);
  }
  const bad = specs.find((_, i) => pairs[i] === null);
  if (bad !== undefined) throw new ThresherError(`-m ${bad}: with per-language metadata every -m is lang=file`);
  const out: Record<string, string> = {};
  for (const m of pairs) {
    if (out[m![1]] !== undefined) throw new ThresherError(`-m: language ${m![1]} given twice`);
    out[m![1]] = rel(m![2]);
  }
  return out;
}
