/**
 * Accuracy of near_dedup's LSH against brute force, on real files: a deterministic sample of
 * half the text files under node_modules (0.5–100 KB), plus for a third of them an edited copy (a
 * changed line every 2 to 40 lines, editText from test/helpers/near-dups.ts) so that pairs fill
 * the whole Jaccard range as versions of a package do.
 *
 * - Truth: the exact Jaccard of every pair's shingle sets (The Stack v2's word 5-grams, as
 *   32-bit hashes), over all pairs that share a shingle (an inverted index; every other pair
 *   has Jaccard 0). A pair is a near-duplicate when its Jaccard is ≥ 0.7.
 * - LSH: candidate pairs are those sharing a band key, with near_dedup's own signatures and
 *   keys (250 permutations, 25 bands × 10 rows). Precision and recall of candidates against
 *   the truth, and per Jaccard bin the share of pairs that became candidates beside the
 *   S-curve 1 − (1 − s^r)^b averaged over the bin's pairs.
 * - Clusters: near_dedup run as a pipeline on the sample: the share of near-duplicate pairs
 *   that end up in one cluster (components add pairs that LSH missed directly), and of the
 *   records it removes, the share whose exact Jaccard with the kept record is ≥ 0.7 (≥ 0.5).
 *
 * Split: files go to the tuning or the held-out part by a hash of their path (an edited copy
 * with its original), and pairs are counted within a part. Nothing was tuned on either part
 * (the parameters are The Stack v2's), but the held-out part is THE figure.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bandKey, candidateProbability } from '../../src/dedup/lsh.js';
import { jaccard, MinHasher, shingleSet, type ShingleOptions } from '../../src/dedup/minhash.js';
import { readShards } from '../../src/engine/shard-reader.js';
import { runInline } from '../../src/executors/inline.js';
import { tempDir } from '../../test/helpers/fixtures.js';
import { editText, listFiles } from '../../test/helpers/near-dups.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const WORDS: ShingleOptions = { unit: 'words', ngram: 5, lowercase: true, emptyWords: false };
const [BANDS, ROWS, THRESHOLD] = [25, 10, 0.7];
const EDIT_EVERY = [2, 3, 4, 5, 8, 12, 20, 40];
const BINS = [0, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0001];

interface Doc {
  name: string;
  text: string;
  part: 'tuning' | 'held_out';
  set: Uint32Array;
}

const hashOf = (s: string) => createHash('sha1').update(s).digest().readUInt32BE(0);

function sample(): Doc[] {
  const root = path.join(repo, 'node_modules');
  const docs: Doc[] = [];
  for (const rel of listFiles(root)) {
    if (!/\.(js|cjs|mjs|ts|md|json)$/.test(rel) || hashOf(rel) % 2 !== 0) continue;
    const text = readFileSync(path.join(root, rel), 'utf8');
    if (text.length < 500 || text.length > 100_000) continue;
    const part = hashOf(`part:${rel}`) % 2 === 0 ? 'tuning' : 'held_out';
    docs.push({ name: rel, text, part, set: shingleSet(text, WORDS) });
    if (hashOf(`edit:${rel}`) % 3 === 0) {
      const every = EDIT_EVERY[hashOf(`every:${rel}`) % EDIT_EVERY.length];
      const edited = editText(text, every, 'edited');
      docs.push({ name: `${rel}~every${every}`, text: edited, part, set: shingleSet(edited, WORDS) });
    }
  }
  return docs.filter((d) => d.set.length > 0);
}

/** Exact Jaccard of every pair (i < j) in one part that shares a shingle: key i·n + j. */
function truePairs(docs: Doc[], idx: number[]): Map<number, number> {
  const n = docs.length;
  const postings = new Map<number, number[]>();
  for (const i of idx) for (const h of docs[i].set) postings.set(h, [...(postings.get(h) ?? []), i]);
  const shared = new Set<number>();
  for (const list of postings.values()) for (let a = 0; a < list.length; a++) for (let b = a + 1; b < list.length; b++) shared.add(list[a] * n + list[b]);
  const out = new Map<number, number>();
  for (const key of shared) out.set(key, jaccard(docs[Math.floor(key / n)].set, docs[key % n].set));
  return out;
}

/** Pairs (i < j) that share at least one band key. */
function candidatePairs(docs: Doc[], idx: number[]): Set<number> {
  const hasher = new MinHasher({ ...WORDS, numPerm: 250, hashBits: 32, seed: 0 });
  const sig = new Uint32Array(250);
  const key = new Uint32Array(2);
  const buckets = new Map<string, number[]>();
  for (const i of idx) {
    hasher.signature(docs[i].text, sig);
    for (let b = 0; b < BANDS; b++) {
      bandKey(sig, b, ROWS, key);
      const k = `${key[0]}:${key[1]}`;
      buckets.set(k, [...(buckets.get(k) ?? []), i]);
    }
  }
  const out = new Set<number>();
  for (const list of buckets.values()) for (let a = 0; a < list.length; a++) for (let b = a + 1; b < list.length; b++) out.add(list[a] * docs.length + list[b]);
  return out;
}

function pairLevel(docs: Doc[], idx: number[]): { report: Record<string, unknown>; positives: [number, number][] } {
  const n = docs.length;
  const truth = truePairs(docs, idx);
  const candidates = candidatePairs(docs, idx);
  const jOf = (key: number) => truth.get(key) ?? 0;
  const name = (key: number) => `${docs[Math.floor(key / n)].name} ~ ${docs[key % n].name}`;
  const positives = [...truth].filter(([, j]) => j >= THRESHOLD).map(([k]) => k);
  const hits = positives.filter((k) => candidates.has(k));
  const falseCandidates = [...candidates].filter((k) => jOf(k) < THRESHOLD);
  const bins = BINS.slice(0, -1).map((lo, b) => {
    const hi = BINS[b + 1];
    const inBin = [...truth].filter(([, j]) => j >= lo && j < hi);
    const became = inBin.filter(([k]) => candidates.has(k)).length;
    const expected = inBin.reduce((s, [, j]) => s + candidateProbability(j, BANDS, ROWS), 0);
    return {
      jaccard: `[${lo}, ${Math.min(hi, 1)}${hi > 1 ? ']' : ')'}`,
      pairs: inBin.length,
      candidates: became,
      observed_rate: inBin.length ? round(became / inBin.length) : null,
      s_curve_rate: inBin.length ? round(expected / inBin.length) : null,
    };
  });
  const report = {
    files: idx.length,
    pairs_sharing_a_shingle: truth.size,
    near_duplicate_pairs: positives.length,
    candidate_pairs: candidates.size,
    precision: round(hits.length / Math.max(1, candidates.size)),
    recall: round(hits.length / Math.max(1, positives.length)),
    precision_after_verify: 1,
    by_jaccard: bins,
    missed: positives
      .filter((k) => !candidates.has(k))
      .slice(0, 20)
      .map((k) => ({ pair: name(k), jaccard: round(jOf(k)) })),
    false_candidates: falseCandidates.slice(0, 20).map((k) => ({ pair: name(k), jaccard: round(jOf(k)) })),
  };
  return { report, positives: positives.map((k) => [Math.floor(k / n), k % n]) };
}

async function clusterLevel(docs: Doc[], positives: Record<'held_out' | 'tuning', [number, number][]>): Promise<Record<string, unknown>> {
  const dir = tempDir('thresher-accuracy-near-');
  const input = path.join(dir, 'tree');
  docs.forEach((d) => {
    const file = path.join(input, d.part, d.name.replace(/[~]/g, '.'));
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, d.text);
  });
  writeFileSync(path.join(dir, 'p.yaml'), `name: acc\ninput:\n  type: directory\n  path: tree\nstages:\n  - near_dedup: {}\noutput:\n  path: out\nexecution:\n  tasks: 2\n`);
  const result = await runInline(path.join(dir, 'p.yaml'));
  const fileOf = (d: Doc) => `${d.part}/${d.name.replace(/[~]/g, '.')}`;
  const byFile = new Map(docs.map((d) => [fileOf(d), d]));
  const rows: { id: string; cluster_id: string; kept: boolean; kept_id: string }[] = [];
  const table = result.manifest.files.filter((f) => f.path.endsWith('clusters.parquet')).map((f) => path.join(result.dir, f.path));
  for await (const r of readShards(table)) rows.push(r as unknown as (typeof rows)[number]);
  const out: Record<string, unknown> = {};
  for (const part of ['held_out', 'tuning'] as const) {
    const removed = rows.filter((r) => !r.kept && byFile.get(r.id)?.part === part);
    const js = removed.map((r) => ({ r, j: jaccard(byFile.get(r.id)!.set, byFile.get(r.kept_id)!.set) }));
    const clusterOf = new Map(rows.map((r) => [r.id, r.cluster_id]));
    const together = positives[part].filter(([i, j]) => clusterOf.has(fileOf(docs[i])) && clusterOf.get(fileOf(docs[i])) === clusterOf.get(fileOf(docs[j])));
    out[part] = {
      near_duplicate_pairs_in_one_cluster: round(together.length / Math.max(1, positives[part].length)),
      removed: removed.length,
      removed_with_jaccard_to_kept_at_least_0_7: round(js.filter((x) => x.j >= THRESHOLD).length / Math.max(1, js.length)),
      removed_with_jaccard_to_kept_at_least_0_5: round(js.filter((x) => x.j >= 0.5).length / Math.max(1, js.length)),
      lowest: js
        .sort((a, b) => a.j - b.j)
        .slice(0, 20)
        .map((x) => ({ removed: x.r.id, kept: x.r.kept_id, jaccard: round(x.j) })),
    };
  }
  return out;
}

const round = (x: number) => Number(x.toFixed(4));

export async function evaluate(): Promise<Record<string, unknown>> {
  const docs = sample();
  const parts = { held_out: [] as number[], tuning: [] as number[] };
  docs.forEach((d, i) => parts[d.part].push(i));
  const held = pairLevel(docs, parts.held_out);
  const tuning = pairLevel(docs, parts.tuning);
  return {
    corpus: `${docs.length} files: a sample of node_modules text files (0.5–100 KB) and ${docs.filter((d) => d.name.includes('~every')).length} edited copies`,
    settings: { shingles: 'word 5-grams, lowercased', num_perm: 250, bands: BANDS, rows: ROWS, threshold: THRESHOLD },
    held_out: held.report,
    tuning: tuning.report,
    clusters: await clusterLevel(docs, { held_out: held.positives, tuning: tuning.positives }),
  };
}
