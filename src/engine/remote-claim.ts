import { statSync } from 'node:fs';
import path from 'node:path';
import { ThresherError } from '../core/errors.js';
import { removeIfExists, writeFileAtomic } from '../core/fs.js';
import { AlreadyExists } from '../io/storage/index.js';
import type { RunLayout } from './layout.js';
import type { ObjectLease } from './object-lease.js';
import { eachLimited } from '../core/limit.js';
import { filesBelow, TRANSFERS } from './remote-files.js';
import type { RemoteWork } from './remote-work.js';
import type { StoredObject, TaskStats } from './stats.js';
import type { TaskClaim } from './work-store.js';

export interface RemoteClaimParts {
  /** the run's local copy (state, markers) */
  mirror: RunLayout;
  /** the same run with this attempt's scratch folder as its work folder */
  layout: RunLayout;
  lease: ObjectLease;
  /** files fetched into the scratch folder, as fetched: unchanged ones are inputs, not outputs */
  fetched: Map<string, { bytes: number; mtimeMs: number }>;
  step: string;
  rank: number;
  attempt: string;
}

/**
 * One attempt of a task whose work folder is an object store. It ran in a scratch folder; its
 * commit uploads every file it wrote under the attempt's own prefix, then, if it still holds
 * the lease, puts its marker (naming those objects with size and sha256) with If-None-Match.
 */
export class RemoteClaim implements TaskClaim {
  readonly layout: RunLayout;

  constructor(
    private readonly work: RemoteWork,
    private readonly parts: RemoteClaimParts,
  ) {
    this.layout = parts.layout;
  }

  owns(): Promise<boolean> {
    return this.parts.lease.owns();
  }

  private get task(): string {
    return `${this.parts.step}/${this.parts.rank}`;
  }

  /** Files the task wrote or changed in its scratch folder. */
  private outputs(): string[] {
    const dir = this.layout.workDir;
    return filesBelow(dir).filter((rel) => {
      const before = this.parts.fetched.get(rel);
      if (!before) return true;
      const st = statSync(path.join(dir, rel));
      return st.size !== before.bytes || st.mtimeMs !== before.mtimeMs;
    });
  }

  async commit(stats: TaskStats): Promise<void> {
    const { mirror, step, rank, attempt } = this.parts;
    const base = this.work.key(mirror, mirror.taskObjects(step, rank, attempt)).slice(this.work.prefix.length);
    const files = this.work.files(mirror);
    const objects: StoredObject[] = [];
    await eachLimited(this.outputs(), TRANSFERS, async (rel) => void objects.push(await files.put(path.join(this.layout.workDir, rel), rel, `${base}/${rel}`)));
    objects.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    if (!(await this.owns())) throw new ThresherError(`${this.task}: another attempt took this task over while it ran; this attempt's result is discarded`);
    stats.objects = objects;
    const body = JSON.stringify(stats, null, 1);
    try {
      await this.work.store.put(this.work.key(mirror, mirror.marker(step, rank)), body, { ifNoneMatch: true });
    } catch (err) {
      if (err instanceof AlreadyExists) throw new ThresherError(`${this.task}: another attempt of this task committed first; this attempt's result is discarded`);
      throw err;
    }
    writeFileAtomic(mirror.marker(step, rank), body);
  }

  async release(): Promise<void> {
    try {
      await this.parts.lease.release();
    } finally {
      removeIfExists(this.layout.workDir);
    }
  }
}
