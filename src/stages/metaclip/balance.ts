import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { bucketOf } from '../../core/bucket.js';
import { ThresherError } from '../../core/errors.js';
import { ensureDir, listFilesSorted, writeFileAtomic } from '../../core/fs.js';
import { ExchangeWriter, readExchange } from '../../core/exchange.js';
import type { ColumnSpec } from '../../core/record.js';
import { defineStage, type GlobalApplier, type GlobalObserver, type GlobalStage, type GlobalTaskInfo, type StageEnv } from '../../core/stage.js';
import { batchPosition } from '../../core/batch.js';
import {
  curateImage,
  entryProbabilities,
  keepProbability,
  keepText,
  tailShare,
  thresholdForTailShare,
  thresholdForTextLevelSize,
  TextLevelSizeEstimator,
  perLanguageThresholds,
} from '../../metaclip/index.js';
import { metadataLayout } from './matcher-cache.js';
import { LanguageTally } from './language-tally.js';
import { CountArray, forEachMatchList, MatchListWriter, readCounts, sumCounts, writeCounts } from './partials.js';
import { writeBalanceReport, type BalanceSummary } from './report.js';

/**
 * MetaCLIP balancing as a global stage. Observe: count[e] per shard (and, when needed, the
 * match lists or the image groups). Reduce: global counts, the threshold t, and for
 * per-image mode the draw per image. Apply: keep a text with probability
 * 1 − Π(1 − t/max(count[e], t)), drawn from (seed, record id) so any sharding or worker count
 * keeps the same records. Memory is the count array (4 bytes per entry), not the pool.
 */
const params = z
  .strictObject({
    matches_column: z.string().default('metaclip_matches'),
    /** the threshold; MetaCLIP used 20,000 for 400M pairs from 1.6B */
    t: z.number().positive().optional(),
    /** choose t so that entries with count < t hold this share of all matches (MetaCLIP 2 p_to_t) */
    tail_share: z.number().gt(0).lt(1).optional(),
    /** choose the smallest t whose expected number of kept texts reaches this (text mode) */
    target_size: z.number().int().positive().optional(),
    /** text: MetaCLIP 1, each text on its own. image: MetaCLIP 2, one matched text drawn per image, then the noisy-OR keep */
    mode: z.enum(['text', 'image']).default('text'),
    /** image mode: the column that identifies the image (URL, image id) */
    image_column: z.string().default('url'),
    /** metadata file, for entry_counts.json keyed by entry as MetaCLIP writes it (else by id) */
    metadata: z.union([z.string().min(1), z.record(z.string().min(1), z.string().min(1))]).optional(),
    /**
     * with per-language metadata (MetaCLIP 2): the language that keeps `t`; every other
     * language gets the t that gives the same tail share
     */
    anchor_language: z.string().optional(),
    /**
     * with anchor_language: the smallest t a language gets. 0 (default, as the reference): a
     * language for which p_to_t gives 0 keeps nothing; 1 keeps its tail entries' texts.
     */
    min_language_t: z.number().int().min(0).default(0),
    /** overrides the run's seed */
    seed: z.number().int().nonnegative().optional(),
    /**
     * drawn: release the records this run's draw keeps (the reference's offline curation).
     * candidates: release every matched record with `metaclip_keep_probability` and
     * `metaclip_kept` (this draw), so a loader redraws the subset every epoch
     * (`thresher metaclip redraw`, metaclip/epoch.ts).
     */
    keep: z.enum(['drawn', 'candidates']).default('drawn'),
  })
  .refine((p) => [p.t, p.tail_share, p.target_size].filter((x) => x !== undefined).length === 1, {
    message: 'give exactly one of t, tail_share, target_size',
  })
  .refine((p) => !(p.mode === 'image' && p.target_size !== undefined), { message: 'target_size is for mode: text', path: ['target_size'] })
  .refine((p) => p.anchor_language === undefined || (p.t !== undefined && p.metadata !== undefined && typeof p.metadata === 'object'), {
    message: 'anchor_language needs t and per-language metadata (a map language → file)',
    path: ['anchor_language'],
  });
type Params = z.infer<typeof params>;

interface Decision {
  t: number;
  /** MetaCLIP 2: t per language (same tail share as the anchor language) */
  t_by_language?: Record<string, { t: number; tail_share: number; offset: number; size: number }>;
  entries: number;
  texts: number;
  matched_texts: number;
  expected_from_search?: number;
}

const KEEP = 0;
const BALANCED_OUT = 1;
const NOT_CHOSEN = 2;

/** The columns a `keep: candidates` release carries for epoch redraws. */
export const KEEP_PROBABILITY_COLUMN = 'metaclip_keep_probability';
export const KEPT_COLUMN = 'metaclip_kept';

class BalanceStage implements GlobalStage {
  readonly kind = 'global' as const;
  readonly columns: ColumnSpec[];

  constructor(
    private readonly p: Params,
    private readonly env: StageEnv,
  ) {
    this.columns =
      p.keep === 'candidates'
        ? [
            { name: KEEP_PROBABILITY_COLUMN, type: 'float64' },
            { name: KEPT_COLUMN, type: 'bool' },
          ]
        : [];
  }

  async observer(task: GlobalTaskInfo): Promise<GlobalObserver> {
    const dir = ensureDir(path.join(task.stageDir, 'observe'));
    const counts = new CountArray();
    let texts = 0;
    let matched = 0;
    const lists = this.p.target_size !== undefined ? new MatchListWriter(path.join(dir, `matches-${task.rank}.i32`)) : undefined;
    const shuffle = this.p.mode === 'image' ? new ExchangeWriter(path.join(task.stageDir, 'shuffle'), task.rank, task.worldSize) : undefined;
    return {
      observeBatch: (batch, rows) => {
        const matches = batch.column(this.p.matches_column);
        if (!matches) throw new ThresherError(`metaclip_balance: the records have no ${this.p.matches_column} column (put metaclip_match before it)`);
        const images = shuffle ? batch.column(this.p.image_column) : undefined;
        const ids = batch.column('id');
        for (let k = 0; k < rows.length; k++) {
          const i = rows[k];
          const m = (matches[i] ?? []) as number[];
          texts++;
          if (m.length) matched++;
          counts.add(m);
          lists?.add(m);
          if (shuffle && m.length) {
            const image = String(images?.[i] ?? '');
            shuffle.push(bucketOf(image, task.worldSize), JSON.stringify([image, String(ids?.[i]), m, task.rank, batchPosition(batch, i)]));
          }
        }
      },
      finish: async () => {
        writeCounts(path.join(dir, `counts-${task.rank}.u32`), counts.counts);
        writeFileAtomic(path.join(dir, `texts-${task.rank}.json`), JSON.stringify({ texts, matched }));
        await lists?.close();
        shuffle?.publish();
      },
    };
  }

  /** Global counts and t; every rank can compute them (same inputs, same result). */
  private async decide(task: GlobalTaskInfo): Promise<{ counts: Uint32Array; decision: Decision }> {
    const observe = path.join(task.stageDir, 'observe');
    const counts = sumCounts(observe);
    let texts = 0;
    let matched = 0;
    for (const f of listFilesSorted(observe, (n) => n.startsWith('texts-'))) {
      const x = JSON.parse(readFileSync(f, 'utf8')) as { texts: number; matched: number };
      texts += x.texts;
      matched += x.matched;
    }
    let t: number;
    let expected: number | undefined;
    if (this.p.t !== undefined) t = this.p.t;
    else if (this.p.tail_share !== undefined) t = counts.length ? thresholdForTailShare(counts, this.p.tail_share) : 1;
    else {
      const solution = await thresholdForTextLevelSize(counts, this.p.target_size!, (ts) => {
        const est = new TextLevelSizeEstimator(counts, ts);
        forEachMatchList(observe, (ids) => est.add(ids));
        return est.expected;
      });
      t = solution.t;
      expected = solution.expected;
    }
    const decision: Decision = { t, entries: counts.length, texts, matched_texts: matched, ...(expected !== undefined ? { expected_from_search: expected } : {}) };
    if (this.p.anchor_language !== undefined) decision.t_by_language = this.languageThresholds(counts, t);
    return { counts, decision };
  }

  /** MetaCLIP 2: the anchor language keeps t; the others get the t of the same tail share. */
  private languageThresholds(counts: Uint32Array, t: number): NonNullable<Decision['t_by_language']> {
    const layout = metadataLayout(this.p.metadata!, this.env.baseDir);
    const slices = new Map<string, Uint32Array>();
    const where = new Map<string, { offset: number; size: number }>();
    layout.languages!.forEach((language, k) => {
      const offset = layout.offsets[k];
      const size = (k + 1 < layout.offsets.length ? layout.offsets[k + 1] : layout.total) - offset;
      const slice = new Uint32Array(size);
      slice.set(counts.subarray(offset, Math.min(counts.length, offset + size)));
      slices.set(language, slice);
      where.set(language, { offset, size });
    });
    const out: NonNullable<Decision['t_by_language']> = {};
    for (const [language, x] of perLanguageThresholds(slices, { language: this.p.anchor_language!, t }, this.p.min_language_t))
      out[language] = { t: x.t, tail_share: x.tailShare, ...where.get(language)! };
    return out;
  }

  /** p[e] for every entry id: one t, or each language's own t over its id range. */
  private probabilities(counts: Uint32Array, decision: Decision): Float64Array {
    if (!decision.t_by_language) return entryProbabilities(counts, decision.t);
    const probs = new Float64Array(counts.length).fill(1);
    for (const { t, offset, size } of Object.values(decision.t_by_language)) {
      const end = Math.min(counts.length, offset + size);
      if (offset < end) probs.set(entryProbabilities(counts.subarray(offset, end), t), offset);
    }
    return probs;
  }

  async reduce(task: GlobalTaskInfo): Promise<Record<string, number>> {
    if (this.p.mode === 'text') {
      if (task.rank !== 0) return {};
      const { counts, decision } = await this.decide(task);
      writeCounts(path.join(task.stageDir, 'counts.u32'), counts);
      writeFileAtomic(path.join(task.stageDir, 'decision.json'), JSON.stringify(decision));
      return { t: decision.t };
    }
    // Image mode: every rank decides the images of its bucket with the global counts.
    const { counts, decision } = await this.decide(task);
    if (task.rank === 0) {
      writeCounts(path.join(task.stageDir, 'counts.u32'), counts);
      writeFileAtomic(path.join(task.stageDir, 'decision.json'), JSON.stringify(decision));
    }
    const probs = this.probabilities(counts, decision);
    const seed = this.p.seed ?? task.seed;
    const images = new Map<string, { id: string; ids: number[]; rank: number; position: string }[]>();
    for (const line of readExchange(path.join(task.stageDir, 'shuffle'), task.rank)) {
      const [image, id, ids, rank, position] = JSON.parse(line) as [string, string, number[], number, string];
      let list = images.get(image);
      if (!list) images.set(image, (list = []));
      list.push({ id, ids, rank, position });
    }
    const out = new ExchangeWriter(path.join(task.stageDir, 'decisions'), task.rank, task.worldSize);
    let kept = 0;
    for (const [image, texts] of images) {
      // Order the texts by id (then position) so the draw does not depend on which shard came first.
      texts.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : a.position < b.position ? -1 : a.position > b.position ? 1 : 0));
      const d = curateImage(
        texts.map((x) => ({ matches: x.ids, probs })),
        seed,
        image,
      );
      if (d.keep) kept++;
      texts.forEach((x, i) => out.push(x.rank, JSON.stringify([x.position, i === d.chosen ? (d.keep ? KEEP : BALANCED_OUT) : NOT_CHOSEN])));
    }
    out.publish();
    return { images: images.size, images_kept: kept };
  }

  async applier(task: GlobalTaskInfo): Promise<GlobalApplier> {
    const decision = JSON.parse(readFileSync(path.join(task.stageDir, 'decision.json'), 'utf8')) as Decision;
    const counts = readCounts(path.join(task.stageDir, 'counts.u32'));
    const probs = this.probabilities(counts, decision);
    const seed = this.p.seed ?? task.seed;
    const after = new CountArray();
    const tally = { kept: 0, no_match: 0, balanced_out: 0, not_chosen: 0, expected: 0 };
    const byLanguage = new LanguageTally(this.p.metadata, this.env.baseDir);
    const byPosition = this.p.mode === 'image' ? imageDecisions(task) : undefined;
    const candidates = this.p.keep === 'candidates';
    /** true: kept by this draw; a reason: not kept (excluded unless candidates are released). */
    const decide = (ids: number[], id: string, position: () => string): true | { reason: string } => {
      if (ids.length === 0) {
        tally.no_match++;
        return { reason: 'no_match' };
      }
      const language = byLanguage.matched(ids);
      let keep: boolean;
      if (byPosition) {
        const code = byPosition.get(position());
        if (code === NOT_CHOSEN) {
          tally.not_chosen++;
          return { reason: 'not_chosen' };
        }
        keep = code === KEEP;
      } else {
        tally.expected += keepProbability(ids, probs);
        keep = keepText(ids, probs, seed, id);
      }
      if (!keep) {
        tally.balanced_out++;
        return { reason: 'balanced_out' };
      }
      tally.kept++;
      byLanguage.kept(language);
      after.add(ids);
      return true;
    };
    const column = this.p.matches_column;
    return {
      processBatch: (batch, rows, exclude) => {
        const matches = batch.column(column);
        if (!matches) throw new ThresherError(`metaclip_balance: the records have no ${column} column (put metaclip_match before it)`);
        const ids = batch.column('id')!;
        const probability = candidates ? batch.columnForWrite(KEEP_PROBABILITY_COLUMN) : undefined;
        const kept = candidates ? batch.columnForWrite(KEPT_COLUMN) : undefined;
        for (let k = 0; k < rows.length; k++) {
          const i = rows[k];
          const m = (matches[i] ?? []) as number[];
          const why = decide(m, String(ids[i]), () => batchPosition(batch, i));
          if (candidates && m.length > 0) {
            // every matched text stays, with what a loader needs to draw it again
            probability![i] = keepProbability(m, probs);
            kept![i] = why === true;
          } else if (why !== true) {
            exclude(i, why);
          }
        }
      },
      counters: () => ({ 'metaclip:kept': tally.kept, 'metaclip:balanced_out': tally.balanced_out }),
      finish: async () => {
        const dir = path.join(task.stageDir, 'after');
        writeCounts(path.join(dir, `counts-${task.rank}.u32`), after.counts);
        writeFileAtomic(path.join(dir, `tally-${task.rank}.json`), JSON.stringify({ ...tally, by_language: byLanguage.counts }));
      },
    };
  }

  async summarize(task: GlobalTaskInfo): Promise<void> {
    const decision = JSON.parse(readFileSync(path.join(task.stageDir, 'decision.json'), 'utf8')) as Decision;
    const before = readCounts(path.join(task.stageDir, 'counts.u32'));
    const after = sumCounts(path.join(task.stageDir, 'after'), before.length);
    const tally = { kept: 0, no_match: 0, balanced_out: 0, not_chosen: 0, expected: 0 };
    const byLanguage = new LanguageTally(this.p.metadata, this.env.baseDir);
    for (const f of listFilesSorted(path.join(task.stageDir, 'after'), (n) => n.startsWith('tally-'))) {
      const x = JSON.parse(readFileSync(f, 'utf8')) as typeof tally & { by_language?: LanguageTally['counts'] };
      for (const k of Object.keys(tally) as (keyof typeof tally)[]) tally[k] += x[k];
      byLanguage.add(x.by_language);
    }
    let over = 0;
    let nonzero = 0;
    for (let e = 0; e < before.length; e++) {
      if (before[e] > decision.t) over++;
      if (before[e] > 0) nonzero++;
    }
    const summary: BalanceSummary = {
      mode: this.p.mode,
      t: decision.t,
      texts: decision.texts,
      matched_texts: decision.matched_texts,
      unmatched_texts: decision.texts - decision.matched_texts,
      matched_share: decision.texts ? decision.matched_texts / decision.texts : 0,
      entries_matched: nonzero,
      entries_over_t: over,
      tail_share: tailShare(before, decision.t),
      expected_kept: this.p.mode === 'text' ? tally.expected : null,
      kept: tally.kept,
      balanced_out: tally.balanced_out,
      not_chosen: tally.not_chosen,
      ...(decision.t_by_language ? { t_by_language: Object.fromEntries(Object.entries(decision.t_by_language).map(([l, x]) => [l, { t: x.t, tail_share: x.tail_share }])) } : {}),
      ...(byLanguage.enabled ? { by_language: byLanguage.counts } : {}),
    };
    await writeBalanceReport(path.join(task.stageDir, 'artifacts'), summary, before, after, this.p.metadata, this.env.baseDir);
  }
}

export const metaclipBalanceStage = defineStage<Params>({
  name: 'metaclip_balance',
  description: 'MetaCLIP balancing over global entry counts: keeps tail entries, samples head entries with t/count (per text, or per image as MetaCLIP 2).',
  kind: 'global',
  params: params as unknown as z.ZodType<Params>,
  requires: (p) => [p.matches_column, ...(p.mode === 'image' ? [p.image_column] : [])],
  create: (p, env) => new BalanceStage(p, env),
});

/**
 * Image mode: the decide step's code for each record of this rank's share, by position (ids
 * come from the data and may repeat).
 */
function imageDecisions(task: GlobalTaskInfo): Map<string, number> {
  const byPosition = new Map<string, number>();
  for (const line of readExchange(path.join(task.stageDir, 'decisions'), task.rank)) {
    const [position, code] = JSON.parse(line) as [string, number];
    byPosition.set(position, code);
  }
  return byPosition;
}
