import { cpSync, mkdtempSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from './cli.js';

export function tempDir(prefix = 'thresher-test-'): string {
  return mkdtempSync(path.join(os.tmpdir(), prefix));
}

/**
 * Where the second copy of the first package goes, inside the second package. Not a nested
 * `node_modules/`: Linguist calls every file below one generated (and vendored), so the
 * default pipeline's file_filter would drop the copy before exact dedup sees it.
 */
export const NESTED_COPY = 'bundled';

/**
 * A small real code tree: a few installed packages copied from node_modules, one of them
 * twice (bundled inside another, see NESTED_COPY), so exact duplicates are real files.
 */
export function makeCodeTree(root: string, packages = ['commander', 'yaml', 'cli-progress', 'fzstd']): string {
  const nm = path.join(root, 'node_modules');
  mkdirSync(nm, { recursive: true });
  for (const p of packages) cpSync(path.join(REPO_ROOT, 'node_modules', p), path.join(nm, p), { recursive: true });
  // A second copy of the first package: every file in it is an exact duplicate.
  cpSync(path.join(REPO_ROOT, 'node_modules', packages[0]), path.join(nm, packages[1], NESTED_COPY, packages[0]), { recursive: true });
  return nm;
}

export function writePipeline(dir: string, input: string, extra: { tasks?: number; stages?: string; output?: string; onBad?: string } = {}): string {
  const file = path.join(dir, 'pipeline.yaml');
  writeFileSync(
    file,
    `name: test
input:
  type: directory
  path: ${JSON.stringify(input)}
on_bad_input: ${extra.onBad ?? 'quarantine'}
stages:
${
  extra.stages ??
  `  - language: {}
  - file_filter: {}
  - dedup_exact:
      priority: [repo, path]`
}
output:
  path: ${extra.output ?? 'out'}
execution:
  tasks: ${extra.tasks ?? 4}
`,
  );
  return file;
}

export function countFiles(dir: string): number {
  let n = 0;
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    n += statSync(p).isDirectory() ? countFiles(p) : 1;
  }
  return n;
}
