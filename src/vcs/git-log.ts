import { gitOutput } from './git-run.js';

/** One changed path of a commit as `git log --raw` reports it against the first parent. */
export interface Change {
  /** A added, M modified, T type changed, D deleted */
  status: string;
  /** new mode and blob (the zero id for a deletion) */
  mode: string;
  sha: string;
  path: Buffer;
}

export interface LoggedCommit {
  sha: string;
  parents: string[];
  authorTime: number;
  author: string;
  changes: Change[];
}

const HEADER = 0x01;
const FIELD = '\x02';

/**
 * The commits of `revs` (e.g. `HEAD`, `a..b`) with the files each changed, newest first (or
 * oldest first with `reverse`). One `git log` process: merges list no files (git's default),
 * renames are a deletion plus an addition, so every version of every path is a change.
 */
export function logChanges(gitDir: string, revs: readonly string[], opts: { reverse?: boolean } = {}): LoggedCommit[] {
  const args = ['log', '--no-renames', '--raw', '--no-abbrev', '-z', `--format=%x01%H %P${FIELD}%at${FIELD}%an <%ae>`];
  if (opts.reverse) args.push('--reverse');
  return parseLog(gitOutput(gitDir, [...args, ...revs, '--']));
}

/** Parses the NUL-separated output of logChanges' command. */
export function parseLog(out: Buffer): LoggedCommit[] {
  const commits: LoggedCommit[] = [];
  let current: LoggedCommit | null = null;
  let p = 0;
  while (p < out.length) {
    let nul = out.indexOf(0, p);
    if (nul < 0) nul = out.length;
    let start = p;
    while (start < nul && out[start] === 0x0a) start++; // a newline ends each header and raw block
    if (out[start] === HEADER) {
      const [ids, time, author] = out.toString('utf8', start + 1, nul).split(FIELD);
      const [sha, ...parents] = ids.split(' ').filter((s) => s !== '');
      current = { sha, parents, authorTime: Number(time), author, changes: [] };
      commits.push(current);
      p = nul + 1;
    } else if (out[start] === 0x3a /* ':' */ && current) {
      // ":<old mode> <new mode> <old sha> <new sha> <status>" then the path as its own field
      const meta = out.toString('latin1', start + 1, nul).split(' ');
      const pathEnd = out.indexOf(0, nul + 1);
      const end = pathEnd < 0 ? out.length : pathEnd;
      current.changes.push({ status: meta[4][0], mode: meta[1], sha: meta[3], path: Buffer.from(out.subarray(nul + 1, end)) });
      p = end + 1;
    } else {
      p = nul + 1; // nothing we read (an empty field)
    }
  }
  return commits;
}

export interface LastTouch {
  commit: string;
  authorTime: number;
  author: string;
}

/**
 * For each path (latin1 key of its bytes), the newest commit reachable from `rev` that added or
 * changed it: one history walk for the whole repository, not one per file.
 */
export function lastTouches(gitDir: string, rev: string): Map<string, LastTouch> {
  const out = new Map<string, LastTouch>();
  for (const c of logChanges(gitDir, [rev])) {
    for (const ch of c.changes) {
      if (ch.status === 'D') continue;
      const key = ch.path.toString('latin1');
      if (!out.has(key)) out.set(key, { commit: c.sha, authorTime: c.authorTime, author: c.author });
    }
  }
  return out;
}
