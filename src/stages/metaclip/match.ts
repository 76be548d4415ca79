import { z } from 'zod';
import type { MetaclipMatcher } from '../../metaclip/index.js';
import { defineStage, type ExcludeRow, type MapStage, type StageEnv, type StageResult } from '../../core/stage.js';
import type { RecordBatch } from '../../core/batch.js';
import type { DataRecord, Value } from '../../core/record.js';
import { cachedMatcher, metadataLayout, type MetadataLayout } from './matcher-cache.js';
import { languageRouting, type LanguageRouting } from './routing.js';

/**
 * MetaCLIP substring matching: which metadata entries occur in each text, with exactly the
 * reference semantics (spacing rule, case-sensitive, space-delimited, nested and overlapping
 * entries all count, once per text). Adds the sorted entry ids.
 */
const params = z.strictObject({
  /** metadata.json (list of entries; id = index), or one file per language code */
  metadata: z.union([z.string().min(1), z.record(z.string().min(1), z.string().min(1))]),
  /** column holding the text; default: the pipeline's content column */
  text_column: z.string().optional(),
  /** column to write the matched entry ids to */
  column: z.string().default('metaclip_matches'),
  /**
   * metaclip1 pads every entry with spaces; metaclip2 leaves CJK/Thai-type and punctuation ends
   * unpadded and strips texts as Python does. Default: metaclip2 for a MetaCLIP 2 run
   * (per-language metadata, or a metaclip_balance with mode: image), else metaclip1.
   */
  padding: z.enum(['metaclip1', 'metaclip2']).optional(),
  /** with per-language metadata: the column holding each text's language label (e.g. lang_id's) */
  language_column: z.string().default('language'),
  /**
   * with per-language metadata: label → metadata language, as a `label<TAB>language` (or JSON)
   * file, or a map; replaces the shipped lid.176 table (src/metaclip/data/lid176-routing.tsv)
   */
  routing: z.union([z.string().min(1), z.record(z.string().min(1), z.string().min(1))]).optional(),
  /**
   * with per-language metadata: the metadata for texts whose language has none, when there is
   * no `other` metadata (giving both is refused). Else such texts match nothing.
   */
  fallback_language: z.string().optional(),
  /** exclude texts with no match here (balancing never keeps them anyway) */
  drop_unmatched: z.boolean().default(false),
});
type Params = z.infer<typeof params>;

class MatchStage implements MapStage {
  readonly kind = 'map' as const;
  readonly columns;
  private layout!: MetadataLayout;
  private matchers: MetaclipMatcher[] = [];
  private routing?: LanguageRouting;
  private texts = 0;
  private matched = 0;
  private matchesTotal = 0;

  constructor(
    private readonly p: Params,
    private readonly textColumn: string,
    private readonly baseDir: string,
    /** a metaclip_balance of the pipeline draws per image: a MetaCLIP 2 run, matched with its padding */
    private readonly imageMode = false,
  ) {
    this.columns = [{ name: p.column, type: 'int32[]' as const }];
  }

  async open(): Promise<void> {
    this.layout = metadataLayout(this.p.metadata, this.baseDir);
    const padding = this.p.padding ?? (this.layout.languages || this.imageMode ? 'metaclip2' : 'metaclip1');
    this.matchers = this.layout.files.map((f) => cachedMatcher(f, padding));
    if (this.layout.languages) this.routing = languageRouting(this.layout.languages, this.p.routing, this.p.fallback_language, this.baseDir);
  }

  /** Which metadata a text is matched against: its label's routed language's, or -1 for none. */
  private metadataOf(lang: Value | undefined): number {
    return this.routing ? this.routing.metadataOf(lang) : 0;
  }

  /** The matcher's scratch view as a new array of global entry ids. */
  private ids(k: number, view: Int32Array): number[] {
    const offset = this.layout.offsets[k];
    const ids = new Array<number>(view.length);
    for (let i = 0; i < view.length; i++) ids[i] = view[i] + offset;
    return ids;
  }

  private count(ids: number[], k: number): StageResult {
    this.texts++;
    if (ids.length > 0) this.matched++;
    this.routing?.count(k, ids.length > 0);
    this.matchesTotal += ids.length;
    return ids.length === 0 && this.p.drop_unmatched ? { reason: 'no_match' } : undefined;
  }

  process(record: DataRecord): StageResult {
    const k = this.metadataOf(record[this.p.language_column]);
    const text = record[this.textColumn];
    const ids = k < 0 || typeof text !== 'string' ? [] : this.ids(k, this.matchers[k].matchView(text));
    record[this.p.column] = ids;
    return this.count(ids, k);
  }

  processBatch(batch: RecordBatch, rows: Int32Array, exclude: ExcludeRow): void {
    const langs = this.layout.languages ? batch.values(this.p.language_column) : undefined;
    const out = batch.columnForWrite(this.p.column);
    // texts still in their input bytes are matched there, never decoded
    const encoded = batch.encodedColumn(this.textColumn);
    const at = encoded?.byteOffsets();
    const texts = encoded && at ? undefined : batch.values(this.textColumn);
    for (let r = 0; r < rows.length; r++) {
      const i = rows[r];
      const k = this.metadataOf(langs?.[i]);
      let ids: number[];
      if (k < 0) ids = [];
      else if (encoded && at) ids = encoded.isPresent(i) ? this.ids(k, this.matchers[k].matchUtf8View(encoded.bytes, at[i], at[i + 1])) : [];
      else {
        const text = texts?.[i];
        ids = typeof text === 'string' ? this.ids(k, this.matchers[k].matchView(text)) : [];
      }
      out[i] = ids;
      const excluded = this.count(ids, k);
      if (excluded) exclude(i, excluded);
    }
  }

  counters() {
    return { 'metaclip:texts': this.texts, 'metaclip:matched_texts': this.matched, 'metaclip:matches': this.matchesTotal, ...this.routing?.counters() };
  }
}

export const metaclipMatchStage = defineStage<Params>({
  name: 'metaclip_match',
  description: "MetaCLIP substring matching: adds each text's matched metadata entry ids (exact reference semantics).",
  kind: 'map',
  params,
  requires: (p, env) => [p.text_column ?? env.contentColumn, ...(typeof p.metadata === 'object' ? [p.language_column] : [])],
  create: (p, env) => new MatchStage(p, p.text_column ?? env.contentColumn, env.baseDir, balancesPerImage(env)),
  // the matchers (from the matcher store) and routing tables land in this thread's caches
  warm: (p, env) => new MatchStage(p, p.text_column ?? env.contentColumn, env.baseDir, balancesPerImage(env)).open(),
});

function balancesPerImage(env: StageEnv): boolean {
  return (env.stages ?? []).some((s) => s.name === 'metaclip_balance' && (s.params as { mode?: unknown } | null)?.mode === 'image');
}
