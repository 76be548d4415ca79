import type { CatFile } from './cat-file.js';
import { parseTree } from './git-objects.js';

/** One entry of a commit's tree that is not a directory: a file, a symlink or a submodule. */
export interface TreeFileEntry {
  /** full path bytes, `/`-separated */
  path: Buffer;
  mode: string;
  sha: string;
}

const SLASH = Buffer.from('/');

/**
 * Every non-directory entry under a tree, sorted by path bytes. Trees are fetched level by level
 * with all of a level's requests in flight at once (cat-file answers them in one stream).
 */
export async function walkTree(cat: CatFile, treeSha: string): Promise<TreeFileEntry[]> {
  const files: TreeFileEntry[] = [];
  let level: { prefix: Buffer; sha: string }[] = [{ prefix: Buffer.alloc(0), sha: treeSha }];
  while (level.length > 0) {
    const objects = await Promise.all(level.map((t) => cat.get(t.sha)));
    const next: typeof level = [];
    for (let i = 0; i < level.length; i++) {
      const obj = objects[i];
      if (!obj || obj.type !== 'tree') throw new Error(`tree ${level[i].sha} is missing from the repository`);
      for (const e of parseTree(obj.content)) {
        const full = level[i].prefix.length === 0 ? Buffer.from(e.name) : Buffer.concat([level[i].prefix, SLASH, e.name]);
        if (e.mode === '40000') next.push({ prefix: full, sha: e.sha });
        else files.push({ path: full, mode: e.mode, sha: e.sha });
      }
    }
    level = next;
  }
  return files.sort((a, b) => Buffer.compare(a.path, b.path));
}
