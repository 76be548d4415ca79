import { NodeIndex, PairIndex } from './tables.js';

/**
 * The graph steps of near dedup, each over one in-memory partition of records (the rounds in
 * rounds.ts feed them partitions that fit the memory budget):
 *
 * - bandStars: band records (key hi, key lo, node) → for every key shared by two or more
 *   nodes, the star edges (node, smallest node of the key), each distinct pair once.
 * - contract: directed edge records (u, v), all of u's edges at u's owner → union-find over the
 *   partition, and for every node x the edge (x, smallest node of x's local component). Repeated
 *   over rounds this turns every connected component into one star around its smallest node.
 * - starCheck: whether the edges already are such stars, per owned node u: u has no smaller
 *   neighbour (a centre), or exactly one neighbour and it is smaller (a leaf). Every record of u
 *   is at u's owner, so the checks of all ranks together decide the whole graph.
 */

/** Bytes of memory per band record that bandStars needs (the records themselves included). */
export const BAND_BYTES_PER_RECORD = 24 + PairIndex.BYTES_PER_PAIR + 8 + 4 + PairIndex.BYTES_PER_PAIR;

export function bandStars(records: Float64Array, emit: (node: number, centre: number) => void): { keys: number; shared: number; pairs: number } {
  const n = records.length / 3;
  const keys = new PairIndex(n);
  const minNode = new Float64Array(n);
  const count = new Int32Array(n);
  const keyOf = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const at = keys.add(records[3 * i], records[3 * i + 1]);
    const k = at >> 1;
    keyOf[i] = k;
    const node = records[3 * i + 2];
    if (at & 1 || node < minNode[k]) minNode[k] = node;
    count[k]++;
  }
  const pairs = new PairIndex(n);
  let shared = 0;
  for (let k = 0; k < keys.size; k++) if (count[k] > 1) shared++;
  for (let i = 0; i < n; i++) {
    const k = keyOf[i];
    const node = records[3 * i + 2];
    if (count[k] < 2 || node === minNode[k]) continue;
    if (pairs.add(node, minNode[k]) & 1) emit(node, minNode[k]);
  }
  return { keys: keys.size, shared, pairs: pairs.size };
}

/** Bytes of memory per edge record that contract needs: the record, up to two new nodes, their state. */
export const EDGE_BYTES_PER_RECORD = 16 + 2 * (NodeIndex.BYTES_PER_NODE + 4 + 8 + 1);

const SECOND_SMALLER = 1;
const LARGER = 2;
const OWNED = 4;

/** Per owned node: its smallest smaller neighbour and whether it has a second one or a larger one. */
class StarState {
  readonly smaller: Float64Array;
  readonly flags: Uint8Array;

  constructor(size: number) {
    this.smaller = new Float64Array(size).fill(Infinity);
    this.flags = new Uint8Array(size);
  }

  see(iu: number, u: number, v: number): void {
    this.flags[iu] |= OWNED;
    if (v > u) this.flags[iu] |= LARGER;
    else if (v < u) {
      if (this.smaller[iu] === Infinity) this.smaller[iu] = v;
      else if (this.smaller[iu] !== v) this.flags[iu] |= SECOND_SMALLER;
    }
  }

  /** Owned nodes that are neither a centre nor a leaf of one centre. */
  violations(size: number): number {
    let bad = 0;
    for (let i = 0; i < size; i++) {
      const f = this.flags[i];
      if (!(f & OWNED)) continue;
      if (f & SECOND_SMALLER || (this.smaller[i] !== Infinity && f & LARGER)) bad++;
    }
    return bad;
  }
}

export function contract(records: Float64Array, emit: (node: number, root: number) => void): { nodes: number; violations: number } {
  const n = records.length / 2;
  const index = new NodeIndex(2 * n);
  const parent = new Int32Array(2 * n);
  const state = new StarState(2 * n);
  const find = (i: number): number => {
    while (parent[i] !== i) {
      parent[i] = parent[parent[i]]; // path halving
      i = parent[i];
    }
    return i;
  };
  for (let k = 0; k < n; k++) {
    const u = records[2 * k];
    const v = records[2 * k + 1];
    const before = index.size;
    const iu = index.index(u);
    if (index.size > before) parent[iu] = iu;
    const mid = index.size;
    const iv = index.index(v);
    if (index.size > mid) parent[iv] = iv;
    state.see(iu, u, v);
    const ru = find(iu);
    const rv = find(iv);
    if (ru === rv) continue;
    // the smaller node id becomes the root: a component's root is its smallest node
    if (index.ids[ru] < index.ids[rv]) parent[rv] = ru;
    else parent[ru] = rv;
  }
  for (let i = 0; i < index.size; i++) {
    const r = find(i);
    if (r !== i) emit(index.ids[i], index.ids[r]);
  }
  return { nodes: index.size, violations: state.violations(index.size) };
}

/**
 * On converged edges (stars): every centre owned here with its leaves, each distinct leaf once.
 * Returns the owned nodes that are not part of a star (0 when the graph has converged).
 */
export function starCentres(records: Float64Array, centre: (node: number, leaves: Float64Array) => void): { violations: number } {
  const n = records.length / 2;
  const index = new NodeIndex(n);
  const state = new StarState(n);
  const degree = new Int32Array(n);
  const firstEdge = new Int32Array(n);
  for (let k = 0; k < n; k++) {
    const iu = index.index(records[2 * k]);
    state.see(iu, records[2 * k], records[2 * k + 1]);
    degree[iu]++;
  }
  // group the edges of each owned node (counting sort by dense index), then drop repeated leaves
  for (let i = 1; i < index.size; i++) firstEdge[i] = firstEdge[i - 1] + degree[i - 1];
  const fill = firstEdge.slice(0, index.size);
  const grouped = new Float64Array(n);
  for (let k = 0; k < n; k++) grouped[fill[index.index(records[2 * k])]++] = records[2 * k + 1];
  for (let i = 0; i < index.size; i++) {
    if (state.smaller[i] !== Infinity) continue; // a leaf: its centre lists it
    const leaves = grouped.subarray(firstEdge[i], firstEdge[i] + degree[i]).sort();
    let distinct = 0;
    for (let j = 0; j < leaves.length; j++) if (j === 0 || leaves[j] !== leaves[j - 1]) leaves[distinct++] = leaves[j];
    centre(index.ids[i], leaves.subarray(0, distinct));
  }
  return { violations: state.violations(index.size) };
}

export const STAR_BYTES_PER_RECORD = 16 + NodeIndex.BYTES_PER_NODE + 8 + 1 + 4 + 4 + 8;
