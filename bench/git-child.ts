/**
 * One side of `npm run bench -- git`, run as its own process so its CPU time (git children
 * included) is measured alone: `node git-child.js thresher|isomorphic-git <folder of repositories>`.
 * Prints `{"files": N, "bytes": B}`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { GitReader } from '../src/io/readers/git.js';
import { findRepos } from '../src/vcs/git-dir.js';

const [how, folder] = process.argv.slice(2);

async function thresher(): Promise<{ files: number; bytes: number }> {
  const reader = new GitReader(folder);
  const list = await reader.listFiles();
  let files = 0;
  let bytes = 0;
  for await (const chunk of reader.readChunks(reader.slices(list, 0, 1), 'quarantine')) {
    for (const item of chunk) {
      files++;
      bytes += item.record ? (item.record.size as number) : item.excluded.bytes;
    }
  }
  return { files, bytes };
}

/** The same walk with isomorphic-git (pure JS), from ISOMORPHIC_GIT (a folder holding node_modules/isomorphic-git). */
async function isomorphic(): Promise<{ files: number; bytes: number }> {
  const where = path.join(process.env.ISOMORPHIC_GIT ?? '', 'node_modules', 'isomorphic-git', 'index.js');
  const git = (await import(where)) as {
    resolveRef(a: object): Promise<string>;
    walk(a: object): Promise<unknown>;
    TREE(a: object): unknown;
  };
  let files = 0;
  let bytes = 0;
  for (const repo of findRepos(folder)) {
    const oid = await git.resolveRef({ fs, gitdir: repo.gitDir, ref: 'HEAD' });
    await git.walk({
      fs,
      gitdir: repo.gitDir,
      cache: {},
      trees: [git.TREE({ ref: oid })],
      map: async (_p: string, [e]: { type(): Promise<string>; content(): Promise<Uint8Array> }[]) => {
        if (!e) return undefined;
        if ((await e.type()) === 'blob') {
          files++;
          bytes += (await e.content()).length;
        }
        return true;
      },
    });
  }
  return { files, bytes };
}

console.log(JSON.stringify(how === 'isomorphic-git' ? await isomorphic() : await thresher()));
