import { createWriteStream } from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { writeOrWait } from '../core/streams.js';
import { texts } from './input.js';
import { wholeNumber } from './args.js';

const contextLength = wholeNumber(2, 'room for the start and end tokens');

/** Loaded when a command runs (see main.ts). */
const clip = () => import('../models/clip/index.js');

interface TokenizeOpts {
  input: string;
  out: string;
  textField: string;
  idField: string;
  contextLength?: number;
}

export function clipCommand(): Command {
  const cmd = new Command('clip').description("CLIP tools: openai/CLIP's tokenizer, exact");

  cmd
    .command('tokenize')
    .description('CLIP token ids of every text as JSONL {"id","ids"}: <|startoftext|> … <|endoftext|>, no padding')
    .requiredOption('-i, --input <file>', 'JSONL (.gz/.zst), JSON document or Parquet file')
    .requiredOption('-o, --out <file>', 'JSONL to write')
    .option('--text-field <name>', 'field holding the text', 'text')
    .option('--id-field <name>', 'field holding the record id', 'id')
    .option('--context-length <n>', 'cut longer lists to n tokens ending in <|endoftext|>, as clip.tokenize(truncate=True)', contextLength)
    .action(async (o: TokenizeOpts) => {
      const { clipTokenizer } = await clip();
      const tokenizer = clipTokenizer();
      const out = createWriteStream(path.resolve(o.out));
      let written = 0;
      let noText = 0;
      let tokens = 0;
      for await (const { id, text } of texts(o)) {
        if (text === null) {
          noText++; // CLIP has no ids for a missing text; an empty one gets SOT EOT
          continue;
        }
        const ids = tokenizer.tokenize(text, o.contextLength);
        tokens += ids.length;
        written++;
        await writeOrWait(out, `{"id":${JSON.stringify(id)},"ids":[${ids.join(',')}]}\n`);
      }
      await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
      process.stderr.write(`${written} texts, ${tokens} tokens → ${o.out}${noText ? `; ${noText} ${noText === 1 ? 'record' : 'records'} without a text left out` : ''}\n`);
    });

  return cmd;
}
