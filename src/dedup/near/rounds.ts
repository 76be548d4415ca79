import { existsSync, readFileSync } from 'node:fs';
import { ThresherError } from '../../core/errors.js';
import { exchangeBytes, readExchangeRecords, RecordExchangeWriter } from '../../core/exchange.js';
import { writeFileAtomic } from '../../core/fs.js';
import { jaccard } from '../minhash.js';
import { BAND_BYTES_PER_RECORD, bandStars, contract, EDGE_BYTES_PER_RECORD, STAR_BYTES_PER_RECORD, starCentres } from './graph.js';
import { recordPartitions, type SpillPlan } from './spill.js';
import { readObserved, ShingleReader, type NearPaths } from './store.js';
import { hashNode, nodeLocal, nodeRank, ownerOf, PairIndex } from './tables.js';

/**
 * The reduce rounds of near dedup up to the components, one function per round, each run by
 * every rank over the files addressed to it (see stages/near-dedup.ts for the chain):
 *
 *   bands    band records grouped by key → star edges (or candidate pairs, with verify)
 *   verify   candidate pairs → the ones whose shingle sets' Jaccard reaches the threshold
 *   cc_k     edges → union-find contraction per partition → edges (until they are stars)
 *
 * Records move as float64 tuples through the exchange; every round spills to partition files
 * when its input would not fit the memory budget (spill.ts).
 */
export interface Round {
  paths: NearPaths;
  step: string;
  rank: number;
  worldSize: number;
  budgetBytes: number;
}

const SPILL_SALT = 101; // partitions by a hash that routing (ownerOf) did not use

function spillPlan(r: Round, bytesPerRecord: number): SpillPlan {
  return { bytesPerRecord, budgetBytes: r.budgetBytes, scratch: r.paths.scratch(r.step, r.rank) };
}

/**
 * This rank's records of `width` values under `root`: how many, and as partitions that fit the
 * memory budget (spilled by a hash of the value at `keyAt`).
 */
function rankPartitions(r: Round, root: string, width: number, bytesPerRecord: number, keyAt = 0): { records: number; parts: Iterable<Float64Array> } {
  const records = exchangeBytes(root, r.rank) / (8 * width);
  const parts = recordPartitions(
    () => readExchangeRecords(root, r.rank, width),
    records,
    width,
    spillPlan(r, bytesPerRecord),
    (c, o) => hashNode(c[o + keyAt], SPILL_SALT),
  );
  return { records, parts };
}

/** Every undirected edge {a, b} as (a, b) at a's owner and (b, a) at b's owner. */
function sendEdge(out: RecordExchangeWriter, worldSize: number, a: number, b: number): void {
  out.push2(ownerOf(a, worldSize), a, b);
  out.push2(ownerOf(b, worldSize), b, a);
}

export function writeRoundStats(r: Round, round: string, stats: Record<string, number>): void {
  writeFileAtomic(r.paths.roundStats(round, r.rank), JSON.stringify(stats));
}

function readRoundStats(r: Round, round: string, rank: number): Record<string, number> | undefined {
  const file = r.paths.roundStats(round, rank);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, number>) : undefined;
}

/** bands: the star edges of every band key two or more records share. */
export function bandsRound(r: Round, verify: boolean): Record<string, number> {
  const root = r.paths.exchange('bands');
  const out = new RecordExchangeWriter(verify ? r.paths.exchange('pairs') : r.paths.edges(0), r.rank, r.worldSize, 2);
  const { records, parts } = rankPartitions(r, root, 3, BAND_BYTES_PER_RECORD, 1);
  const counters = { band_records: records, band_keys: 0, shared_band_keys: 0, band_edges: 0 };
  for (const part of parts) {
    const s = bandStars(part, (node, centre) => {
      // with verify, a candidate pair goes once to its centre's owner; else the edge both ways
      if (verify) out.push2(ownerOf(centre, r.worldSize), centre, node);
      else sendEdge(out, r.worldSize, node, centre);
    });
    counters.band_keys += s.keys;
    counters.shared_band_keys += s.shared;
    counters.band_edges += s.pairs;
  }
  out.publish();
  // what this rank's observer saw, once per rank: signatures made, texts too short
  const seen = readObserved(r.paths, r.rank);
  return { ...counters, records_observed: seen.records, signatures: seen.signatures, too_short: seen.too_short, no_content: seen.no_content };
}

/** verify: each distinct candidate pair kept when the exact Jaccard of its shingle sets reaches `threshold`. */
export function verifyRound(r: Round, threshold: number): Record<string, number> {
  const root = r.paths.exchange('pairs');
  const out = new RecordExchangeWriter(r.paths.edges(0), r.rank, r.worldSize, 2);
  const reader = new ShingleReader(r.paths);
  const counters = { candidate_pairs: 0, verified_pairs: 0, false_positive_pairs: 0 };
  const { parts } = rankPartitions(r, root, 2, 16 + 2 * PairIndex.BYTES_PER_PAIR + 4);
  try {
    for (const part of parts) {
      const n = part.length / 2;
      const seen = new PairIndex(n);
      const order: number[] = [];
      for (let k = 0; k < n; k++) if (seen.add(part[2 * k], part[2 * k + 1]) & 1) order.push(k);
      order.sort((x, y) => part[2 * x] - part[2 * y] || part[2 * x + 1] - part[2 * y + 1]); // one read of each centre's set
      let centre = NaN;
      let centreSet: Uint32Array = new Uint32Array(0);
      for (const k of order) {
        const [c, x] = [part[2 * k], part[2 * k + 1]];
        if (c !== centre) [centre, centreSet] = [c, reader.set(nodeRank(c), nodeLocal(c))];
        counters.candidate_pairs++;
        if (jaccard(centreSet, reader.set(nodeRank(x), nodeLocal(x))) >= threshold) {
          counters.verified_pairs++;
          sendEdge(out, r.worldSize, x, c);
        } else counters.false_positive_pairs++;
      }
    }
  } finally {
    reader.close();
  }
  out.publish();
  return counters;
}

/** Whether components round `k` has nothing left to do: the round before found its input already converged (or skipped). */
function convergedBefore(r: Round, k: number): boolean {
  if (k === 1) return false;
  let violations = 0;
  for (let rank = 0; rank < r.worldSize; rank++) {
    const s = readRoundStats(r, `cc_${k - 1}`, rank);
    if (!s) throw new ThresherError(`near_dedup: ${r.paths.roundStats(`cc_${k - 1}`, rank)} is missing (components round ${k - 1} did not complete)`);
    if (s.skipped) return true;
    violations += s.unsettled;
  }
  return violations === 0;
}

/** cc_k: union-find contraction of each partition of the edges; skipped once the edges are stars. */
export function componentsRound(r: Round, k: number): Record<string, number> {
  if (convergedBefore(r, k)) {
    writeRoundStats(r, `cc_${k}`, { skipped: 1 });
    return {};
  }
  const root = r.paths.edges(k - 1);
  const out = new RecordExchangeWriter(r.paths.edges(k), r.rank, r.worldSize, 2);
  const { records, parts } = rankPartitions(r, root, 2, EDGE_BYTES_PER_RECORD);
  let unsettled = 0;
  let nodes = 0;
  for (const part of parts) {
    const s = contract(part, (x, m) => sendEdge(out, r.worldSize, x, m));
    unsettled += s.violations;
    nodes += s.nodes;
  }
  out.publish();
  writeRoundStats(r, `cc_${k}`, { skipped: 0, unsettled, records, nodes });
  return { [`cc_${k}_edge_records`]: records, [`cc_${k}_unsettled_nodes`]: unsettled, ...(r.rank === 0 ? { components_rounds_run: 1 } : {}) };
}

/** The edges the last components round that ran wrote: what members reads. */
export function finalEdges(r: Round, rounds: number): string {
  for (let k = 1; k <= rounds; k++) {
    const s = readRoundStats(r, `cc_${k}`, 0);
    if (s?.skipped) return r.paths.edges(k - 1);
  }
  return r.paths.edges(rounds);
}

/**
 * members: every star centre owned here sends (member, centre) for itself and each leaf to the
 * rank that observed the member. Edges that are still not stars mean the components did not
 * converge in the rounds planned: an error that names the parameter, never a wrong cluster.
 */
export function membersRound(r: Round, rounds: number): Record<string, number> {
  const root = finalEdges(r, rounds);
  const out = new RecordExchangeWriter(r.paths.exchange('labels'), r.rank, r.worldSize, 2);
  const { parts } = rankPartitions(r, root, 2, STAR_BYTES_PER_RECORD);
  let clusters = 0;
  let members = 0;
  let unsettled = 0;
  for (const part of parts) {
    const s = starCentres(part, (centre, leaves) => {
      clusters++;
      members += 1 + leaves.length;
      out.push2(nodeRank(centre), centre, centre);
      for (const leaf of leaves) out.push2(nodeRank(leaf), leaf, centre);
    });
    unsettled += s.violations;
  }
  if (unsettled > 0) {
    throw new ThresherError(`near_dedup: the connected components did not converge in cc_rounds: ${rounds} (${unsettled} records at rank ${r.rank} still link two clusters); raise cc_rounds`);
  }
  out.publish();
  return { clusters, clustered_records: members };
}
