import os from 'node:os';
import { ThresherError } from '../core/errors.js';
import { AlreadyExists, readAll, type ObjectStore } from '../io/storage/index.js';

/** What a lease object says: who holds the task, and until when (the holder's clock, ms since 1970). */
export interface LeaseBody {
  owner: string;
  task: string;
  host: string;
  pid: number;
  acquired: string;
  expires: number;
}

export interface LeaseTiming {
  /** a lease not renewed for this long is dead (its holder was killed or lost the network) */
  ttlMs: number;
  /** how often a holder pushes its expiry forward */
  renewMs: number;
}

export const DEFAULT_LEASE_TIMING: LeaseTiming = { ttlMs: 60_000, renewMs: 10_000 };

const GEN = /^(\d{10})\.json$/;
const genKey = (dir: string, gen: number) => `${dir}${String(gen).padStart(10, '0')}.json`;

async function readBody(store: ObjectStore, key: string): Promise<LeaseBody | undefined> {
  try {
    return JSON.parse((await readAll(store, key)).toString('utf8')) as LeaseBody;
  } catch {
    return undefined; // removed meanwhile (released): no holder
  }
}

/** The newest generation under `dir` and its body (undefined: no lease was ever taken). */
async function newest(store: ObjectStore, dir: string): Promise<{ gen: number; key: string; body?: LeaseBody } | undefined> {
  let top: { gen: number; key: string } | undefined;
  for (const o of await store.list(dir)) {
    const m = GEN.exec(o.key.slice(dir.length));
    if (m && (!top || Number(m[1]) > top.gen)) top = { gen: Number(m[1]), key: o.key };
  }
  return top && { ...top, body: await readBody(store, top.key) };
}

/** The live holder of the lease under `dir`, if any. */
export async function liveLease(store: ObjectStore, dir: string, now = Date.now()): Promise<LeaseBody | undefined> {
  const top = await newest(store, dir);
  return top?.body && top.body.expires > now ? top.body : undefined;
}

/**
 * One attempt of a task at a time on an object store, which has no rename and no lock. A lease
 * is a series of objects `<dir>/<generation>.json`; the newest one rules. Taking the lease
 * writes the next generation with `If-None-Match: *`: of two attempts that both found the last
 * holder dead, exactly one creates that generation. The holder rewrites its own generation to
 * push its expiry forward (nobody else writes that key), and a holder is still the owner only
 * while no newer generation exists: it checks before committing. A store that ignores
 * If-None-Match lets two takers both believe they hold the task; each still uploads under its
 * own attempt and commits a marker naming only its own objects, so the work is done twice but
 * never mixed.
 */
export class ObjectLease {
  private readonly timer: NodeJS.Timeout;
  private renewing?: Promise<void>;
  private released = false;

  private constructor(
    private readonly store: ObjectStore,
    private readonly dir: string,
    private readonly gen: number,
    private readonly body: LeaseBody,
    private readonly timing: LeaseTiming,
  ) {
    this.timer = setInterval(() => (this.renewing = this.renew()), timing.renewMs);
    this.timer.unref();
  }

  get key(): string {
    return genKey(this.dir, this.gen);
  }

  /** Take the lease under `dir` (a key prefix ending in `/`) for attempt `owner`, or fail naming the live holder. */
  static async acquire(store: ObjectStore, dir: string, task: string, owner: string, timing: LeaseTiming = DEFAULT_LEASE_TIMING): Promise<ObjectLease> {
    for (let tries = 0; tries < 3; tries++) {
      const top = await newest(store, dir);
      const now = Date.now();
      if (top?.body && top.body.expires > now) {
        const h = top.body;
        throw new ThresherError(`${task}: already running (pid ${h.pid} on ${h.host}, since ${h.acquired}); lease ${store.url(top.key)}`);
      }
      const gen = top ? top.gen + 1 : 0;
      const body: LeaseBody = { owner, task, host: os.hostname(), pid: process.pid, acquired: new Date(now).toISOString(), expires: now + timing.ttlMs };
      try {
        await store.put(genKey(dir, gen), JSON.stringify(body), { ifNoneMatch: true });
      } catch (err) {
        if (err instanceof AlreadyExists) continue; // another attempt took this generation: meet its lease
        throw err;
      }
      if (top) await store.remove(top.key).catch(() => undefined); // superseded; only the newest counts
      return new ObjectLease(store, dir, gen, body, timing);
    }
    throw new ThresherError(`${task}: cannot take the lease under ${store.url(dir)}`);
  }

  /** Still ours: no newer generation, and ours is the one we wrote. */
  async owns(): Promise<boolean> {
    const top = await newest(this.store, this.dir);
    return top?.gen === this.gen && top.body?.owner === this.body.owner;
  }

  private async renew(): Promise<void> {
    try {
      if (this.released || !(await this.owns())) return clearInterval(this.timer);
      this.body.expires = Date.now() + this.timing.ttlMs;
      await this.store.put(this.key, JSON.stringify(this.body));
    } catch {
      // the next renewal tries again; a lost lease is caught by owns() before the commit
    }
  }

  async release(): Promise<void> {
    this.released = true;
    clearInterval(this.timer);
    await this.renewing; // a renewal in flight must not bring the lease back after its removal
    if (await this.owns().catch(() => false)) await this.store.remove(this.key);
  }
}
