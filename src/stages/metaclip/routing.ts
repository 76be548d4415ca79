import path from 'node:path';
import type { Value } from '../../core/record.js';
import { LanguageRouter, loadRoutingTable, OTHER, type RoutingTable } from '../../metaclip/routing.js';

/**
 * Per-language metadata of one match task: each text's label → metadata index (its position
 * in the layout's sorted languages, -1 for none), and the per-language counters. Texts routed
 * nowhere count under `other`.
 */
export class LanguageRouting {
  private readonly router: LanguageRouter;
  private readonly index = new Map<string, number>();
  private readonly byLabel = new Map<string, number>();
  private readonly texts: number[];
  private readonly matched: number[];
  private unrouted = 0;
  private unroutedMatched = 0;
  private fallback = 0;
  private readonly fallbackLabels = new Set<string>();

  constructor(
    private readonly languages: readonly string[],
    table: RoutingTable,
    fallbackLanguage?: string,
  ) {
    this.router = new LanguageRouter(table, new Set(languages), fallbackLanguage);
    languages.forEach((l, k) => this.index.set(l, k));
    this.texts = languages.map(() => 0);
    this.matched = languages.map(() => 0);
  }

  metadataOf(label: Value | undefined): number {
    const key = typeof label === 'string' ? label : '';
    let k = this.byLabel.get(key);
    if (k === undefined) {
      const route = this.router.route(key);
      k = route.language === null ? -1 : this.index.get(route.language)!;
      if (route.via === 'fallback') this.fallbackLabels.add(key);
      this.byLabel.set(key, k);
    }
    if (this.fallbackLabels.has(key)) this.fallback++;
    return k;
  }

  count(k: number, matched: boolean): void {
    if (k < 0) {
      this.unrouted++;
      if (matched) this.unroutedMatched++;
      return;
    }
    this.texts[k]++;
    if (matched) this.matched[k]++;
  }

  counters(): Record<string, number> {
    const out: Record<string, number> = {};
    this.languages.forEach((l, k) => {
      if (this.texts[k] === 0) return;
      out[`metaclip:texts:${l}`] = this.texts[k];
      out[`metaclip:matched_texts:${l}`] = this.matched[k];
    });
    if (this.unrouted) {
      out[`metaclip:texts:${OTHER}`] = this.unrouted;
      out[`metaclip:matched_texts:${OTHER}`] = this.unroutedMatched;
    }
    if (this.fallback) out['metaclip:fallback_texts'] = this.fallback;
    return out;
  }
}

/** The stage's routing: a table file (relative to the pipeline), an inline map, or the shipped table. */
export function languageRouting(languages: readonly string[], routing: string | Record<string, string> | undefined, fallbackLanguage: string | undefined, baseDir: string): LanguageRouting {
  const table = typeof routing === 'object' ? new Map(Object.entries(routing)) : loadRoutingTable(routing === undefined ? undefined : path.resolve(baseDir, routing));
  return new LanguageRouting(languages, table, fallbackLanguage);
}
