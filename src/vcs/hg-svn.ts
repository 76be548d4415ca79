import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { listExported, type ExportedFile } from './exported-tree.js';
import { directoryId } from './swhid.js';

/**
 * Mercurial and Subversion through their own command-line tools (Debian's `mercurial`,
 * `subversion`): a revision is exported to a temporary folder (`hg archive`, `svn export`) and
 * its files listed from there, with the tree's `swh:1:dir:` computed as SWH does for any tree.
 */
export type ExportVcs = 'hg' | 'svn';

export interface ExportedRevision {
  /** the tool's own revision id: hg's changeset hash, svn's revision number */
  revision: string;
  origin: string | null;
  swhDir: string;
  files: ExportedFile[];
  /** removes the exported copy */
  dispose: () => void;
}

function run(cmd: string, args: string[]): string {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 28, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, HGPLAIN: '1', LC_ALL: 'C.UTF-8' } });
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    throw new Error(`${cmd} ${args[0]}: ${(e.stderr?.trim() || e.message).split('\n')[0]}`);
  }
}

/** Mercurial repositories have `.hg/`; Subversion ones are `svnadmin` repositories (`format`, `db/`) or working copies (`.svn/`). */
export function isRepo(vcs: ExportVcs, dir: string): boolean {
  const has = (p: string) => statSync(path.join(dir, p), { throwIfNoEntry: false }) !== undefined;
  return vcs === 'hg' ? has('.hg') : (has('format') && has('db')) || has('.svn');
}

/** The repositories of `root`: itself, or its sub-folders that are repositories (one level), by name. */
export function findExportRepos(vcs: ExportVcs, root: string): { name: string; dir: string }[] {
  const abs = path.resolve(root);
  if (isRepo(vcs, abs)) return [{ name: path.basename(abs), dir: abs }];
  return readdirSync(abs)
    .filter((n) => !n.startsWith('.') && isRepo(vcs, path.join(abs, n)))
    .sort()
    .map((n) => ({ name: n, dir: path.join(abs, n) }));
}

/** Exports `revision` (default: hg `tip`, svn `HEAD`) of a repository and lists its files. */
export function exportRevision(vcs: ExportVcs, dir: string, revision?: string): ExportedRevision {
  const tmp = mkdtempSync(path.join(os.tmpdir(), `thresher-${vcs}-`));
  const dest = path.join(tmp, 'tree');
  const dispose = () => rmSync(tmp, { recursive: true, force: true });
  try {
    let rev: string;
    let origin: string | null;
    if (vcs === 'hg') {
      const r = revision ?? 'tip';
      rev = run('hg', ['log', '-R', dir, '-r', r, '-T', '{node}']).trim();
      run('hg', ['archive', '-R', dir, '-r', rev, '--config', 'ui.archivemeta=false', '-t', 'files', dest]);
      origin = run('hg', ['paths', '-R', dir]).match(/^default = (.+)$/m)?.[1] ?? null;
    } else {
      // an svnadmin repository is read through a file:// URL; a working copy by its own URL
      const url = statSync(path.join(dir, '.svn'), { throwIfNoEntry: false }) ? run('svn', ['info', '--show-item', 'url', dir]).trim() : pathToFileURL(dir).href;
      const r = revision ?? 'HEAD';
      rev = run('svn', ['info', '--show-item', 'last-changed-revision', '-r', r, url]).trim();
      run('svn', ['export', '-q', '--force', '-r', r, url, dest]);
      origin = url.startsWith('file:') ? null : url;
    }
    const files = statSync(dest, { throwIfNoEntry: false }) ? listExported(dest) : [];
    return { revision: rev, origin, swhDir: directoryId(files), files, dispose };
  } catch (err) {
    dispose();
    throw err;
  }
}
