/**
 * The images of records by their `shard` and `key` columns (`<key>.jpg` in that shard), with the
 * last few shards kept open: records of one batch mostly sit in one shard.
 */
import path from 'node:path';
import type { Exclusion } from '../core/record.js';
import { TarReader } from './tar-read.js';

const OPEN_SHARDS = 4;

export class ShardImages {
  private readonly open = new Map<string, TarReader>();

  constructor(readonly dir: string) {}

  private reader(shard: string): TarReader {
    let r = this.open.get(shard);
    if (r) {
      this.open.delete(shard); // re-inserted last: the map's order is the recency
    } else {
      r = new TarReader(path.join(this.dir, shard));
      if (this.open.size >= OPEN_SHARDS) {
        const [oldest, reader] = this.open.entries().next().value!;
        reader.close();
        this.open.delete(oldest);
      }
    }
    this.open.set(shard, r);
    return r;
  }

  /** A member of the sample `key` (`jpg`, `txt`, `json`), or undefined. */
  member(shard: string, key: string, ext: string): Buffer | undefined {
    return this.reader(shard).read(`${key}.${ext}`);
  }

  /** The image of a record, or why there is none (`no_image`). */
  image(shard: unknown, key: unknown): { image: Buffer } | { why: Exclusion } {
    if (typeof shard !== 'string' || shard === '' || typeof key !== 'string' || key === '') return { why: { reason: 'no_image', detail: 'no shard or key' } };
    if (shard.includes('/') || shard.includes('\\')) return { why: { reason: 'no_image', detail: `shard ${JSON.stringify(shard)} is not a file name` } };
    let image: Buffer | undefined;
    try {
      image = this.member(shard, key, 'jpg');
    } catch (err) {
      return { why: { reason: 'no_image', detail: (err as Error).message } };
    }
    return image ? { image } : { why: { reason: 'no_image', detail: `${key}.jpg not in ${shard}` } };
  }

  close(): void {
    for (const r of this.open.values()) r.close();
    this.open.clear();
  }
}
