import { batchPosition } from '../core/batch.js';
import { readExchange } from '../core/exchange.js';
import type { GlobalApplier } from '../core/stage.js';

/**
 * How a dedup stage's decisions reach the records: the reduce sends each removal, as the JSON
 * line [position, kept id], to the rank that holds the record (the rank that observed it reads
 * the same shards after the barrier), and that rank's applier excludes exactly those positions.
 * Positions (source and row) rather than ids: ids come from the data and may repeat.
 */

/** The removals addressed to `rank` under `root`: position → id of the copy kept instead. */
export function loadRemovals(root: string, rank: number): Map<string, string> {
  const keptFor = new Map<string, string>();
  for (const line of readExchange(root, rank)) {
    const [removed, kept] = JSON.parse(line) as [string, string];
    keptFor.set(removed, kept);
  }
  return keptFor;
}

/** An applier that excludes the records in `keptFor` with `reason` and the kept id as detail. */
export function removalApplier(keptFor: Map<string, string>, reason: string): GlobalApplier {
  return {
    processBatch: (batch, rows, exclude) => {
      if (keptFor.size === 0) return;
      for (let k = 0; k < rows.length; k++) {
        const kept = keptFor.get(batchPosition(batch, rows[k]));
        if (kept !== undefined) exclude(rows[k], { reason, detail: kept });
      }
    },
  };
}
