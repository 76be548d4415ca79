import { z } from 'zod';
import type { RecordBatch } from '../core/batch.js';
import type { DataRecord, Value } from '../core/record.js';
import { defineStage, type ExcludeRow, type MapStage, type StageResult } from '../core/stage.js';
import { LanguageDetector, type Strategy } from '../linguist/detect.js';
import { languageTable } from '../linguist/table.js';

/**
 * `language`: the programming language of a source file from its name and, where the name is
 * ambiguous, its content, using GitHub Linguist's language table (the `linguist-languages`
 * package). Order as in Linguist: modeline, exact file name (`Makefile`, `Cargo.lock`),
 * shebang, extension (longest compound first); what is still ambiguous (`.h`, `.m`, `.pl`, `.inc`, ...)
 * goes through a small set of content rules (see linguist/heuristics.ts), then a fixed
 * preference order (linguist/table.ts PREFERRED_LANGUAGES). Adds `language` (Linguist's name,
 * null when unknown) and `language_type` (programming, data, markup, prose).
 */
const params = z.strictObject({
  /** Column with the file's path (relative path or name). */
  path_column: z.string().min(1).default('path'),
  /** Use the content column for modelines, shebangs and disambiguation. */
  use_content: z.boolean().default(true),
  /** What to do with files whose language is unknown. */
  unknown: z.enum(['keep', 'exclude']).default('keep'),
  /** Keep only these languages (Linguist names), e.g. The Stack v2's selection; null keeps all. */
  languages: z
    .array(z.string().min(1))
    .nullable()
    .default(null)
    .superRefine((names, ctx) => {
      const table = languageTable();
      for (const n of names ?? []) {
        if (!table.byName.has(n)) ctx.addIssue({ code: 'custom', message: `unknown Linguist language "${n}"` });
      }
    }),
});
export type LanguageParams = z.infer<typeof params>;

export const languageStage = defineStage<LanguageParams>({
  name: 'language',
  description: 'Detect the programming language from file name, shebang and content (GitHub Linguist table).',
  kind: 'map',
  params,
  requires: (p) => [p.path_column],
  create(p, env): MapStage {
    const detector = new LanguageDetector(languageTable(), p.use_content);
    const allowed = p.languages ? new Set(p.languages) : undefined;
    const perLanguage = new Map<string, number>();
    const perStrategy = new Map<Strategy | 'unknown', number>();
    const bump = <K>(m: Map<K, number>, k: K) => m.set(k, (m.get(k) ?? 0) + 1);
    type Detection = ReturnType<LanguageDetector['detect']> | { language: null; strategy: null };
    const detect = (path: Value | undefined, content: Value | undefined): Detection =>
      typeof path === 'string' ? detector.detect(path, typeof content === 'string' ? content : null) : { language: null, strategy: null };
    /** Count the detection; the exclusion it makes under `unknown` and `languages`, if any. */
    const decide = (d: Detection): StageResult => {
      const name = d.language?.name ?? null;
      bump(perLanguage, name ?? 'unknown');
      bump(perStrategy, d.strategy ?? 'unknown');
      if (name === null) return p.unknown === 'exclude' ? { reason: 'unknown_language' } : undefined;
      if (allowed && !allowed.has(name)) return { reason: 'language_not_selected', detail: name };
      return undefined;
    };
    return {
      kind: 'map',
      columns: [
        { name: 'language', type: 'string' },
        { name: 'language_type', type: 'string' },
      ],
      process(record: DataRecord): StageResult {
        const d = detect(record[p.path_column], record[env.contentColumn]);
        record.language = d.language?.name ?? null;
        record.language_type = d.language?.type ?? null;
        return decide(d);
      },
      processBatch(batch: RecordBatch, rows: Int32Array, exclude: ExcludeRow): void {
        const paths = batch.column(p.path_column);
        const contents = batch.column(env.contentColumn);
        const names = batch.columnForWrite('language');
        const types = batch.columnForWrite('language_type');
        for (let k = 0; k < rows.length; k++) {
          const i = rows[k];
          const d = detect(paths?.[i], contents?.[i]);
          names[i] = d.language?.name ?? null;
          types[i] = d.language?.type ?? null;
          const why = decide(d);
          if (why) exclude(i, why);
        }
      },
      counters() {
        const out: Record<string, number> = {};
        for (const [k, v] of perLanguage) out[`language:${k}`] = v;
        for (const [k, v] of perStrategy) out[`language_by:${k}`] = v;
        return out;
      },
    };
  },
});
