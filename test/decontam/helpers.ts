import { readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../helpers/cli.js';

/**
 * Real "benchmark items": the top-level functions of TypeScript's compiler bundle
 * (node_modules/typescript/lib/typescript.js), each from its `function name(` line to the
 * closing `}` in column 0. Thousands of them, of every length, sharing long prefixes.
 */
export function typescriptFunctions(limit = Infinity): string[] {
  const lines = readFileSync(path.join(REPO_ROOT, 'node_modules', 'typescript', 'lib', 'typescript.js'), 'utf8').split('\n');
  const out: string[] = [];
  for (let i = 0; i < lines.length && out.length < limit; i++) {
    if (!/^function [\w$]+\(/.test(lines[i])) continue;
    const end = lines.indexOf('}', i);
    if (end < 0) break;
    out.push(lines.slice(i, end + 1).join('\n'));
    i = end;
  }
  return out;
}

/** The same code as someone might paste it: indented by two tabs, lines re-wrapped, upper-cased. */
export function disguise(code: string): string {
  return code
    .split('\n')
    .map((line) => '\t\t' + line.trimStart().replace(/ {2}/g, ' ').replace(/\(/g, '( '))
    .join('\r\n')
    .toUpperCase();
}
