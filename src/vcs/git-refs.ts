import { gitOutput } from './git-run.js';
import { readHead } from './git-dir.js';
import type { SnapshotBranch, SnapshotTargetType } from './swhid.js';

const TARGET: Record<string, SnapshotTargetType> = { commit: 'revision', tag: 'release', tree: 'directory', blob: 'content' };

/**
 * The branches of a repository as Software Heritage's git loader records them in a snapshot:
 * every ref (annotated tags as releases, the rest by the type of object they point to), and
 * HEAD as an alias of the branch it names (a revision when detached). GitHub's
 * `refs/pull/N/merge` refs are left out, as SWH's loader does. A local clone's refs are its own
 * (`refs/remotes/...` included), so its snapshot equals SWH's only when it mirrors the origin.
 */
export function snapshotBranches(gitDir: string): SnapshotBranch[] {
  const out = gitOutput(gitDir, ['for-each-ref', '--format=%(objectname) %(objecttype) %(refname)%00']);
  const branches: SnapshotBranch[] = [];
  let p = 0;
  for (let nul = out.indexOf(0, p); nul >= 0; nul = out.indexOf(0, p)) {
    let start = p;
    while (out[start] === 0x0a) start++;
    const line = out.subarray(start, nul);
    p = nul + 1;
    const sp1 = line.indexOf(0x20);
    const sp2 = line.indexOf(0x20, sp1 + 1);
    if (sp1 < 0 || sp2 < 0) continue;
    const name = Buffer.from(line.subarray(sp2 + 1));
    if (/^refs\/pull\/[^/]+\/merge$/.test(name.toString('latin1'))) continue;
    branches.push({ name, type: TARGET[line.toString('latin1', sp1 + 1, sp2)] ?? 'revision', target: line.toString('latin1', 0, sp1) });
  }
  const head = readHead(gitDir);
  branches.push('ref' in head ? { name: Buffer.from('HEAD'), type: 'alias', target: Buffer.from(head.ref) } : { name: Buffer.from('HEAD'), type: 'revision', target: head.sha });
  return branches;
}

/** The commit a ref names, or the newest commit reachable from it made before `date` (any `git log --before` date). */
export function resolveCommit(gitDir: string, ref: string, date?: string): string {
  const args = date === undefined ? ['rev-parse', '--verify', '--end-of-options', `${ref}^{commit}`] : ['rev-list', '-1', `--before=${date}`, ref, '--'];
  const sha = gitOutput(gitDir, args).toString().trim();
  if (!/^[0-9a-f]{40}$/.test(sha)) throw new Error(date === undefined ? `no commit ${ref}` : `no commit on ${ref} before ${date}`);
  return sha;
}
