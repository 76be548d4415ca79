import { ThresherError } from '../core/errors.js';
import { AlreadyExists, readAll, type ObjectStore } from '../io/storage/index.js';
import type { Manifest } from './manifest.js';

/**
 * Releases under an object-store prefix. A release `vN` exists when `vN/manifest.json` does:
 * the manifest is uploaded last, so objects under a `vN/` without one are an unfinished
 * publication and no reader counts them. Versions are claimed before anything is uploaded:
 * `.thresher/claims/vN.json`, written with If-None-Match, names the one run that may publish
 * `vN` (first writer wins), so two runs publishing to one prefix never mix their files.
 */
export class StoreReleases {
  constructor(
    readonly store: ObjectStore,
    /** '' or ending in `/` */
    readonly prefix: string,
  ) {}

  releaseKey(version: number, rel = ''): string {
    return `${this.prefix}v${version}/${rel}`;
  }

  claimKey(version: number): string {
    return `${this.prefix}.thresher/claims/v${version}.json`;
  }

  /** Published versions (those with a manifest), ascending. */
  async versions(): Promise<number[]> {
    const found: number[] = [];
    for (const o of await this.store.list(this.prefix)) {
      const m = /^v(\d+)\/manifest\.json$/.exec(o.key.slice(this.prefix.length));
      if (m) found.push(Number(m[1]));
    }
    return found.sort((a, b) => a - b);
  }

  async manifest(version: number): Promise<Manifest | undefined> {
    const key = this.releaseKey(version, 'manifest.json');
    if (!(await this.store.stat(key))) return undefined;
    try {
      return JSON.parse((await readAll(this.store, key)).toString('utf8')) as Manifest;
    } catch {
      return undefined; // damaged: `thresher verify` says how
    }
  }

  /** The published release of run `runId`, if any. */
  async findRun(runId: string): Promise<{ version: number; manifest: Manifest } | undefined> {
    for (const v of (await this.versions()).reverse()) {
      const manifest = await this.manifest(v);
      if (manifest?.run_id === runId) return { version: v, manifest };
    }
    return undefined;
  }

  private async claimOwner(version: number): Promise<string | undefined> {
    try {
      return (JSON.parse((await readAll(this.store, this.claimKey(version))).toString('utf8')) as { run_id?: string }).run_id;
    } catch {
      return undefined;
    }
  }

  /**
   * The version run `runId` publishes: the one it claimed before (a rerun of an interrupted
   * publication), else the first version from `from` on that nobody published or claimed.
   */
  async claim(runId: string, from: number): Promise<number> {
    const published = new Set(await this.versions());
    const claimsPrefix = `${this.prefix}.thresher/claims/`;
    for (const o of await this.store.list(claimsPrefix)) {
      const m = /^v(\d+)\.json$/.exec(o.key.slice(claimsPrefix.length));
      if (m && !published.has(Number(m[1])) && (await this.claimOwner(Number(m[1]))) === runId) return Number(m[1]);
    }
    const start = Math.max(from, ...[...published].map((v) => v + 1));
    for (let v = start; v < start + 1000; v++) {
      try {
        await this.store.put(this.claimKey(v), JSON.stringify({ run_id: runId, claimed_at: new Date().toISOString() }) + '\n', { ifNoneMatch: true });
        return v;
      } catch (err) {
        if (!(err instanceof AlreadyExists)) throw err;
        if ((await this.claimOwner(v)) === runId) return v; // our own claim, written by an attempt that died
      }
    }
    throw new ThresherError(`${this.store.url(this.prefix)}: versions v${start}..v${start + 999} are all claimed; remove stale claims under .thresher/claims/`);
  }
}
