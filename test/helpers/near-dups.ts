import { cpSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from './cli.js';

const TEXT = /\.(js|cjs|mjs|ts|cts|mts|md|json|txt|yml|yaml)$/;

/** Every regular file under `dir`, relative, in name order. */
export function listFiles(dir: string, rel = ''): string[] {
  const out: string[] = [];
  for (const name of readdirSync(path.join(dir, rel)).sort()) {
    const r = rel ? `${rel}/${name}` : name;
    const st = statSync(path.join(dir, r));
    if (st.isDirectory()) out.push(...listFiles(dir, r));
    else if (st.isFile()) out.push(r);
  }
  return out;
}

/**
 * A small edit of a text, as the next release of a package makes: a new first line, and every
 * `every`-th line changed (a comment appended). Deterministic.
 */
export function editText(text: string, every: number, tag: string): string {
  const lines = text.split('\n');
  return [`// ${tag}`, ...lines.map((l, i) => (i % every === every - 1 ? `${l} // ${tag} patched` : l))].join('\n');
}

/**
 * Real near-duplicates: each installed package in `packages` twice, as two versions:
 * `<pkg>-1.0.0/` as installed, `<pkg>-1.0.1/` with every text file edited (editText). Returns the
 * tree and the pairs of files that are the same file in the two versions.
 */
export function makeVersionedTree(root: string, packages: string[], every = 40): { dir: string; pairs: [string, string][] } {
  const dir = path.join(root, 'tree');
  const pairs: [string, string][] = [];
  for (const pkg of packages) {
    const from = path.join(REPO_ROOT, 'node_modules', pkg);
    const v1 = `${pkg}-1.0.0`;
    const v2 = `${pkg}-1.0.1`;
    cpSync(from, path.join(dir, v1), { recursive: true, dereference: true });
    for (const rel of listFiles(from)) {
      const target = path.join(dir, v2, rel);
      mkdirSync(path.dirname(target), { recursive: true });
      const bytes = readFileSync(path.join(from, rel));
      writeFileSync(target, TEXT.test(rel) ? editText(bytes.toString('utf8'), every, v2) : bytes);
      if (TEXT.test(rel)) pairs.push([`${v1}/${rel}`, `${v2}/${rel}`]);
    }
  }
  return { dir, pairs };
}
