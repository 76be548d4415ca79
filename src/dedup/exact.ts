import { appendFileSync, readFileSync, renameSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { bucketOf } from '../core/bucket.js';
import { ThresherError } from '../core/errors.js';
import { ensureDir, listFilesSorted, removeIfExists, writeFileAtomic } from '../core/fs.js';
import type { DataRecord, Value } from '../core/record.js';
import { defineStage, type GlobalApplier, type GlobalObserver, type GlobalStage, type GlobalTaskInfo } from '../core/stage.js';

/**
 * Exact dedup across all shards. Map: each record's key (the content hash by default) goes to
 * reduce bucket hash(key) mod world_size. Reduce: per key, keep the record that sorts first by
 * `priority` (then id), and address each removal to the rank that holds it. Apply: a rank loads
 * only the removals addressed to it. Memory per task is bounded by its bucket, not the pool.
 */
const params = z.strictObject({
  /** Column whose equal values make records duplicates. */
  key: z.string().default('content_id'),
  /** Columns that choose the copy to keep: ascending, or descending with a leading '-'. Ties: id. */
  priority: z.array(z.string().min(1)).default([]),
});
type Params = z.infer<typeof params>;

/**
 * One shuffled entry: [key, priority values, id, source rank, position]. The position
 * (source and row) names the record for the applier: ids come from the data and may collide,
 * and a decision addressed by id would then remove every record sharing it.
 */
type Entry = [string, Value[], string, number, string];

function positionOf(record: DataRecord): string {
  return `${String(record.source ?? '')}\u0000${String(record.source_row ?? '')}`;
}

function describePosition(position: string): string {
  const [source, row] = position.split('\u0000');
  return row === '' ? source : `${source} row ${row}`;
}

const FLUSH_EVERY = 20_000;

function compareValues(a: Value, b: Value): number {
  if (a === b) return 0;
  if (a === null || a === undefined) return 1; // missing values lose
  if (b === null || b === undefined) return -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const sa = String(a);
  const sb = String(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

export function makeComparator(priority: string[]): (a: Entry, b: Entry) => number {
  const descending = priority.map((p) => p.startsWith('-'));
  return (a, b) => {
    for (let i = 0; i < priority.length; i++) {
      const c = compareValues(a[1][i], b[1][i]);
      if (c !== 0) return descending[i] ? -c : c;
    }
    return a[2] < b[2] ? -1 : a[2] > b[2] ? 1 : 0;
  };
}

function checkUniqueId(seen: Map<string, string>, e: Entry): void {
  const k = `${e[0]}\u0000${e[2]}`;
  const first = seen.get(k);
  if (first === undefined) seen.set(k, e[4]);
  else
    throw new ThresherError(
      `duplicate record id ${JSON.stringify(e[2])} (${describePosition(first)} and ${describePosition(e[4])}): dedup_exact needs unique ids; fix the input's id field or drop id_field to use source:row ids`,
    );
}

class ExactDedup implements GlobalStage {
  readonly kind = 'global' as const;
  readonly columns = [];
  private readonly columnsOfPriority: string[];

  constructor(private readonly p: Params) {
    this.columnsOfPriority = p.priority.map((c) => (c.startsWith('-') ? c.slice(1) : c));
  }

  async observer(task: GlobalTaskInfo): Promise<GlobalObserver> {
    const dir = path.join(task.stageDir, 'shuffle', `from-${task.rank}`);
    removeIfExists(dir);
    removeIfExists(`${dir}.partial`); // a killed earlier attempt may have left appended halves
    const tmpDir = ensureDir(`${dir}.partial`);
    const pending: string[][] = Array.from({ length: task.worldSize }, () => []);
    let held = 0;
    const flush = () => {
      pending.forEach((lines, b) => {
        if (lines.length) appendFileSync(path.join(tmpDir, `to-${b}.jsonl`), lines.join('\n') + '\n');
        lines.length = 0;
      });
      held = 0;
    };
    const { key } = this.p;
    const cols = this.columnsOfPriority;
    return {
      observe: (record: DataRecord) => {
        const k = record[key];
        if (typeof k !== 'string' || k === '') return; // no key: never a duplicate
        const entry: Entry = [k, cols.map((c) => record[c] ?? null), record.id, task.rank, positionOf(record)];
        pending[bucketOf(k, task.worldSize)].push(JSON.stringify(entry));
        if (++held >= FLUSH_EVERY) flush();
      },
      finish: async () => {
        flush();
        removeIfExists(dir);
        renameSync(tmpDir, dir);
      },
    };
  }

  async reduce(task: GlobalTaskInfo): Promise<Record<string, number>> {
    const best = new Map<string, Entry>();
    const losers: Entry[][] = Array.from({ length: task.worldSize }, () => []);
    const removedKeptBy: string[][] = Array.from({ length: task.worldSize }, () => []);
    const better = makeComparator(this.p.priority);
    const dropped: Entry[] = [];
    const idsSeen = new Map<string, string>(); // key + id → position: one id twice in a group is not a duplicate, it is bad input
    for (const from of listFilesSorted(path.join(task.stageDir, 'shuffle'), (n) => n.startsWith('from-') && !n.endsWith('.partial'))) {
      const file = path.join(from, `to-${task.rank}.jsonl`);
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch {
        continue; // that rank sent nothing to this bucket
      }
      for (const line of text.split('\n')) {
        if (!line) continue;
        const e = JSON.parse(line) as Entry;
        checkUniqueId(idsSeen, e);
        const cur = best.get(e[0]);
        if (!cur) best.set(e[0], e);
        else if (better(e, cur) < 0) {
          dropped.push(cur);
          best.set(e[0], e);
        } else dropped.push(e);
      }
    }
    const groupKeys = new Set<string>();
    for (const e of dropped) {
      const keeper = best.get(e[0])!;
      losers[e[3]].push(e);
      removedKeptBy[e[3]].push(keeper[2]);
      groupKeys.add(e[0]);
    }
    const out = path.join(task.stageDir, 'decisions', `bucket-${task.rank}`);
    removeIfExists(out);
    removeIfExists(`${out}.partial`);
    const tmp = ensureDir(`${out}.partial`);
    losers.forEach((list, rank) => {
      if (list.length === 0) return;
      const lines = list.map((e, i) => JSON.stringify([e[4], removedKeptBy[rank][i]]));
      writeFileAtomic(path.join(tmp, `to-${rank}.jsonl`), lines.join('\n') + '\n');
    });
    renameSync(tmp, out);
    return { unique_keys: best.size, duplicates: dropped.length, duplicate_groups: groupKeys.size };
  }

  async applier(task: GlobalTaskInfo): Promise<GlobalApplier> {
    const keptFor = new Map<string, string>();
    for (const bucket of listFilesSorted(path.join(task.stageDir, 'decisions'), (n) => n.startsWith('bucket-') && !n.endsWith('.partial'))) {
      let text: string;
      try {
        text = readFileSync(path.join(bucket, `to-${task.rank}.jsonl`), 'utf8');
      } catch {
        continue;
      }
      for (const line of text.split('\n')) {
        if (!line) continue;
        const [removed, kept] = JSON.parse(line) as [string, string];
        keptFor.set(removed, kept);
      }
    }
    return {
      process: (record) => {
        const kept = keptFor.get(positionOf(record));
        return kept === undefined ? undefined : { reason: 'duplicate', detail: kept };
      },
    };
  }
}

export const exactDedupStage = defineStage<Params>({
  name: 'dedup_exact',
  description: 'Exact dedup by content hash across all shards; keeps one copy per key by a configurable priority and records the kept id for each removed one.',
  kind: 'global',
  params,
  requires: (p) => [p.key, ...p.priority.map((c) => (c.startsWith('-') ? c.slice(1) : c))],
  create: (p) => new ExactDedup(p),
});
