import * as linguist from 'linguist-languages';

/** Linguist's four language types. */
export type LanguageType = 'programming' | 'data' | 'markup' | 'prose';

/** One language of Linguist's table (the `linguist-languages` package, languages.yml). */
export interface LanguageInfo {
  name: string;
  type: LanguageType;
  /** Extensions with the leading dot, as Linguist spells them; the first is the primary one. */
  extensions: readonly string[];
  /** Exact file names (case-sensitive), e.g. `Makefile`, `.bashrc`. */
  filenames: readonly string[];
  /** Shebang interpreters, e.g. `python3`. */
  interpreters: readonly string[];
  aliases: readonly string[];
  /** Parent language for display, e.g. TSX → TypeScript. */
  group?: string;
}

/**
 * Tie-break order when Linguist's rules leave more than one candidate and the classifier
 * cannot choose (it knows none of them, or content is not used):
 * the most used languages on GitHub and in The Stack v2 first. C precedes C++ and Objective-C
 * (Linguist's own fallback for `.h`), JavaScript precedes Erlang (`.es`) and GLSL (`.frag`,
 * `.gs`), Perl precedes Prolog and Raku (`.pl`, `.pm`, `.t`), SQL precedes its dialects.
 * A language not listed ranks after all listed ones.
 */
export const PREFERRED_LANGUAGES: readonly string[] = [
  'JavaScript',
  'Python',
  'Java',
  'C',
  'C++',
  'Objective-C',
  'C#',
  'PHP',
  'TypeScript',
  'TSX',
  'Shell',
  'Ruby',
  'Go',
  'Rust',
  'Perl',
  'Kotlin',
  'Swift',
  'Scala',
  'R',
  'Lua',
  'SQL',
  'HTML',
  'CSS',
  'Markdown',
  'JSON',
  'YAML',
  'XML',
  'Text',
  'TeX',
  'Makefile',
  'CMake',
  'Dockerfile',
  'PowerShell',
  'Batchfile',
  'Assembly',
  'Fortran',
  'MATLAB',
  'Haskell',
  'OCaml',
  'F#',
  'Elixir',
  'Erlang',
  'Clojure',
  'Julia',
  'Dart',
  'Groovy',
  'Verilog',
  'Puppet',
  'Pascal',
  'Prolog',
  'Common Lisp',
  'Scheme',
  'GLSL',
  'CoffeeScript',
  'Vue',
  'TOML',
  'Java Properties',
  'INI',
  'Emacs Lisp',
  'Vim Script',
  'D',
  'Smalltalk',
  'Forth',
  'Raku',
  'Objective-C++',
];

const TYPE_ORDER: Record<LanguageType, number> = { programming: 0, markup: 1, data: 2, prose: 3 };

/** Lookup tables built once; every detection step is a Map lookup. */
export interface LanguageTable {
  byName: ReadonlyMap<string, LanguageInfo>;
  /** Exact file name → candidates, best first. */
  byFilename: ReadonlyMap<string, readonly LanguageInfo[]>;
  /** Lower-cased extension (with dot, may be compound like `.cmake.in`) → candidates, best first. */
  byExtension: ReadonlyMap<string, readonly LanguageInfo[]>;
  byInterpreter: ReadonlyMap<string, readonly LanguageInfo[]>;
  /** Lower-cased name, name with `-` for spaces, and aliases → language (for modelines). */
  byAlias: ReadonlyMap<string, LanguageInfo>;
}

interface RawLanguage {
  name: string;
  type: LanguageType;
  extensions?: readonly string[];
  filenames?: readonly string[];
  interpreters?: readonly string[];
  aliases?: readonly string[];
  group?: string;
}

function preference(name: string): number {
  const i = PREFERRED_LANGUAGES.indexOf(name);
  return i < 0 ? PREFERRED_LANGUAGES.length : i;
}

/**
 * Order candidates best first: preference list, then (for extensions) languages whose primary
 * extension this is, then programming > markup > data > prose, then name.
 */
export function rankCandidates(list: LanguageInfo[], extension?: string): LanguageInfo[] {
  const primary = (l: LanguageInfo) => (extension !== undefined && l.extensions[0]?.toLowerCase() === extension ? 0 : 1);
  return list.sort((a, b) => preference(a.name) - preference(b.name) || primary(a) - primary(b) || TYPE_ORDER[a.type] - TYPE_ORDER[b.type] || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function push(map: Map<string, LanguageInfo[]>, key: string, lang: LanguageInfo): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [lang]);
  else if (!list.includes(lang)) list.push(lang);
}

let cached: LanguageTable | undefined;

/** Linguist's table, indexed. Built on first use and shared by every stage instance. */
export function languageTable(): LanguageTable {
  if (cached) return cached;
  const byName = new Map<string, LanguageInfo>();
  const byFilename = new Map<string, LanguageInfo[]>();
  const byExtension = new Map<string, LanguageInfo[]>();
  const byInterpreter = new Map<string, LanguageInfo[]>();
  const byAlias = new Map<string, LanguageInfo>();
  for (const raw of Object.values(linguist) as unknown as RawLanguage[]) {
    const lang: LanguageInfo = {
      name: raw.name,
      type: raw.type,
      extensions: raw.extensions ?? [],
      filenames: raw.filenames ?? [],
      interpreters: raw.interpreters ?? [],
      aliases: raw.aliases ?? [],
      group: raw.group,
    };
    byName.set(lang.name, lang);
    for (const f of lang.filenames) push(byFilename, f, lang);
    for (const e of lang.extensions) push(byExtension, e.toLowerCase(), lang);
    for (const i of lang.interpreters) push(byInterpreter, i, lang);
  }
  // Aliases: explicit ones win over derived names so `mode: c++` finds C++, not a near name.
  for (const lang of byName.values()) {
    for (const a of lang.aliases) byAlias.set(a.toLowerCase(), lang);
  }
  for (const lang of byName.values()) {
    const lower = lang.name.toLowerCase();
    if (!byAlias.has(lower)) byAlias.set(lower, lang);
    const dashed = lower.replace(/ /g, '-');
    if (!byAlias.has(dashed)) byAlias.set(dashed, lang);
  }
  for (const [ext, list] of byExtension) rankCandidates(list, ext);
  for (const list of byFilename.values()) rankCandidates(list);
  for (const list of byInterpreter.values()) rankCandidates(list);
  cached = { byName, byFilename, byExtension, byInterpreter, byAlias };
  return cached;
}

/**
 * Linguist's extensions of a file name, longest first: `a.cmake.in` → `.cmake.in`, `.in`;
 * `.bashrc` → `.bashrc`. Lower-cased, as Linguist matches extensions case-insensitively.
 */
export function extensionsOf(basename: string): string[] {
  const out: string[] = [];
  const lower = basename.toLowerCase();
  let dot = lower.indexOf('.');
  while (dot >= 0) {
    out.push(lower.slice(dot));
    dot = lower.indexOf('.', dot + 1);
  }
  return out;
}

/** The part of a path after its last `/` or `\`. */
export function basenameOf(path: string): string {
  const slash = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return slash < 0 ? path : path.slice(slash + 1);
}
