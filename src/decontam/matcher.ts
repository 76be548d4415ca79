import { SubstringSearch } from './search.js';
import { normalize, type WhitespaceRule } from './normalize.js';

/** One benchmark item: a prompt or solution, and where it comes from (for the exclusion detail). */
export interface BenchmarkItem {
  text: string;
  /** the benchmark's name (counters count hits per benchmark) */
  benchmark: string;
  /** e.g. `humaneval.jsonl row 12 prompt` */
  where: string;
}

export interface MatcherOptions {
  /** items shorter than this after normalisation are ignored: short items match everything */
  minLength: number;
  whitespace: WhitespaceRule;
}

export interface MatcherStats {
  /** items given */
  items: number;
  /** items searched for */
  used: number;
  /** ignored: shorter than minLength after normalisation */
  short: number;
  /** ignored: the same normalised text as an earlier item (the earlier one is reported) */
  duplicates: number;
  /** distinct anchors (hashes of the items' first `minLength` characters) */
  anchors: number;
}

/**
 * Which benchmark item, if any, a file contains: whitespace- and case-insensitive substring
 * match (normalize.ts) of every item at least `minLength` normalised characters (UTF-16 code
 * units) long, one pass over the file (search.ts: a rolling hash of each item's first `minLength`
 * characters).
 */
export class ContaminationMatcher {
  readonly stats: MatcherStats;
  private readonly search: SubstringSearch;
  private readonly used: BenchmarkItem[] = [];

  constructor(items: readonly BenchmarkItem[], options: MatcherOptions) {
    const patterns: string[] = [];
    const known = new Set<string>();
    let short = 0;
    let duplicates = 0;
    for (const item of items) {
      const p = normalize(item.text, options.whitespace);
      if (p.length < Math.max(1, options.minLength)) short++;
      else if (known.has(p)) duplicates++;
      else {
        known.add(p);
        patterns.push(p);
        this.used.push(item);
      }
    }
    this.search = new SubstringSearch(patterns, options.whitespace, Math.max(1, options.minLength));
    this.stats = { items: items.length, used: patterns.length, short, duplicates, anchors: this.search.anchors };
  }

  /** The item the text contains (the one that starts first; on a tie, the first given), or undefined. */
  find(text: string): BenchmarkItem | undefined {
    if (this.used.length === 0) return undefined;
    const id = this.search.firstMatch(text);
    return id < 0 ? undefined : this.used[id];
  }
}
