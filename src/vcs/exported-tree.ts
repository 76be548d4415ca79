import { lstatSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { swhContentId } from '../core/hashing.js';
import type { TreeFile } from './swhid.js';

/** A file of a tree exported from Mercurial or Subversion, with what its SWH directory entry needs. */
export interface ExportedFile extends TreeFile {
  /** absolute path as bytes (names need not be UTF-8) */
  abs: Buffer;
}

const SLASH = Buffer.from('/');

/**
 * Every file and symlink below an exported tree (names as raw bytes), sorted by path bytes, with
 * its git mode and blob id (of the bytes, or of the link target for a symlink, as SWH stores
 * links), so the tree's `swh:1:dir:` can be computed as for git.
 */
export function listExported(root: string): ExportedFile[] {
  const out: ExportedFile[] = [];
  const visit = (dir: Buffer, prefix: Buffer) => {
    for (const name of readdirSync(dir, { encoding: 'buffer' })) {
      const abs = Buffer.concat([dir, SLASH, name]);
      const rel = prefix.length ? Buffer.concat([prefix, SLASH, name]) : Buffer.from(name);
      const st = lstatSync(abs);
      if (st.isDirectory()) visit(abs, rel);
      else if (st.isSymbolicLink()) out.push({ path: rel, mode: '120000', sha: blobSha(readlinkSync(abs, { encoding: 'buffer' })), abs });
      else if (st.isFile()) out.push({ path: rel, mode: st.mode & 0o111 ? '100755' : '100644', sha: blobSha(readFileSync(abs)), abs });
    }
  };
  visit(Buffer.from(root), Buffer.alloc(0));
  return out.sort((a, b) => Buffer.compare(a.path, b.path));
}

function blobSha(bytes: Buffer): string {
  return swhContentId(bytes).slice('swh:1:cnt:'.length);
}
