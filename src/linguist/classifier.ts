/**
 * A token classifier for what Linguist's rules leave tied, in the manner of Linguist's own
 * (multinomial naive Bayes over source tokens, trained on labelled sample files, asked only to
 * choose among the candidates the file name and rules left). It never picks a language outside
 * the candidates, and abstains (returns undefined) when it knows none of them.
 *
 * Tokens: identifiers and keywords (case kept), `#`/`@`/`%`/`\`/`.`-prefixed words
 * (`#include`, `@interface`, `%define`, `\begin`, `.globl`), and runs of up to three operator
 * characters (`:-`, `=>`, `::`). String literal contents and numbers are skipped: they
 * describe the program's data, not its language.
 */

/** Like Linguist, only the first 50 KiB of a file are read. */
export const CLASSIFIER_WINDOW = 50 * 1024;
/** Enough tokens to decide; bounds the time per file. */
export const MAX_TOKENS = 4_000;

const TOKEN = /"(?:[^"\\\n]|\\.){0,200}"|'(?:[^'\\\n]|\\.){0,200}'|[#@%\\.]?[A-Za-z_][A-Za-z0-9_]*|[0-9][0-9A-Za-z_.]*|[^\sA-Za-z0-9_"']{1,3}/g;

/** The tokens of a text (at most `max`). */
export function tokenize(text: string, max = MAX_TOKENS): string[] {
  const window = text.length > CLASSIFIER_WINDOW ? text.slice(0, CLASSIFIER_WINDOW) : text;
  const out: string[] = [];
  TOKEN.lastIndex = 0;
  for (let m = TOKEN.exec(window); m !== null && out.length < max; m = TOKEN.exec(window)) {
    const c = m[0].charCodeAt(0);
    if (c === 34 || c === 39)
      out.push(c === 34 ? '"' : "'"); // a string: its quote only
    else if (c < 48 || c > 57) out.push(m[0]); // numbers skipped
  }
  return out;
}

export interface TrainingSample {
  language: string;
  content: string;
}

interface LanguageModel {
  counts: Map<string, number>;
  total: number;
  samples: number;
}

/** A trained model: per language, how often each token occurs in its samples. */
export class TokenClassifier {
  private readonly models = new Map<string, LanguageModel>();
  private vocabulary = new Set<string>();
  private totalSamples = 0;

  /** Laplace smoothing weight for a token a language's samples never showed. */
  constructor(private readonly smoothing = 1) {}

  static train(samples: Iterable<TrainingSample>, smoothing?: number): TokenClassifier {
    const c = new TokenClassifier(smoothing);
    for (const s of samples) c.add(s.language, s.content);
    return c;
  }

  add(language: string, content: string): void {
    let m = this.models.get(language);
    if (m === undefined) {
      m = { counts: new Map(), total: 0, samples: 0 };
      this.models.set(language, m);
    }
    m.samples++;
    this.totalSamples++;
    for (const t of tokenize(content, Infinity)) {
      m.counts.set(t, (m.counts.get(t) ?? 0) + 1);
      m.total++;
      this.vocabulary.add(t);
    }
  }

  knows(language: string): boolean {
    return this.models.has(language);
  }

  get languages(): string[] {
    return [...this.models.keys()];
  }

  /**
   * Candidates the model knows, best first, with log-scores. Candidates without samples are
   * left out; an empty list means the classifier cannot help.
   */
  rank(text: string, candidates: readonly string[]): { language: string; score: number }[] {
    const known = candidates.filter((l) => this.models.has(l));
    if (known.length === 0) return [];
    if (known.length === 1) return [{ language: known[0], score: 0 }];
    const tokens = tokenize(text);
    const v = this.vocabulary.size + 1;
    const scored = known.map((language) => {
      const m = this.models.get(language)!;
      const denominator = Math.log(m.total + this.smoothing * v);
      let score = 0;
      for (const t of tokens) score += Math.log((m.counts.get(t) ?? 0) + this.smoothing) - denominator;
      return { language, score };
    });
    return scored.sort((a, b) => b.score - a.score);
  }

  /** The best candidate, or undefined when it knows none of them. */
  classify(text: string, candidates: readonly string[]): string | undefined {
    return this.rank(text, candidates)[0]?.language;
  }
}
