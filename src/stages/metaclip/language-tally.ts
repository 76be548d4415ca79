import { languageOfId, metadataLayout } from './matcher-cache.js';

/** Matched and kept texts per metadata language, when the stage knows per-language metadata. */
export class LanguageTally {
  readonly counts: Record<string, { matched: number; kept: number }> = {};
  private readonly languageOf?: (id: number) => string;

  constructor(metadata: string | Record<string, string> | undefined, baseDir: string) {
    if (metadata !== undefined && typeof metadata === 'object') this.languageOf = languageOfId(metadataLayout(metadata, baseDir));
  }

  get enabled(): boolean {
    return this.languageOf !== undefined;
  }

  /** Counts a matched text; returns its language (that of its first id: all ids share one). */
  matched(ids: number[]): string | undefined {
    if (!this.languageOf) return undefined;
    const language = this.languageOf(ids[0]);
    (this.counts[language] ??= { matched: 0, kept: 0 }).matched++;
    return language;
  }

  kept(language: string | undefined): void {
    if (language !== undefined) this.counts[language].kept++;
  }

  add(other: LanguageTally['counts'] | undefined): void {
    for (const [language, x] of Object.entries(other ?? {})) {
      const c = (this.counts[language] ??= { matched: 0, kept: 0 });
      c.matched += x.matched;
      c.kept += x.kept;
    }
  }
}
