import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { batchPosition } from '../core/batch.js';
import { RecordExchangeWriter } from '../core/exchange.js';
import { writeFileAtomic } from '../core/fs.js';
import type { Value } from '../core/record.js';
import {
  defineStage,
  type GlobalApplier,
  type GlobalObserver,
  type GlobalStage,
  type GlobalTaskInfo,
  type ReduceStep,
  type ReleaseSection,
  type SummaryTaskInfo,
  type StageEnv,
} from '../core/stage.js';
import { bandKey, optimalBandsRows } from '../dedup/lsh.js';
import { MinHasher } from '../dedup/minhash.js';
import { attachRound, decideRound } from '../dedup/near/clusters.js';
import { bandsRound, componentsRound, membersRound, verifyRound, type Round } from '../dedup/near/rounds.js';
import { NearPaths, NodeTableWriter, type ObservedCounts } from '../dedup/near/store.js';
import { nodeId } from '../dedup/near/tables.js';
import { priorityColumns } from '../dedup/priority.js';
import { loadRemovals, removalApplier } from '../dedup/removals.js';
import { writeClusterTable } from './near-dedup-report.js';

/**
 * `near_dedup`: MinHash LSH near-duplicate removal as The Stack v2 (word 5-grams, 250
 * permutations over 32-bit hashes mod 2^32 − 5, 25 bands × 10 rows for Jaccard 0.7), with
 * connected components over band collisions and one record kept per cluster by `priority`.
 *
 * Observe (in the upstream tasks): each record's signature → its band keys, to rank
 * hash(key) mod world_size; its id, position and priority values to this rank's node table.
 * Reduce, one step each over world_size ranks: bands (shared keys → star edges), verify
 * (optional: exact Jaccard of candidate pairs), cc_1..cc_N (union-find contraction until every
 * component is a star around its smallest node; a round after convergence does nothing),
 * members, attach, decide (kept record per cluster, removals, cluster-table rows). Apply: a
 * rank excludes the removals addressed to it with reason `near_duplicate` and the kept id.
 * Every round reads and writes files only and keeps to `memory_mb` by spilling.
 */
const params = z
  .strictObject({
    /** `words`: lowercase, split on non-word characters, n consecutive words (The Stack v2). `chars`: n consecutive characters (NeMo Curator). */
    shingles: z.enum(['words', 'chars']).default('words'),
    /** n of the n-grams: default 5 for words (The Stack v2), 24 for chars (NeMo Curator). */
    ngram: z.number().int().min(1).max(10_000).optional(),
    /** Lowercase before shingling: default true for words, false for chars. */
    lowercase: z.boolean().optional(),
    /** Words: the empty string between two adjacent separators is a word (Python's `re.split(r"\W")`, as text-dedup's script). */
    empty_words: z.boolean().default(false),
    /** MinHash permutations (signature length). */
    num_perm: z.number().int().min(1).max(4096).default(250),
    /** Signature values below 2^32 (mod 2^32 − 5) or below 2^16 (mod 65521). */
    hash_bits: z.union([z.literal(32), z.literal(16)]).default(32),
    /** Seed of the permutations; default: the run's seed. */
    seed: z.number().int().nonnegative().optional(),
    /** Jaccard similarity that makes two records near-duplicates: picks bands × rows when they are not given, and is the bar of `verify`. */
    threshold: z.number().gt(0).lt(1).default(0.7),
    /** LSH bands and rows per band (both or neither; bands·rows ≤ num_perm). Default: the pair that minimises the weighted false positive and negative areas (datasketch's rule): 25 × 10 for 0.7 and 250. */
    bands: z.number().int().positive().optional(),
    rows: z.number().int().positive().optional(),
    false_positive_weight: z.number().min(0).default(0.5),
    false_negative_weight: z.number().min(0).default(0.5),
    /** Keep only candidate pairs whose exact Jaccard (of the shingle sets) reaches `threshold`: drops LSH false positives, counted. */
    verify: z.boolean().default(false),
    /** Columns that choose the record to keep in a cluster: ascending, or descending with a leading '-'. Ties: id, then position. */
    priority: z.array(z.string().min(1)).default([]),
    /** Memory per reduce task; a round whose input needs more spills it to partition files. */
    memory_mb: z.number().positive().default(2048),
    /** Components rounds planned; rounds after convergence do nothing. Not converged after them: an error naming this. */
    cc_rounds: z.number().int().min(1).max(64).default(12),
  })
  .refine((p) => (p.bands === undefined) === (p.rows === undefined), { message: 'give both bands and rows, or neither', path: ['bands'] })
  .refine((p) => p.bands === undefined || p.bands * p.rows! <= p.num_perm, { message: 'bands × rows must not exceed num_perm', path: ['bands'] });
type Params = z.infer<typeof params>;

interface Settings {
  unit: 'words' | 'chars';
  ngram: number;
  lowercase: boolean;
  bands: number;
  rows: number;
}

const optimalCache = new Map<string, { bands: number; rows: number }>();

function settingsOf(p: Params): Settings {
  const unit = p.shingles;
  let lsh = p.bands !== undefined ? { bands: p.bands, rows: p.rows! } : undefined;
  if (!lsh) {
    const key = `${p.threshold}/${p.num_perm}/${p.false_positive_weight}/${p.false_negative_weight}`;
    lsh = optimalCache.get(key) ?? optimalBandsRows(p.threshold, p.num_perm, p.false_positive_weight, p.false_negative_weight);
    optimalCache.set(key, lsh);
  }
  return { unit, ngram: p.ngram ?? (unit === 'words' ? 5 : 24), lowercase: p.lowercase ?? unit === 'words', ...lsh };
}

class NearDedupStage implements GlobalStage {
  readonly kind = 'global' as const;
  readonly columns = [];
  readonly reduceSteps: ReduceStep[];
  private readonly s: Settings;

  constructor(
    private readonly p: Params,
    private readonly env: StageEnv,
  ) {
    this.s = settingsOf(p);
    const step = (name: string, run: (r: Round) => Record<string, number>): ReduceStep => ({ name, run: async (task) => run(this.round(task)) });
    this.reduceSteps = [
      step('bands', (r) => bandsRound(r, p.verify)),
      ...(p.verify ? [step('verify', (r) => verifyRound(r, p.threshold))] : []),
      ...Array.from({ length: p.cc_rounds }, (_, i) => step(`cc_${i + 1}`, (r) => componentsRound(r, i + 1))),
      step('members', (r) => membersRound(r, p.cc_rounds)),
      step('attach', (r) => attachRound(r)),
      step('decide', (r) => decideRound(r, p.priority)),
    ];
  }

  private round(task: GlobalTaskInfo): Round {
    return { paths: new NearPaths(task.stageDir), step: task.step, rank: task.rank, worldSize: task.worldSize, budgetBytes: this.p.memory_mb * 2 ** 20 };
  }

  async observer(task: GlobalTaskInfo): Promise<GlobalObserver> {
    const { s, p } = this;
    const paths = new NearPaths(task.stageDir);
    const hasher = new MinHasher({ unit: s.unit, ngram: s.ngram, lowercase: s.lowercase, emptyWords: p.empty_words, numPerm: p.num_perm, hashBits: p.hash_bits, seed: p.seed ?? task.seed });
    const bands = new RecordExchangeWriter(paths.exchange('bands'), task.rank, task.worldSize, 3);
    const table = new NodeTableWriter(paths, task.rank, p.verify);
    const counts: ObservedCounts = { records: 0, signatures: 0, too_short: 0, no_content: 0, shingles: 0 };
    const sig = new Uint32Array(p.num_perm);
    const key = new Uint32Array(2);
    const record = new Float64Array(3);
    const cols = priorityColumns(p.priority);
    return {
      observeBatch: (batch, rows) => {
        const contents = batch.column(this.env.contentColumn);
        const ids = batch.column('id');
        const prio = cols.map((c) => batch.column(c));
        for (let k = 0; k < rows.length; k++) {
          const i = rows[k];
          counts.records++;
          const text = contents?.[i];
          if (typeof text !== 'string') {
            counts.no_content++;
            continue;
          }
          const shingles = hasher.signature(text, sig);
          if (shingles === 0) {
            counts.too_short++; // fewer words than ngram: never a near-duplicate
            continue;
          }
          counts.shingles += shingles;
          record[2] = nodeId(task.rank, counts.signatures++);
          for (let b = 0; b < s.bands; b++) {
            bandKey(sig, b, s.rows, key);
            record[0] = key[0];
            record[1] = key[1];
            bands.push(key[0] % task.worldSize, record);
          }
          const values: Value[] = [String(ids?.[i] ?? ''), batchPosition(batch, i), ...prio.map((col) => col?.[i] ?? null)];
          table.add(JSON.stringify(values), p.verify ? hasher.sortedShingles() : undefined);
        }
      },
      finish: async () => {
        bands.publish();
        table.finish(counts);
      },
    };
  }

  async applier(task: GlobalTaskInfo): Promise<GlobalApplier> {
    return removalApplier(loadRemovals(new NearPaths(task.stageDir).exchange('decisions'), task.rank), 'near_duplicate');
  }

  /** The release's cluster table (clusters.parquet), summary.json, and its manifest section and card paragraph. */
  async summarize(task: SummaryTaskInfo): Promise<ReleaseSection> {
    const paths = new NearPaths(task.stageDir);
    const table = await writeClusterTable(paths.rowsDir(), paths.artifacts());
    const observed = sumFiles(path.join(task.stageDir, 'nodes'), /\.json$/);
    const summary = {
      stage: 'near_dedup',
      settings: {
        ...this.s,
        num_perm: this.p.num_perm,
        hash_bits: this.p.hash_bits,
        seed: this.p.seed ?? task.seed,
        threshold: this.p.threshold,
        empty_words: this.p.empty_words,
        verify: this.p.verify,
      },
      observed,
      clusters: table,
    };
    writeFileAtomic(path.join(paths.artifacts(), 'summary.json'), JSON.stringify(summary, null, 1) + '\n');
    const { ngram, unit, bands, rows } = this.s;
    const card = [
      `Near-duplicates removed by MinHash LSH (${unit === 'words' ? 'word' : 'character'} ${ngram}-grams, ${this.p.num_perm} permutations, ${bands} bands × ${rows} rows for Jaccard ≥ ${this.p.threshold}${this.p.verify ? ', candidates verified by exact Jaccard' : ''}), one record kept per cluster: ` +
        `${table.near_duplicates} removed from ${table.clusters} clusters (largest ${table.largest_cluster}). Every clustered record is listed in \`${task.artifactsPath}clusters.parquet\`.`,
    ];
    return { key: 'near_dedup', title: 'Near-duplicates', card, data: { ...summary, files: { clusters: `${task.artifactsPath}clusters.parquet`, summary: `${task.artifactsPath}summary.json` } } };
  }
}

/** Field-wise sums of the JSON objects in the files of `dir` whose names match. */
function sumFiles(dir: string, match: RegExp): Record<string, number> {
  const out: Record<string, number> = {};
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir).filter((n) => match.test(n) && !n.startsWith('.'))) {
    for (const [k, v] of Object.entries(JSON.parse(readFileSync(path.join(dir, name), 'utf8')) as Record<string, number>)) out[k] = (out[k] ?? 0) + v;
  }
  return out;
}

export const nearDedupStage = defineStage<Params>({
  name: 'near_dedup',
  description:
    'Near-duplicate removal with MinHash LSH as The Stack v2 (word 5-grams, 250 permutations, 25 bands × 10 rows, Jaccard 0.7); connected components in bounded memory; one record kept per cluster by priority; a cluster table in the release.',
  kind: 'global',
  params: params as unknown as z.ZodType<Params>,
  requires: (p, env) => [env.contentColumn, ...priorityColumns(p.priority)],
  create: (p, env) => new NearDedupStage(p, env),
});
