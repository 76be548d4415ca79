import { ThresherError } from '../core/errors.js';
import type { Value } from '../core/record.js';
import { compareStrings, priorityOrder } from './priority.js';

/**
 * Exact dedup: among records with equal keys, keep the one that sorts first by `priority`
 * (then id) and name it for each removed one. This file holds the decision; the stage adapter
 * (stages/dedup-exact.ts) moves entries between ranks.
 */

/**
 * One record as dedup sees it: [key, priority values, id, source rank, position]. The
 * position (source and row) names the record for the applier: ids come from the data and may
 * collide, and a decision addressed by id would remove every record sharing it.
 */
export type DedupEntry = [string, Value[], string, number, string];

function describePosition(position: string): string {
  const [source, row] = position.split('\u0000');
  return row === '' ? source : `${source} row ${row}`;
}

/** Orders entries by priority columns (a leading '-' sorts descending), then id. */
export function makeComparator(priority: string[]): (a: DedupEntry, b: DedupEntry) => number {
  const byPriority = priorityOrder(priority);
  return (a, b) => byPriority(a[1], b[1]) || compareStrings(a[2], b[2]);
}

/** Keeps the best entry per key as entries arrive; memory is one entry per distinct key. */
export class DuplicateResolver {
  private readonly best = new Map<string, DedupEntry>();
  private readonly dropped: DedupEntry[] = [];
  /** key + id → position: one id twice among equal keys is bad input, not a duplicate */
  private readonly idsSeen = new Map<string, string>();
  private readonly better: (a: DedupEntry, b: DedupEntry) => number;

  constructor(priority: string[]) {
    this.better = makeComparator(priority);
  }

  add(e: DedupEntry): void {
    this.checkUniqueId(e);
    const cur = this.best.get(e[0]);
    if (!cur) this.best.set(e[0], e);
    else if (this.better(e, cur) < 0) {
      this.dropped.push(cur);
      this.best.set(e[0], e);
    } else this.dropped.push(e);
  }

  private checkUniqueId(e: DedupEntry): void {
    const k = `${e[0]}\u0000${e[2]}`;
    const first = this.idsSeen.get(k);
    if (first === undefined) {
      this.idsSeen.set(k, e[4]);
      return;
    }
    throw new ThresherError(
      `duplicate record id ${JSON.stringify(e[2])} (${describePosition(first)} and ${describePosition(e[4])}): dedup_exact needs unique ids; fix the input's id field or drop id_field to use source:row ids`,
    );
  }

  /** Each removed entry with the id of the copy kept instead. */
  *removals(): Generator<{ removed: DedupEntry; keptId: string }> {
    for (const e of this.dropped) yield { removed: e, keptId: this.best.get(e[0])![2] };
  }

  counters(): Record<string, number> {
    const groups = new Set(this.dropped.map((e) => e[0]));
    return { unique_keys: this.best.size, duplicates: this.dropped.length, duplicate_groups: groups.size };
  }
}
