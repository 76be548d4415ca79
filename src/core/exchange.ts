import { appendFileSync, existsSync, readFileSync, renameSync } from 'node:fs';
import path from 'node:path';
import { ensureDir, listFilesSorted, removeIfExists } from './fs.js';

/**
 * How global stages move lines between ranks (map → reduce, reduce → apply). Producer `p`
 * writes one file per destination into `<root>/from-<p>.partial/`, then one rename publishes
 * `<root>/from-<p>/`. A consumer reads only published folders, so a producer killed halfway
 * is invisible, and a retried producer starts from nothing.
 */
export class ExchangeWriter {
  private readonly dir: string;
  private readonly partial: string;
  private readonly pending: string[][];
  private held = 0;

  constructor(
    root: string,
    producer: number,
    destinations: number,
    private readonly flushEvery = 20_000,
  ) {
    this.dir = path.join(root, `from-${producer}`);
    this.partial = `${this.dir}.partial`;
    removeIfExists(this.dir);
    removeIfExists(this.partial); // appended halves of a killed earlier attempt
    ensureDir(this.partial);
    this.pending = Array.from({ length: destinations }, () => []);
  }

  push(destination: number, line: string): void {
    this.pending[destination].push(line);
    if (++this.held >= this.flushEvery) this.flush();
  }

  private flush(): void {
    this.pending.forEach((lines, d) => {
      if (lines.length) appendFileSync(path.join(this.partial, `to-${d}.jsonl`), lines.join('\n') + '\n');
      lines.length = 0;
    });
    this.held = 0;
  }

  /** Flush and publish: after this the destinations see every line, before it none. */
  publish(): void {
    this.flush();
    removeIfExists(this.dir);
    renameSync(this.partial, this.dir);
  }
}

/** Every line addressed to `destination`, producer by producer in rank order. */
export function* readExchange(root: string, destination: number): Generator<string> {
  const producers = listFilesSorted(root, (n) => /^from-\d+$/.test(n)).sort((a, b) => rankOf(a) - rankOf(b));
  for (const from of producers) {
    const file = path.join(from, `to-${destination}.jsonl`);
    if (!existsSync(file)) continue; // that producer sent nothing here
    for (const line of readFileSync(file, 'utf8').split('\n')) if (line) yield line;
  }
}

function rankOf(dir: string): number {
  return Number(path.basename(dir).slice('from-'.length));
}
