import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream, existsSync, linkSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { copyFile } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ThresherError } from '../core/errors.js';
import { ensureDir } from '../core/fs.js';
import { sha256File } from '../core/hashing.js';
import type { ObjectStore } from '../io/storage/index.js';
import type { StoredObject } from './stats.js';

/** Parallel requests per task: enough to hide an object store's latency, few enough for one core. */
export const TRANSFERS = 8;

/** Regular files below `dir` as `/`-separated paths relative to it; hidden names (temporaries) are not files of the run. */
export function filesBelow(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return (readdirSync(dir, { recursive: true }) as string[])
    .map((n) => n.split(path.sep).join('/'))
    .filter((rel) => !rel.split('/').some((p) => p.startsWith('.')) && statSync(path.join(dir, rel)).isFile())
    .sort();
}

/**
 * The objects of a work prefix as local files. Every object is checked against the size and
 * sha256 its marker names before any task reads it, and kept in a cache of this machine keyed
 * by sha256 (what a task uploads joins the cache too), so tasks that share inputs on one
 * machine fetch each object once.
 */
export class ObjectFiles {
  constructor(
    private readonly store: ObjectStore,
    /** the work prefix: '' or ending in `/` */
    private readonly prefix: string,
    private readonly cacheDir: string,
  ) {}

  private cached(sha256: string): string {
    return path.join(this.cacheDir, sha256.slice(0, 2), sha256);
  }

  /** Object `o` as the file `dest`; `by` (the task whose marker names it) is what an error names. */
  async fetch(o: StoredObject, dest: string, by: string): Promise<void> {
    if (o.path.split('/').some((p) => p === '' || p === '.' || p === '..')) throw new ThresherError(`the marker of ${by} names ${JSON.stringify(o.path)}, not a path inside the work folder`);
    const cached = this.cached(o.sha256);
    if (!existsSync(cached)) await this.download(o, cached, by);
    ensureDir(path.dirname(dest));
    // a copy, not a link: a stage that rewrote a file it read in place would change the cache
    await copyFile(cached, dest);
  }

  private async download(o: StoredObject, cached: string, by: string): Promise<void> {
    const url = this.store.url(this.prefix + o.key);
    ensureDir(path.dirname(cached));
    const tmp = `${cached}.tmp-${randomUUID().slice(0, 8)}`;
    const hash = createHash('sha256');
    let bytes = 0;
    const source = this.store.read(this.prefix + o.key);
    async function* counted(): AsyncGenerator<Buffer> {
      for await (const chunk of source) {
        hash.update(chunk);
        bytes += chunk.length;
        yield chunk;
      }
    }
    try {
      await pipeline(Readable.from(counted()), createWriteStream(tmp));
      const sha256 = hash.digest('hex');
      if (bytes !== o.bytes || sha256 !== o.sha256) {
        throw new ThresherError(
          `${url}: ${bytes} bytes with sha256 ${sha256.slice(0, 16)}…, but the marker of ${by} names ${o.bytes} bytes with sha256 ${o.sha256.slice(0, 16)}… (rerun that task with \`thresher task --force\`)`,
        );
      }
      renameSync(tmp, cached); // two fetchers of one object rename the same bytes
    } catch (err) {
      rmSync(tmp, { force: true });
      if (err instanceof ThresherError && err.message.startsWith(url)) throw err.message.includes('marker of') ? err : new ThresherError(`${err.message} (named by the marker of ${by})`);
      throw err;
    }
  }

  /** Uploads `file` (the work folder's `rel`) as `key` and returns what a marker names; the file joins the cache. */
  async put(file: string, rel: string, key: string): Promise<StoredObject> {
    const sha256 = await sha256File(file);
    const bytes = statSync(file).size;
    await this.store.upload(file, this.prefix + key, { metadata: { sha256 } });
    const cached = this.cached(sha256);
    if (!existsSync(cached)) {
      ensureDir(path.dirname(cached));
      try {
        linkSync(file, cached);
      } catch {
        // another task cached the same bytes first, or links are not possible here: a later fetch downloads it
      }
    }
    return { path: rel, key, bytes, sha256 };
  }
}
