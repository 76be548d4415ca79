import { readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { xxh3 } from '@node-rs/xxhash';
import { ExchangeWriter, exchangeBytes, readExchange, readExchangeRecords, readLines } from '../../core/exchange.js';
import { ensureDir, writeFileAtomic } from '../../core/fs.js';
import type { Value } from '../../core/record.js';
import { compareStrings, priorityOrder } from '../priority.js';
import type { Round } from './rounds.js';
import { linePartitions } from './spill.js';
import { readObserved } from './store.js';
import { hashNode, nodeId, nodeLocal, nodeRank, ownerOf } from './tables.js';

/**
 * The last two rounds of near dedup and the cluster table:
 *
 *   attach   each observer rank joins the (member, centre) labels addressed to it with its
 *            node table and sends every clustered record's id, position and priority values
 *            to the centre's owner
 *   decide   per cluster, the record that sorts first by priority (then id, then position) is
 *            kept; each other one is a removal sent to the rank that holds it; the cluster's
 *            rows go to sorted run files that summarize merges into the release's table
 *
 * A cluster's id is a hash of the kept record's position (input file and row): it does not
 * depend on the number of tasks or workers, and the same input gives the same ids.
 */

/** One row of the cluster table as runs store it: the sort key first. */
export type ClusterRow = [clusterId: string, removed: 0 | 1, id: string, position: string, size: number, keptId: string];

export function clusterIdOf(keptPosition: string): string {
  return xxh3.xxh64(keptPosition).toString(16).padStart(16, '0');
}

export function compareRows(a: ClusterRow, b: ClusterRow): number {
  return compareStrings(a[0], b[0]) || a[1] - b[1] || compareStrings(a[2], b[2]) || compareStrings(a[3], b[3]);
}

/** attach: clustered records of this rank's node table, with their centre, to the centre's owner. */
export function attachRound(r: Round): Record<string, number> {
  const nodes = readObserved(r.paths, r.rank).signatures;
  const root = r.paths.exchange('labels');
  const out = new ExchangeWriter(r.paths.exchange('members'), r.rank, r.worldSize);
  // a label per node of this rank (8 bytes each); in ranges of nodes when that exceeds the budget
  const ranges = Math.max(1, Math.ceil((nodes * 8 * 1.25) / r.budgetBytes));
  const span = Math.ceil(nodes / ranges) || 1;
  let attached = 0;
  for (let lo = 0; lo < nodes; lo += span) {
    const labels = new Float64Array(Math.min(span, nodes - lo)).fill(NaN);
    for (const chunk of readExchangeRecords(root, r.rank, 2)) {
      for (let k = 0; k < chunk.length; k += 2) {
        const at = nodeLocal(chunk[k]) - lo;
        if (at >= 0 && at < labels.length) labels[at] = chunk[k + 1];
      }
    }
    let local = 0;
    for (const line of readLines(r.paths.nodeTable(r.rank))) {
      const at = local++ - lo;
      if (at < 0 || at >= labels.length || Number.isNaN(labels[at])) continue;
      const centre = labels[at];
      out.push(ownerOf(centre, r.worldSize), `[${centre},${nodeId(r.rank, lo + at)},${line.slice(1)}`);
      attached++;
    }
  }
  out.publish();
  return { attached };
}

interface Member {
  node: number;
  id: string;
  position: string;
  priority: Value[];
}

function centreOf(line: string): number {
  return Number(line.slice(1, line.indexOf(',')));
}

/** decide: the kept record of every cluster owned here, the removals, and sorted runs of table rows. */
export function decideRound(r: Round, priority: readonly string[]): Record<string, number> {
  const root = r.paths.exchange('members');
  const decisions = new ExchangeWriter(r.paths.exchange('decisions'), r.rank, r.worldSize);
  const rowsDir = ensureDir(r.paths.rowsDir());
  const mine = `rows-${String(r.rank).padStart(5, '0')}-`;
  for (const name of readdirSync(rowsDir)) if (name.startsWith(mine)) rmSync(path.join(rowsDir, name), { force: true }); // an earlier attempt's runs
  const better = memberOrder(priority);
  const counters = { clusters_decided: 0, near_duplicates: 0 };
  // parsed members take about 6 bytes of memory per byte of their JSON line
  const plan = { bytesPerRecord: 6, budgetBytes: r.budgetBytes, scratch: r.paths.scratch(r.step, r.rank) };
  let run = 0;
  for (const part of linePartitions(
    () => readExchange(root, r.rank),
    exchangeBytes(root, r.rank),
    plan,
    (line) => hashNode(centreOf(line), 101),
  )) {
    const clusters = new Map<number, Member[]>();
    for (const line of part) {
      const [centre, node, id, position, ...values] = JSON.parse(line) as [number, number, string, string, ...Value[]];
      const list = clusters.get(centre) ?? [];
      list.push({ node, id, position, priority: values });
      clusters.set(centre, list);
    }
    const rows: ClusterRow[] = [];
    for (const members of clusters.values()) {
      members.sort(better);
      const kept = members[0];
      const clusterId = clusterIdOf(kept.position);
      for (const m of members) {
        rows.push([clusterId, m === kept ? 0 : 1, m.id, m.position, members.length, kept.id]);
        if (m !== kept) decisions.push(nodeRank(m.node), JSON.stringify([m.position, kept.id]));
      }
      counters.clusters_decided++;
      counters.near_duplicates += members.length - 1;
    }
    rows.sort(compareRows);
    writeFileAtomic(path.join(rowsDir, `${mine}${String(run++).padStart(5, '0')}.jsonl`), rows.map((x) => JSON.stringify(x)).join('\n') + (rows.length ? '\n' : ''));
  }
  decisions.publish();
  return counters;
}

function memberOrder(priority: readonly string[]): (a: Member, b: Member) => number {
  const byPriority = priorityOrder(priority);
  return (a, b) => byPriority(a.priority, b.priority) || compareStrings(a.id, b.id) || compareStrings(a.position, b.position);
}

/** Every row of every run under `dir`, in table order (a k-way merge of the sorted runs). */
export function* mergeRuns(dir: string): Generator<ClusterRow> {
  const files = readdirSync(dir)
    .filter((n) => n.startsWith('rows-') && n.endsWith('.jsonl'))
    .sort()
    .map((n) => path.join(dir, n));
  const sources = files.map((f) => readLines(f)[Symbol.iterator]());
  const heads: (ClusterRow | undefined)[] = sources.map((s) => next(s));
  for (;;) {
    let best = -1;
    for (let i = 0; i < heads.length; i++) if (heads[i] && (best < 0 || compareRows(heads[i]!, heads[best]!) < 0)) best = i;
    if (best < 0) return;
    yield heads[best]!;
    heads[best] = next(sources[best]);
  }
}

function next(source: Iterator<string>): ClusterRow | undefined {
  const r = source.next();
  return r.done ? undefined : (JSON.parse(r.value) as ClusterRow);
}
