import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/**
 * Finding git repositories on disk without running git: a work tree has `.git` (a folder, or a
 * file `gitdir: <path>` for linked work trees and submodules); a bare repository is a folder
 * holding `HEAD`, `objects/` and `refs/`.
 */

function isDir(p: string): boolean {
  return statSync(p, { throwIfNoEntry: false })?.isDirectory() ?? false;
}

function isBare(dir: string): boolean {
  return statSync(path.join(dir, 'HEAD'), { throwIfNoEntry: false })?.isFile() === true && isDir(path.join(dir, 'objects')) && isDir(path.join(dir, 'refs'));
}

/** The git directory of a repository folder (work tree or bare), or null when it is not one. */
export function gitDirOf(dir: string): string | null {
  const dotGit = path.join(dir, '.git');
  const st = statSync(dotGit, { throwIfNoEntry: false });
  if (st?.isDirectory()) return dotGit;
  if (st?.isFile()) {
    const m = /^gitdir: (.+)$/m.exec(readFileSync(dotGit, 'utf8'));
    if (m) return path.resolve(dir, m[1].trim());
  }
  return isBare(dir) ? dir : null;
}

export interface FoundRepo {
  /** name relative to the folder searched (`owner/name`, `.git` suffix dropped); the folder's own name for a single repository */
  name: string;
  dir: string;
  gitDir: string;
}

/**
 * The repositories of `root`: itself when it is one, else every repository below it (not
 * looking inside a repository found, nor into hidden folders), sorted by name bytes.
 */
export function findRepos(root: string): FoundRepo[] {
  const abs = path.resolve(root);
  const own = gitDirOf(abs);
  if (own) return [{ name: path.basename(abs).replace(/\.git$/, '') || abs, dir: abs, gitDir: own }];
  const out: FoundRepo[] = [];
  const visit = (dir: string, rel: string) => {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      return; // unreadable folder: nothing found there
    }
    for (const n of names) {
      if (n.startsWith('.')) continue;
      const sub = path.join(dir, n);
      if (!isDir(sub)) continue;
      const subRel = rel ? `${rel}/${n}` : n;
      const gitDir = gitDirOf(sub);
      if (gitDir) out.push({ name: subRel.replace(/\.git$/, ''), dir: sub, gitDir });
      else visit(sub, subRel);
    }
  };
  visit(abs, '');
  return out.sort((a, b) => Buffer.compare(Buffer.from(a.name), Buffer.from(b.name)));
}

/** A linked work tree's git directory keeps HEAD but shares config, objects and refs with the main one. */
export function commonDir(gitDir: string): string {
  try {
    return path.resolve(gitDir, readFileSync(path.join(gitDir, 'commondir'), 'utf8').trim());
  } catch {
    return gitDir;
  }
}

/** Where HEAD points: `{ ref: 'refs/heads/main' }` for a branch, `{ sha }` when detached. */
export function readHead(gitDir: string): { ref: string } | { sha: string } {
  const text = readFileSync(path.join(gitDir, 'HEAD'), 'utf8').trim();
  return text.startsWith('ref: ') ? { ref: text.slice(5).trim() } : { sha: text };
}

/**
 * The repository's remote URL from its config: remote "origin", else the first remote; null
 * when there is none. Read from the file (no process): include directives are not followed.
 */
export function remoteUrl(gitDir: string): string | null {
  let text: string;
  try {
    text = readFileSync(path.join(commonDir(gitDir), 'config'), 'utf8');
  } catch {
    return null;
  }
  let section = '';
  const urls = new Map<string, string>();
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    const sec = /^\[\s*remote\s+"(.*)"\s*\]$/.exec(line);
    if (sec) section = sec[1];
    else if (line.startsWith('[')) section = '';
    else if (section) {
      const kv = /^url\s*=\s*(.*)$/i.exec(line);
      if (kv && !urls.has(section)) urls.set(section, kv[1].replace(/^"(.*)"$/, '$1'));
    }
  }
  return urls.get('origin') ?? urls.values().next().value ?? null;
}
