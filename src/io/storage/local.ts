import { createReadStream } from 'node:fs';
import { copyFile, link, lstat, readdir, rename, rm, stat, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { ensureDir, tempNameFor } from '../../core/fs.js';
import { compareBytes } from '../order.js';
import { AlreadyExists, type ObjectInfo, type ObjectStore, type WriteOptions } from './types.js';

/**
 * A folder as an object store. Writes go to a hidden temporary file beside the target and are
 * renamed over it (atomic on one filesystem); a conditional write links the temporary file to
 * the target instead, which fails when the target exists: first writer wins, as on S3.
 */
export class LocalStore implements ObjectStore {
  readonly root: string;

  constructor(root: string) {
    this.root = path.resolve(root);
  }

  url(key: string): string {
    return path.join(this.root, ...key.split('/'));
  }

  async list(prefix: string): Promise<ObjectInfo[]> {
    const out: ObjectInfo[] = [];
    const dirPart = prefix.includes('/') ? prefix.slice(0, prefix.lastIndexOf('/')) : '';
    const walk = async (rel: string): Promise<void> => {
      let names: string[];
      try {
        names = await readdir(this.url(rel));
      } catch {
        return;
      }
      for (const name of names) {
        if (name.startsWith('.') && name.includes('.tmp-')) continue; // our own temporaries
        const key = rel ? `${rel}/${name}` : name;
        let st;
        try {
          st = await lstat(this.url(key));
        } catch {
          continue; // removed since the folder was read: as on S3, a listing shows what was there
        }
        if (st.isDirectory()) {
          if (`${key}/`.startsWith(prefix) || prefix.startsWith(`${key}/`)) await walk(key);
        } else if (key.startsWith(prefix)) {
          out.push({ key, bytes: st.size, mtimeMs: st.mtimeMs });
        }
      }
    };
    await walk(dirPart);
    return out.sort((a, b) => compareBytes(a.key, b.key));
  }

  async stat(key: string): Promise<ObjectInfo | undefined> {
    try {
      const st = await stat(this.url(key));
      return st.isFile() ? { key, bytes: st.size, mtimeMs: st.mtimeMs } : undefined;
    } catch {
      return undefined;
    }
  }

  read(key: string, range?: { start: number; end?: number }): AsyncIterable<Buffer> {
    const end = range?.end !== undefined ? range.end - 1 : undefined;
    return createReadStream(this.url(key), { start: range?.start ?? 0, end, highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>;
  }

  async upload(file: string, key: string, options: WriteOptions = {}): Promise<void> {
    await this.commit(key, options, (tmp) => copyFile(file, tmp));
  }

  async put(key: string, body: string | Uint8Array, options: WriteOptions = {}): Promise<void> {
    await this.commit(key, options, (tmp) => writeFile(tmp, body));
  }

  async remove(key: string): Promise<void> {
    await rm(this.url(key), { force: true });
  }

  private async commit(key: string, options: WriteOptions, fill: (tmp: string) => Promise<void>): Promise<void> {
    const target = this.url(key);
    ensureDir(path.dirname(target));
    const tmp = `${tempNameFor(target)}-${randomUUID().slice(0, 8)}`; // unique even for two writes from one thread
    await fill(tmp);
    try {
      if (options.ifNoneMatch) {
        try {
          await link(tmp, target);
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw new AlreadyExists(target);
          throw err;
        }
      } else {
        await rename(tmp, target);
      }
    } finally {
      await unlink(tmp).catch(() => undefined);
    }
  }
}
