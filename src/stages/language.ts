import { z } from 'zod';
import type { DataRecord } from '../core/record.js';
import { defineStage, type MapStage, type StageResult } from '../core/stage.js';
import { LanguageDetector, type Strategy } from './linguist/detect.js';
import { languageTable } from './linguist/table.js';

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
    return {
      kind: 'map',
      columns: [
        { name: 'language', type: 'string' },
        { name: 'language_type', type: 'string' },
      ],
      process(record: DataRecord): StageResult {
        const path = record[p.path_column];
        const content = record[env.contentColumn];
        const d =
          typeof path === 'string'
            ? detector.detect(path, typeof content === 'string' ? content : null)
            : { language: null, strategy: null };
        const name = d.language?.name ?? null;
        record.language = name;
        record.language_type = d.language?.type ?? null;
        bump(perLanguage, name ?? 'unknown');
        bump(perStrategy, d.strategy ?? 'unknown');
        if (name === null) return p.unknown === 'exclude' ? { reason: 'unknown_language' } : undefined;
        if (allowed && !allowed.has(name)) return { reason: 'language_not_selected', detail: name };
        return undefined;
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
