import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { z } from 'zod';
import type { RecordBatch } from '../core/batch.js';
import { ThresherError } from '../core/errors.js';
import type { DataRecord, Value } from '../core/record.js';
import { defineStage, type ExcludeRow, type MapStage, type MapTaskInfo, type StageResult } from '../core/stage.js';
import { itemsFromRows, parseJsonRows, type Row } from '../decontam/benchmarks.js';
import { ContaminationMatcher, type BenchmarkItem } from '../decontam/matcher.js';
import { duckMessage, sqlString, withDuck } from '../io/duck.js';

/**
 * `decontaminate`: drops files that contain a benchmark item (a prompt or a solution from
 * user-given JSONL, JSON or Parquet files), matched case-insensitively with whitespace removed
 * (or collapsed; see decontam/normalize.ts). Items shorter than `min_length` normalised
 * characters are ignored and counted: a short item matches everything. Reason `contaminated`,
 * the detail names the benchmark, row and field.
 */
const benchmark = z.strictObject({
  /** JSONL (.jsonl, .ndjson, optionally .gz), JSON (a list of objects) or Parquet, relative to the pipeline file. */
  path: z.string().min(1),
  /** Fields whose text is an item (e.g. prompt, canonical_solution); a list of strings gives one item per element. */
  fields: z.array(z.string().min(1)).min(1),
  /** Name in exclusion details and counters; default: the file name. */
  name: z.string().min(1).optional(),
});
const params = z.strictObject({
  benchmarks: z.array(benchmark).min(1),
  /** Items shorter than this (normalised characters) are ignored. */
  min_length: z.number().int().positive().default(50),
  /** `remove`: every whitespace character is dropped before matching; `collapse`: runs become one space. */
  whitespace: z.enum(['remove', 'collapse']).default('remove'),
  /** Column holding the text; default: the pipeline's content column. */
  text_column: z.string().optional(),
});
type Params = z.infer<typeof params>;

interface LoadedBenchmarks {
  matcher: ContaminationMatcher;
  /** fields that were null or not text, over all rows */
  empty: number;
}

/** One matcher per (files, their sizes and times, options) per thread, like MetaCLIP's. */
const cache = new Map<string, Promise<LoadedBenchmarks>>();

async function readRows(file: string): Promise<Row[]> {
  if (/\.parquet$/i.test(file)) {
    try {
      return await withDuck(async (c) => (await c.runAndReadAll(`SELECT * FROM read_parquet(${sqlString(file)})`)).getRowObjectsJS() as Row[]);
    } catch (err) {
      throw new ThresherError(`${file}: cannot read the benchmark (${duckMessage(err)})`);
    }
  }
  if (!/\.(jsonl|ndjson|json)(\.gz)?$/i.test(file)) throw new ThresherError(`${file}: a benchmark is .jsonl, .ndjson or .json (optionally .gz) or .parquet`);
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
    if (file.toLowerCase().endsWith('.gz')) bytes = gunzipSync(bytes);
  } catch (err) {
    throw new ThresherError(`${file}: cannot read the benchmark (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  return parseJsonRows(bytes.toString('utf8'), file);
}

function loadBenchmarks(p: Params, baseDir: string): Promise<LoadedBenchmarks> {
  const files = p.benchmarks.map((b) => path.resolve(baseDir, b.path));
  const stamp = files.map((f) => {
    const st = statSync(f, { throwIfNoEntry: false });
    return st ? `${st.size}:${st.mtimeMs}` : 'missing';
  });
  const key = JSON.stringify([files, stamp, p.benchmarks, p.min_length, p.whitespace]);
  let loaded = cache.get(key);
  if (!loaded) {
    loaded = (async () => {
      const items: BenchmarkItem[] = [];
      let empty = 0;
      for (const [k, b] of p.benchmarks.entries()) {
        const got = itemsFromRows(await readRows(files[k]), b.name ?? path.basename(b.path), b.fields);
        items.push(...got.items);
        empty += got.empty;
      }
      return { matcher: new ContaminationMatcher(items, { minLength: p.min_length, whitespace: p.whitespace }), empty };
    })();
    loaded.catch(() => cache.delete(key));
    cache.set(key, loaded);
  }
  return loaded;
}

class DecontaminateStage implements MapStage {
  readonly kind = 'map' as const;
  readonly columns = [];
  private loaded!: LoadedBenchmarks;
  private rank = 0;
  private checked = 0;
  private noText = 0;
  private readonly perBenchmark = new Map<string, number>();

  constructor(
    private readonly p: Params,
    private readonly textColumn: string,
    private readonly baseDir: string,
  ) {}

  async open(task: MapTaskInfo): Promise<void> {
    this.rank = task.rank;
    this.loaded = await loadBenchmarks(this.p, this.baseDir);
  }

  private decide(text: Value | undefined): StageResult {
    this.checked++;
    if (typeof text !== 'string') {
      this.noText++;
      return undefined;
    }
    const item = this.loaded.matcher.find(text);
    if (!item) return undefined;
    this.perBenchmark.set(item.benchmark, (this.perBenchmark.get(item.benchmark) ?? 0) + 1);
    return { reason: 'contaminated', detail: `contains ${item.where}` };
  }

  process(record: DataRecord): StageResult {
    return this.decide(record[this.textColumn]);
  }

  processBatch(batch: RecordBatch, rows: Int32Array, exclude: ExcludeRow): void {
    const texts = batch.column(this.textColumn);
    for (let k = 0; k < rows.length; k++) {
      const why = this.decide(texts?.[rows[k]]);
      if (why) exclude(rows[k], why);
    }
  }

  counters(): Record<string, number> {
    const out: Record<string, number> = { 'decontam:checked': this.checked, 'decontam:contaminated': [...this.perBenchmark.values()].reduce((a, b) => a + b, 0) };
    if (this.noText > 0) out['decontam:no_text'] = this.noText;
    for (const [name, n] of this.perBenchmark) out[`decontam:hits:${name}`] = n;
    if (this.rank === 0 && this.loaded) {
      // counters are summed over tasks: the benchmark's own numbers come from rank 0 only
      const s = this.loaded.matcher.stats;
      Object.assign(out, {
        'decontam:items': s.items,
        'decontam:items_used': s.used,
        'decontam:items_short': s.short,
        'decontam:items_duplicate': s.duplicates,
        'decontam:fields_empty': this.loaded.empty,
      });
    }
    return out;
  }
}

export const decontaminateStage = defineStage<Params>({
  name: 'decontaminate',
  description: 'Drop files that contain a benchmark prompt or solution (whitespace- and case-insensitive substring match, rolling hash of the first characters of each item).',
  kind: 'map',
  params,
  requires: (p, env) => [p.text_column ?? env.contentColumn],
  create: (p, env) => new DecontaminateStage(p, p.text_column ?? env.contentColumn, env.baseDir),
});
