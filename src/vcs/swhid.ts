import { createHash } from 'node:crypto';

/**
 * Software Heritage identifiers (SWHID v1) that thresher computes itself. For git, content,
 * directory and revision ids are the git object ids (`swh:1:cnt:` blob, `swh:1:dir:` tree,
 * `swh:1:rev:` commit); a snapshot id has no git object and is computed here as swh-model does.
 * Directory ids are also computed from file lists, for Mercurial and Subversion trees.
 */

export type SnapshotTargetType = 'content' | 'directory' | 'revision' | 'release' | 'snapshot' | 'alias';

export interface SnapshotBranch {
  /** raw branch name, e.g. `refs/heads/main`, `HEAD` */
  name: Buffer;
  type: SnapshotTargetType;
  /** 40 hex digits for object targets; the target branch's name for an alias */
  target: string | Buffer;
}

function sha1Object(kind: string, body: Buffer): string {
  return createHash('sha1').update(`${kind} ${body.length}\0`).update(body).digest('hex');
}

/**
 * The snapshot manifest: branches sorted by name (bytes), each as
 * `<target type> <name>\0<target length>:<target>`, with 20 raw bytes for an object id and the
 * branch name for an alias; the id is the sha1 of `snapshot <length>\0<manifest>`.
 */
export function snapshotManifest(branches: readonly SnapshotBranch[]): Buffer {
  const sorted = [...branches].sort((a, b) => Buffer.compare(a.name, b.name));
  const parts: Buffer[] = [];
  for (const b of sorted) {
    const target = typeof b.target === 'string' && b.type !== 'alias' ? Buffer.from(b.target, 'hex') : Buffer.from(b.target);
    parts.push(Buffer.from(`${b.type} `), b.name, Buffer.from(`\0${target.length}:`), target);
  }
  return Buffer.concat(parts);
}

export function snapshotId(branches: readonly SnapshotBranch[]): string {
  return `swh:1:snp:${sha1Object('snapshot', snapshotManifest(branches))}`;
}

/** A file of a tree to hash: its path (bytes, `/`-separated), git mode and blob sha1 (hex). */
export interface TreeFile {
  path: Buffer;
  mode: '100644' | '100755' | '120000' | '160000';
  sha: string;
}

interface DirNode {
  files: Map<string, { name: Buffer; mode: string; sha: string }>;
  dirs: Map<string, { name: Buffer; node: DirNode }>;
}

/**
 * The `swh:1:dir:` id of a tree given as a flat file list: git's tree hashing (entries sorted by
 * name bytes, a directory's name compared as if it ended with `/`), bottom-up. Equal to
 * `git rev-parse HEAD^{tree}` for the same files and modes; empty directories do not exist in
 * git, so they are not part of the list.
 */
export function directoryId(files: readonly TreeFile[]): string {
  const root: DirNode = { files: new Map(), dirs: new Map() };
  for (const f of files) {
    let node = root;
    let start = 0;
    for (let slash = f.path.indexOf(0x2f); slash >= 0; slash = f.path.indexOf(0x2f, start)) {
      const name = f.path.subarray(start, slash);
      const key = name.toString('latin1');
      let next = node.dirs.get(key);
      if (!next) node.dirs.set(key, (next = { name, node: { files: new Map(), dirs: new Map() } }));
      node = next.node;
      start = slash + 1;
    }
    const name = f.path.subarray(start);
    node.files.set(name.toString('latin1'), { name, mode: f.mode, sha: f.sha });
  }
  return `swh:1:dir:${hashDir(root)}`;
}

function hashDir(node: DirNode): string {
  const entries: { key: Buffer; mode: string; name: Buffer; sha: string }[] = [];
  for (const f of node.files.values()) entries.push({ key: f.name, mode: f.mode, name: f.name, sha: f.sha });
  for (const d of node.dirs.values()) entries.push({ key: Buffer.concat([d.name, Buffer.from('/')]), mode: '40000', name: d.name, sha: hashDir(d.node) });
  entries.sort((a, b) => Buffer.compare(a.key, b.key));
  const body = Buffer.concat(entries.flatMap((e) => [Buffer.from(`${e.mode} `), e.name, Buffer.from([0]), Buffer.from(e.sha, 'hex')]));
  return sha1Object('tree', body);
}
