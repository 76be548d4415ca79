import type { TokenClassifier } from './classifier.js';
import { linguistHeuristics, type Disambiguation, type Heuristics } from './heuristics.js';
import { head, modelineLanguage, shebangLanguages } from './hints.js';
import { defaultClassifier } from './samples.js';
import { basenameOf, extensionsOf, languageTable, rankCandidates, type LanguageInfo, type LanguageTable } from './table.js';

/**
 * Which step decided. `xml`: Linguist's XML declaration check for files no name matched.
 * `preference`: several candidates were left and the fixed tie-break order chose.
 */
export type Strategy = 'modeline' | 'filename' | 'shebang' | 'extension' | 'xml' | 'heuristics' | 'classifier' | 'preference';

export interface Detection {
  language: LanguageInfo | null;
  strategy: Strategy | null;
  /** Languages still in the running before the last step (for diagnostics). */
  candidates: readonly string[];
}

export interface DetectorOptions {
  table?: LanguageTable;
  heuristics?: Heuristics;
  /** Use content (modelines, shebangs, heuristics, classifier); false: the name alone. */
  useContent?: boolean;
  /** Chooses among what the rules leave tied; null: none (tie-break order only). Default: `defaultClassifier()`. */
  classifier?: TokenClassifier | null;
}

const UNKNOWN: Detection = { language: null, strategy: null, candidates: [] };

/** What the file name alone says; the same for every file of that name, so it is cached. */
interface NameFacts {
  byFilename: readonly LanguageInfo[] | undefined;
  byExtension: readonly LanguageInfo[] | undefined;
  disambiguation: Disambiguation | undefined;
}

/** Cached file names; the cache is cleared when it reaches this size (names repeat a lot). */
const NAME_CACHE_LIMIT = 50_000;

/**
 * Language detection in GitHub Linguist's strategy order: modeline, exact file name, shebang,
 * extension (longest compound extension first), XML declaration (only for files no name
 * matched), Linguist's heuristics.yml, then a token classifier for what the rules leave tied,
 * then a fixed preference order. Each step narrows the candidates the previous left, as in
 * Linguist. Name lookups are Map lookups cached per file name; regular expressions run only on
 * files whose name leaves several candidates (and modeline patterns only when a marker is there).
 */
export class LanguageDetector {
  private readonly table: LanguageTable;
  private readonly heuristics: Heuristics;
  private readonly useContent: boolean;
  private readonly classifier: TokenClassifier | null | undefined;
  private readonly names = new Map<string, NameFacts>();

  constructor(options: DetectorOptions = {}) {
    this.table = options.table ?? languageTable();
    this.heuristics = options.heuristics ?? linguistHeuristics();
    this.useContent = options.useContent ?? true;
    this.classifier = options.classifier;
  }

  detect(path: string, content?: string | null): Detection {
    const text = this.useContent && typeof content === 'string' && content.length > 0 ? content : undefined;
    if (text !== undefined) {
      const m = modelineLanguage(this.table, text);
      if (m) return { language: m, strategy: 'modeline', candidates: [m.name] };
    }
    const base = basenameOf(path);
    const facts = this.nameFacts(base);
    let cands: readonly LanguageInfo[] = [];
    /** Linguist's step: a single candidate decides; several narrow; none keeps what was there. */
    const step = (found: readonly LanguageInfo[] | undefined, strategy: Strategy): Detection | undefined => {
      if (!found || found.length === 0) return undefined;
      const narrowed = cands.length > 0 ? found.filter((l) => cands.includes(l)) : found;
      if (narrowed.length === 1) return { language: narrowed[0], strategy, candidates: narrowed.map((l) => l.name) };
      if (narrowed.length > 1) cands = narrowed;
      return undefined;
    };
    const byName = step(facts.byFilename, 'filename') ?? (text?.startsWith('#!') ? step(shebangLanguages(this.table, text), 'shebang') : undefined) ?? step(facts.byExtension, 'extension');
    if (byName) return byName;
    if (cands.length === 0) {
      if (text !== undefined && head(text, 2, 1_000).includes('<?xml version=')) return { language: this.table.byName.get('XML')!, strategy: 'xml', candidates: ['XML'] };
      return UNKNOWN;
    }
    const names = cands.map((l) => l.name);
    if (text !== undefined) {
      const decided = this.fromContent(text, facts.disambiguation, cands);
      if (decided) return { ...decided, candidates: names };
    }
    return { language: cands[0], strategy: 'preference', candidates: names };
  }

  /** Heuristics, then the classifier, on a file the name left ambiguous. */
  private fromContent(text: string, rules: Disambiguation | undefined, cands: readonly LanguageInfo[]): { language: LanguageInfo; strategy: Strategy } | undefined {
    let left = cands;
    const said = rules?.decide(text);
    if (said) {
      const langs = said.map((n) => this.table.byName.get(n)).filter((l): l is LanguageInfo => l !== undefined);
      const inCands = langs.filter((l) => cands.includes(l));
      const picked = inCands.length > 0 ? inCands : langs;
      if (picked.length === 1) return { language: picked[0], strategy: 'heuristics' };
      if (picked.length > 1) left = rankCandidates([...picked]);
    }
    const classifier = this.classifier === undefined ? defaultClassifier() : this.classifier;
    const best = classifier?.classify(
      text,
      left.map((l) => l.name),
    );
    if (best !== undefined) return { language: this.table.byName.get(best)!, strategy: 'classifier' };
    return left !== cands ? { language: left[0], strategy: 'heuristics' } : undefined;
  }

  private nameFacts(base: string): NameFacts {
    let facts = this.names.get(base);
    if (facts !== undefined) return facts;
    let byExtension: readonly LanguageInfo[] | undefined;
    for (const e of extensionsOf(base)) {
      byExtension = this.table.byExtension.get(e);
      if (byExtension) break;
    }
    facts = { byFilename: this.table.byFilename.get(base), byExtension, disambiguation: this.heuristics.forName(base) };
    if (this.names.size >= NAME_CACHE_LIMIT) this.names.clear();
    this.names.set(base, facts);
    return facts;
  }
}
