import { gitOutput } from './git-run.js';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { CatFile } from './cat-file.js';
import { parseTag } from './git-objects.js';
import { commonDir, readHead } from './git-dir.js';
import type { SnapshotBranch, SnapshotTargetType } from './swhid.js';

const TARGET: Record<string, SnapshotTargetType> = { commit: 'revision', tag: 'release', tree: 'directory', blob: 'content' };

/**
 * Every ref of a repository with the id it holds, or `ref: <name>` for a symbolic ref (e.g.
 * `refs/remotes/origin/HEAD`), read from the files (loose refs win over packed-refs), no process.
 */
export function readRefs(gitDir: string): Map<string, string> {
  const common = commonDir(gitDir);
  const refs = new Map<string, string>();
  try {
    for (const line of readFileSync(path.join(common, 'packed-refs'), 'latin1').split('\n')) {
      const m = /^([0-9a-f]{40}) (refs\/.+)$/.exec(line); // '^<sha>' lines peel the tag above: not a ref
      if (m) refs.set(m[2], m[1]);
    }
  } catch {
    // no packed-refs: every ref is loose
  }
  const visit = (dir: string, prefix: string) => {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      return;
    }
    for (const n of names) {
      const abs = path.join(dir, n);
      const st = statSync(abs, { throwIfNoEntry: false });
      if (st?.isDirectory()) visit(abs, `${prefix}${n}/`);
      else if (st?.isFile()) {
        const value = readFileSync(abs, 'latin1').trim();
        if (/^[0-9a-f]{40}$/.test(value) || value.startsWith('ref: ')) refs.set(`${prefix}${n}`, value);
      }
    }
  };
  visit(path.join(common, 'refs'), 'refs/');
  return refs;
}

/**
 * The branches of a repository as Software Heritage's git loader records them in a snapshot:
 * every ref (annotated tags as releases, the rest by the type of object they point to), and
 * HEAD as an alias of the branch it names (a revision when detached). GitHub's
 * `refs/pull/N/merge` refs are left out, as SWH's loader does. A local clone's refs are its own
 * (`refs/remotes/...` included), so its snapshot equals SWH's only when it mirrors the origin.
 * Object types come from the repository's cat-file process (no extra process).
 */
export async function snapshotBranches(gitDir: string, cat: CatFile): Promise<SnapshotBranch[]> {
  const refs = [...readRefs(gitDir)].filter(([name]) => !/^refs\/pull\/[^/]+\/merge$/.test(name));
  const objects = await Promise.all(refs.map(([, value]) => (value.startsWith('ref: ') ? null : cat.get(value))));
  const branches: SnapshotBranch[] = refs.map(([name, value], i) =>
    value.startsWith('ref: ')
      ? { name: Buffer.from(name, 'latin1'), type: 'alias', target: Buffer.from(value.slice(5), 'latin1') }
      : { name: Buffer.from(name, 'latin1'), type: TARGET[objects[i]?.type ?? 'commit'], target: value },
  );
  const head = readHead(gitDir);
  branches.push('ref' in head ? { name: Buffer.from('HEAD'), type: 'alias', target: Buffer.from(head.ref) } : { name: Buffer.from('HEAD'), type: 'revision', target: head.sha });
  return branches;
}

/**
 * The object id a ref names, read from the files as git looks a name up (`<name>`, `refs/<name>`,
 * `refs/tags/`, `refs/heads/`, `refs/remotes/`, `refs/remotes/<name>/HEAD`), following symbolic
 * refs; a full id stands for itself. Null for anything else (`HEAD~2`, a short id): the caller
 * asks git then.
 */
export function lookUpRef(gitDir: string, name: string, refs: Map<string, string> = readRefs(gitDir)): string | null {
  if (/^[0-9a-f]{40}$/.test(name)) return name;
  for (let depth = 0; depth < 5; depth++) {
    let value: string | undefined;
    if (name === 'HEAD') {
      const head = readHead(gitDir);
      value = 'sha' in head ? head.sha : `ref: ${head.ref}`;
    } else {
      for (const candidate of [name, `refs/${name}`, `refs/tags/${name}`, `refs/heads/${name}`, `refs/remotes/${name}`, `refs/remotes/${name}/HEAD`]) {
        value = refs.get(candidate);
        if (value !== undefined) break;
      }
    }
    if (value === undefined) return null;
    if (!value.startsWith('ref: ')) return value;
    name = value.slice(5);
  }
  return null;
}

/** The commit an object id stands for, peeling annotated tags (through the repository's cat-file process). */
export async function peelToCommit(cat: CatFile, sha: string): Promise<{ sha: string; content: Buffer }> {
  for (let depth = 0; depth < 10; depth++) {
    const obj = await cat.get(sha);
    if (!obj) throw new Error(`object ${sha} is missing from the repository`);
    if (obj.type === 'commit') return { sha: obj.sha, content: obj.content };
    if (obj.type !== 'tag') throw new Error(`${sha} is a ${obj.type}, not a commit`);
    sha = parseTag(obj.content).object;
  }
  throw new Error(`tag chain too long at ${sha}`);
}

/** The commit a ref names, or the newest commit reachable from it made before `date` (any `git log --before` date). */
export function resolveCommit(gitDir: string, ref: string, date?: string): string {
  const args = date === undefined ? ['rev-parse', '--verify', '--end-of-options', `${ref}^{commit}`] : ['rev-list', '-1', `--before=${date}`, ref, '--'];
  const what = date === undefined ? `no commit ${ref}` : `no commit on ${ref} before ${date}`;
  let sha: string;
  try {
    sha = gitOutput(gitDir, args).toString().trim();
  } catch (err) {
    throw new Error(`${what} (${(err as Error).message})`);
  }
  if (!/^[0-9a-f]{40}$/.test(sha)) throw new Error(what);
  return sha;
}
