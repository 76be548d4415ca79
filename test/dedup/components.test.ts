import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readExchangeRecords, RecordExchangeWriter } from '../../src/core/exchange.js';
import { bandStars, contract } from '../../src/dedup/near/graph.js';
import { componentsRound, membersRound, type Round } from '../../src/dedup/near/rounds.js';
import { NearPaths } from '../../src/dedup/near/store.js';
import { nodeId, ownerOf } from '../../src/dedup/near/tables.js';
import { tempDir } from '../helpers/fixtures.js';

/** Deterministic pseudo-random integers. */
function lcg(seed: number): (n: number) => number {
  let s = seed >>> 0;
  return (n) => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s % n;
  };
}

/** Union-find over the edges: every node's component, named by its smallest node (the reference). */
function referenceLabels(edges: [number, number][]): Map<number, number> {
  const parent = new Map<number, number>();
  const find = (x: number): number => {
    while (parent.get(x)! !== x) x = parent.get(x)!;
    return x;
  };
  for (const [a, b] of edges) for (const x of [a, b]) if (!parent.has(x)) parent.set(x, x);
  for (const [a, b] of edges) {
    const [ra, rb] = [find(a), find(b)];
    if (ra !== rb) parent.set(Math.max(ra, rb), Math.min(ra, rb));
  }
  return new Map([...parent.keys()].map((x) => [x, find(x)]));
}

/** A graph like LSH makes, over nodes of `ranks` observers: stars, chains, a long path, repeated edges. */
function lshLikeGraph(ranks: number, seed: number): [number, number][] {
  const rnd = lcg(seed);
  const node = () => nodeId(rnd(ranks), rnd(5000));
  const edges: [number, number][] = [];
  for (let s = 0; s < 150; s++) {
    const members = Array.from({ length: 2 + rnd(12) }, node);
    const centre = Math.min(...members);
    for (const m of members) if (m !== centre) edges.push([m, centre], [m, centre]);
  }
  for (let c = 0; c < 40; c++) {
    const chain = Array.from({ length: 3 + rnd(8) }, node);
    for (let i = 1; i < chain.length; i++) if (chain[i] !== chain[i - 1]) edges.push([chain[i - 1], chain[i]]);
  }
  const path = Array.from({ length: 300 }, node); // worst case for rounds: a long path in random order
  for (let i = 1; i < path.length; i++) if (path[i] !== path[i - 1]) edges.push([path[i - 1], path[i]]);
  return edges;
}

/** Runs the components rounds and members over `worldSize` ranks in this process; returns node → centre. */
function components(edges: [number, number][], worldSize: number, rounds: number, budgetBytes: number): Map<number, number> {
  const paths = new NearPaths(tempDir('thresher-cc-'));
  for (let producer = 0; producer < worldSize; producer++) {
    const out = new RecordExchangeWriter(paths.edges(0), producer, worldSize, 2, 4096);
    edges.forEach(([a, b], i) => {
      if (i % worldSize !== producer) return;
      out.push2(ownerOf(a, worldSize), a, b);
      out.push2(ownerOf(b, worldSize), b, a);
    });
    out.publish();
  }
  const round = (step: string, rank: number): Round => ({ paths, step, rank, worldSize, budgetBytes });
  for (let k = 1; k <= rounds; k++) for (let rank = 0; rank < worldSize; rank++) componentsRound(round(`cc_${k}`, rank), k);
  for (let rank = 0; rank < worldSize; rank++) membersRound(round('members', rank), rounds);
  const labels = new Map<number, number>();
  for (let rank = 0; rank < worldSize; rank++) {
    for (const chunk of readExchangeRecords(paths.exchange('labels'), rank, 2)) {
      for (let k = 0; k < chunk.length; k += 2) {
        assert.ok(!labels.has(chunk[k]), `node ${chunk[k]} labelled twice`);
        labels.set(chunk[k], chunk[k + 1]);
      }
    }
  }
  return labels;
}

test('components over several ranks equal union-find: every node labelled once, with its component smallest node', () => {
  for (const [worldSize, seed] of [
    [1, 1],
    [3, 2],
    [8, 3],
  ]) {
    const edges = lshLikeGraph(worldSize, seed);
    const expected = referenceLabels(edges);
    const got = components(edges, worldSize, 12, 2 ** 30);
    assert.equal(got.size, expected.size, `world size ${worldSize}`);
    for (const [x, c] of expected) assert.equal(got.get(x), c, `world size ${worldSize}, node ${x}`);
  }
});

test('a memory budget far below the input spills every round to partition files: the same components', () => {
  const edges = lshLikeGraph(4, 9);
  const expected = referenceLabels(edges);
  const got = components(edges, 4, 16, 20_000); // about 200 edge records per partition
  assert.deepEqual(
    [...got].sort((a, b) => a[0] - b[0]),
    [...expected].sort((a, b) => a[0] - b[0]),
  );
});

test('components that do not converge in the planned rounds are an error naming cc_rounds, never wrong clusters', () => {
  const edges = lshLikeGraph(8, 3);
  assert.throws(() => components(edges, 8, 1, 2 ** 30), /did not converge in cc_rounds: 1 .*raise cc_rounds/);
});

test('bandStars: a star per key shared by two or more nodes, around its smallest node, each pair once', () => {
  // keys (hi, lo): A shared by nodes 5, 3, 9; B by 3 and 5 again; C by one node only
  const records = new Float64Array([1, 1, 5, 1, 1, 3, 2, 7, 3, 1, 1, 9, 2, 7, 5, 4, 4, 8]);
  const edges: string[] = [];
  const s = bandStars(records, (node, centre) => edges.push(`${node}-${centre}`));
  assert.deepEqual(edges.sort(), ['5-3', '9-3']);
  assert.deepEqual(s, { keys: 3, shared: 2, pairs: 2 });
});

test('contract: a star around the smallest node of each local component; stars are left as they are', () => {
  const out: string[] = [];
  const s = contract(new Float64Array([7, 4, 4, 7, 7, 9, 1, 2]), (x, m) => out.push(`${x}-${m}`));
  assert.deepEqual(out.sort(), ['2-1', '7-4', '9-4']);
  assert.equal(s.violations, 1, 'node 7 has a smaller and a larger neighbour');
  const star: string[] = [];
  const settled = contract(new Float64Array([4, 7, 4, 9, 7, 4, 9, 4]), (x, m) => star.push(`${x}-${m}`));
  assert.deepEqual(star.sort(), ['7-4', '9-4']);
  assert.equal(settled.violations, 0);
});
