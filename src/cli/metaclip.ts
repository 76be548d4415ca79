import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { ThresherError } from '../core/errors.js';
import { writeFileAtomic } from '../core/fs.js';
import { countCommand, matchCommand } from './metaclip-match.js';
import { buildMetadataCommand, mergeMetadataCommand } from './metaclip-build.js';
import { curateCommand } from './metaclip-curate.js';
import { positiveNumber, wholeNumber } from './args.js';

/** Loaded when a command runs (see main.ts). */
const metaclip = () => import('../metaclip/index.js');

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
  cmd.addCommand(balanceCommand());
  cmd.addCommand(thresholdCommand());
  cmd.addCommand(curateCommand(withInput));
  cmd.addCommand(redrawCommand());
  return cmd;
}

/** `metaclip balance`: the balancing draw over a `match` output, without the engine. */
function balanceCommand(): Command {
  return new Command('balance')
    .description('keep each text of a `match` output with probability 1 − Π(1 − t/max(count,t)); writes the kept lines')
    .requiredOption('--matches <file>', 'output of `thresher metaclip match`')
    .requiredOption('--counts <file>', 'entry_counts.json from `thresher metaclip count`')
    .requiredOption('-m, --metadata <file>', 'the metadata the counts refer to')
    .requiredOption('-t, --t <t>', 'threshold', positiveNumber)
    .option('--seed <n>', 'seed of the per-record draws', wholeNumber(0), 0)
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
}

/** `metaclip threshold`: t and tail share, either way. */
function thresholdCommand(): Command {
  return new Command('threshold')
    .description("t ↔ tail share from entry counts (MetaCLIP 2's t_to_p and p_to_t)")
    .requiredOption('--counts <file>', 'entry_counts.json')
    .option('-t, --t <t>', 'print the tail share of this t', positiveNumber)
    .option('-p, --tail-share <p>', 'print the t whose tail share is closest to p', positiveNumber)
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
}

/** `metaclip redraw`: another epoch's draw from a release's candidates. */
function redrawCommand(): Command {
  return new Command('redraw')
    .description("epoch N's subset of a release made with metaclip_balance keep: candidates (MetaCLIP 2 re-balances every epoch)")
    .argument('<release>', 'release folder, e.g. out/v1')
    .requiredOption('--epoch <n>', "epoch; 0 is the release's own draw", wholeNumber(0))
    .requiredOption('-o, --out <file>', 'output .parquet or .jsonl')
    .action(async (release: string, o: { epoch: number; out: string }) => {
      const { redrawRelease } = await import('./metaclip-redraw.js');
      const r = await redrawRelease(path.resolve(release), o.epoch, path.resolve(o.out));
      console.log(`epoch ${o.epoch}: ${r.kept} of ${r.candidates} candidates → ${o.out}`);
    });
}
