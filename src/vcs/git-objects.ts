/**
 * Parsing git's commit, tree and tag objects (as cat-file gives their bodies). Only the fields
 * the readers need: a commit's tree, parents, author and times; a tree's entries; a tag's target.
 */

export interface Commit {
  tree: string;
  parents: string[];
  /** `Name <email>` */
  author: string;
  /** seconds since the epoch */
  authorTime: number;
  committerTime: number;
}

/** Mode of a tree entry as git writes it (octal text): 40000 tree, 100644/100755 file, 120000 symlink, 160000 gitlink. */
export interface TreeEntry {
  mode: string;
  /** raw name bytes (git paths are bytes, not necessarily UTF-8) */
  name: Buffer;
  sha: string;
}

function personTime(line: string): { who: string; time: number } {
  // "author Name <email> 1700000000 +0100"
  const gt = line.lastIndexOf('>');
  const who = line.slice(line.indexOf(' ') + 1, gt + 1);
  const time = Number(line.slice(gt + 2).split(' ')[0]);
  return { who, time: Number.isFinite(time) ? time : 0 };
}

export function parseCommit(body: Buffer): Commit {
  const text = body.toString('utf8');
  const headerEnd = text.indexOf('\n\n');
  const commit: Commit = { tree: '', parents: [], author: '', authorTime: 0, committerTime: 0 };
  for (const line of (headerEnd < 0 ? text : text.slice(0, headerEnd)).split('\n')) {
    if (line.startsWith('tree ')) commit.tree = line.slice(5);
    else if (line.startsWith('parent ')) commit.parents.push(line.slice(7));
    else if (line.startsWith('author ')) {
      const p = personTime(line);
      commit.author = p.who;
      commit.authorTime = p.time;
    } else if (line.startsWith('committer ')) commit.committerTime = personTime(line).time;
  }
  return commit;
}

/** Binary tree body: repeated "<mode> <name>\0<20 raw bytes>". */
export function parseTree(body: Buffer): TreeEntry[] {
  const out: TreeEntry[] = [];
  let p = 0;
  while (p < body.length) {
    const sp = body.indexOf(0x20, p);
    const nul = body.indexOf(0, sp);
    if (sp < 0 || nul < 0 || nul + 21 > body.length) throw new Error('malformed tree object');
    out.push({ mode: body.toString('latin1', p, sp), name: body.subarray(sp + 1, nul), sha: body.toString('hex', nul + 1, nul + 21) });
    p = nul + 21;
  }
  return out;
}

/** An annotated tag's target (`object <sha>` and `type <type>`). */
export function parseTag(body: Buffer): { object: string; type: string } {
  const text = body.toString('utf8');
  const object = /^object ([0-9a-f]{40})$/m.exec(text)?.[1] ?? '';
  const type = /^type (\w+)$/m.exec(text)?.[1] ?? '';
  return { object, type };
}
