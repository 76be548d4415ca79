/**
 * `npm run bench -- near-dedup`: thresher's near_dedup against datasketch (MinHash +
 * MinHashLSH, the library most near-dedup scripts use) on the same files, same shingles
 * (lowercased word 5-grams), 250 permutations, threshold 0.7.
 *
 * - signatures: MinHasher over every file of node_modules in this process (one thread; CPU
 *   time and wall), against datasketch's shingling + MinHash.update_batch over the same files
 *   (bench/peers/datasketch_near_dedup.py signatures, timed around that work only).
 * - end to end at 1×, 4× and 16× node_modules (BENCH_NEAR_SIZES=1,4 for fewer): the 4× and
 *   16× trees are bench/demo.ts's (copies of node_modules, about half of each copy's text files
 *   edited: real near-duplicates). thresher: `thresher run` of a pipeline with near_dedup alone
 *   (directory reader, near_dedup, Parquet release) at 1 and 2 workers, peak RSS of the process
 *   tree; datasketch: query + insert per file and union-find, one process.
 *
 * MB: bytes of the regular files of at most the directory reader's max_bytes, 10 MiB (what both read). Per core: per thresher
 * worker, per process for the peer. The 16× tree is about 2.8 GB on disk and built once.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { MinHasher } from '../src/dedup/minhash.js';
import { readShards } from '../src/engine/shard-reader.js';
import { directoryReaderOptionsSchema } from '../src/io/readers/directory.js';
import { buildTree, inputStats, scratchRoot, walk, type InputStats } from './demo.js';
import { measureCommand } from './measure.js';
import { hasShared, sharedPath } from '../test/helpers/shared.js';

const here = path.dirname(fileURLToPath(import.meta.url)); // dist/bench
const repo = path.resolve(here, '..', '..');
const CLI = path.join(repo, 'dist', 'src', 'cli', 'main.js');
const PYTHON = '/usr/bin/python3';
const PEER = path.join(repo, 'bench', 'peers', 'datasketch_near_dedup.py');
const NUM_PERM = 250;
const NGRAM = 5;
const THRESHOLD = 0.7;
const round = (x: number, d = 2) => Number(x.toFixed(d));

/** The readable text files of a tree as the directory reader takes them (≤ max bytes, no NUL in the first 8 KiB, UTF-8). */
function texts(dir: string, maxBytes: number): { texts: string[]; bytes: number } {
  const out: string[] = [];
  let bytes = 0;
  const decoder = new TextDecoder('utf-8', { fatal: true });
  walk(dir, (_rel, abs, st) => {
    if (!st.isFile() || st.size > maxBytes) return;
    const data = readFileSync(abs);
    if (data.subarray(0, 8192).includes(0)) return;
    try {
      out.push(decoder.decode(data));
      bytes += data.length;
    } catch {
      /* not UTF-8: the reader excludes it */
    }
  });
  return { texts: out, bytes };
}

/** Signatures per second of one thread, thresher against datasketch, on the same files. */
function signatureSpeed(dir: string, maxBytes: number, peer: string | undefined): Record<string, unknown> {
  const { texts: all, bytes } = texts(dir, maxBytes);
  const hasher = new MinHasher({ unit: 'words', ngram: NGRAM, lowercase: true, emptyWords: false, numPerm: NUM_PERM, hashBits: 32, seed: 0 });
  const sig = new Uint32Array(NUM_PERM);
  for (const t of all.slice(0, 200)) hasher.signature(t, sig); // warm up
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  let shingles = 0;
  for (const t of all) shingles += hasher.signature(t, sig);
  const wall = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(c0);
  const mb = bytes / 1e6;
  const cpuS = (cpu.user + cpu.system) / 1e6;
  const thresher = {
    files: all.length,
    mb: round(mb, 1),
    shingles: shingles,
    seconds: round(wall, 3),
    cpu_s: round(cpuS, 3),
    mb_per_s: round(mb / wall),
    mb_per_cpu_s: round(mb / cpuS),
    simd: hasher.simd,
  };
  if (!peer) return { thresher, datasketch: { skipped: PEER_ABSENT } };
  const r = spawnSync(PYTHON, [PEER, 'signatures', dir, String(maxBytes), String(NUM_PERM), String(NGRAM)], { encoding: 'utf8', env: { ...process.env, PYTHONPATH: peer }, maxBuffer: 1 << 24 });
  if (r.status !== 0) throw new Error(`datasketch peer exited ${r.status}: ${r.stderr.slice(-400)}`);
  const line = JSON.parse(r.stdout.trim().split('\n').pop()!) as { mb: number; signature_seconds: number; signature_cpu_s: number; files: number };
  const datasketch = {
    files: line.files,
    mb: round(line.mb, 1),
    seconds: round(line.signature_seconds, 3),
    cpu_s: round(line.signature_cpu_s, 3),
    mb_per_s: round(line.mb / line.signature_seconds),
    mb_per_cpu_s: round(line.mb / line.signature_cpu_s),
  };
  return { thresher, datasketch, ratio: round(thresher.mb_per_s / datasketch.mb_per_s, 1), ratio_by_cpu_time: round(thresher.mb_per_cpu_s / datasketch.mb_per_cpu_s, 1) };
}

/** Where datasketch is (../shared/peers/datasketch), or undefined when it or Python is absent. */
function datasketchPath(): string | undefined {
  const dir = sharedPath('peers', 'datasketch');
  return hasShared && existsSync(path.join(dir, 'datasketch')) && existsSync(PYTHON) ? dir : undefined;
}
const PEER_ABSENT = `skipped: datasketch (../shared/peers/datasketch) or ${PYTHON} not found`;

interface Run {
  tool: string;
  workers: number;
  seconds: number;
  mb_per_s_per_core: number;
  peak_rss_mb: number;
  cpu_s?: number;
  removed: number;
  clusters?: number;
  step_ms?: Record<string, number>;
}

async function runThresher(input: InputStats, scratch: string, workers: number): Promise<{ run: Run; removed: Set<string> }> {
  const dir = path.join(scratch, `thresher-w${workers}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'pipeline.yaml');
  writeFileSync(file, `name: near-bench\ninput:\n  type: directory\n  path: ${JSON.stringify(input.dir)}\nstages:\n  - near_dedup: {}\noutput:\n  path: out\nexecution:\n  tasks: ${2 * workers}\n`);
  const m = await measureCommand(process.execPath, [CLI, 'run', file, '-w', String(workers), '-q']);
  const release = path.join(dir, 'out', 'v1');
  const stats = JSON.parse(readFileSync(path.join(release, 'stats.json'), 'utf8')) as { steps: Record<string, { ms: number }>; exclusions: Record<string, number> };
  const summary = JSON.parse(readFileSync(path.join(release, 'artifacts', '0-near_dedup', 'summary.json'), 'utf8')) as { clusters: { clusters: number } };
  const removed = new Set<string>();
  const manifest = JSON.parse(readFileSync(path.join(release, 'manifest.json'), 'utf8')) as { files: { path: string }[] };
  const excluded = manifest.files.filter((f) => f.path.startsWith('excluded/')).map((f) => path.join(release, f.path));
  for await (const r of readShards(excluded)) if (r.reason === 'near_duplicate') removed.add(String(r.id));
  rmSync(dir, { recursive: true, force: true });
  const mb = input.bytes_read / 1e6;
  const run: Run = {
    tool: 'thresher',
    workers,
    seconds: round(m.seconds, 3),
    mb_per_s_per_core: round(mb / m.seconds / workers),
    peak_rss_mb: m.peak_rss_mb,
    ...(m.cpu_seconds !== undefined ? { cpu_s: m.cpu_seconds } : {}),
    removed: removed.size,
    clusters: summary.clusters.clusters,
    step_ms: Object.fromEntries(Object.entries(stats.steps).map(([k, v]) => [k, v.ms])),
  };
  return { run, removed };
}

async function runPeer(input: InputStats, scratch: string, peer: string, maxBytes: number): Promise<{ run: Run; removed: Set<string> }> {
  const out = path.join(scratch, 'datasketch-removed.jsonl');
  const args = [PEER, 'dedup', input.dir, String(maxBytes), String(NUM_PERM), String(NGRAM), String(THRESHOLD), out];
  const m = await measureCommand(PYTHON, args, { env: { ...process.env, PYTHONPATH: peer } });
  const line = JSON.parse(m.stdout.trim().split('\n').pop()!) as { removed: number; clusters: number; bands_rows: number[] };
  const removed = new Set(
    readFileSync(out, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => (JSON.parse(l) as { path: string }).path),
  );
  rmSync(out, { force: true });
  const run: Run = {
    tool: `datasketch MinHashLSH (bands × rows ${line.bands_rows.join(' × ')})`,
    workers: 1,
    seconds: round(m.seconds, 3),
    mb_per_s_per_core: round(input.bytes_read / 1e6 / m.seconds),
    peak_rss_mb: m.peak_rss_mb,
    ...(m.cpu_seconds !== undefined ? { cpu_s: m.cpu_seconds } : {}),
    removed: line.removed,
    clusters: line.clusters,
  };
  return { run, removed };
}

/** One size: the input tree (built for 4× and 16×), thresher at 1 and 2 workers, datasketch, and how their removals agree. */
async function atSize(copies: number, scratch: string, peer: string | undefined, maxBytes: number): Promise<Record<string, unknown>> {
  const nodeModules = path.join(repo, 'node_modules');
  let dir = nodeModules;
  let edits: { edited: number; editable: number } | undefined;
  if (copies > 1) {
    dir = path.join(scratch, `tree-${copies}x`);
    process.stderr.write(`  building the ${copies}× tree…\n`);
    edits = buildTree(nodeModules, dir, copies);
  }
  try {
    const input = inputStats(dir, maxBytes);
    const runs: Run[] = [];
    let thresherRemoved: Set<string> | undefined;
    for (const workers of [1, 2]) {
      process.stderr.write(`  thresher ${copies}× -w ${workers}…\n`);
      const t = await runThresher(input, scratch, workers);
      runs.push(t.run);
      thresherRemoved ??= t.removed;
    }
    let agreement: Record<string, unknown> = { skipped: PEER_ABSENT };
    if (peer) {
      process.stderr.write(`  datasketch ${copies}×…\n`);
      const p = await runPeer(input, scratch, peer, maxBytes);
      runs.push(p.run);
      const both = [...thresherRemoved!].filter((x) => p.removed.has(x)).length;
      agreement = {
        removed_by_both: both,
        only_thresher: thresherRemoved!.size - both,
        only_datasketch: p.removed.size - both,
        same_share: round(both / Math.max(1, new Set([...thresherRemoved!, ...p.removed]).size), 4),
      };
    }
    return { input: { ...input, dir: copies === 1 ? 'node_modules' : `${copies} copies of node_modules`, ...(edits ?? {}) }, runs, agreement };
  } finally {
    if (copies > 1) rmSync(dir, { recursive: true, force: true });
  }
}

export async function benchNearDedup(sizes = [1, 4, 16]): Promise<Record<string, unknown>> {
  const maxBytes = directoryReaderOptionsSchema.parse({}).maxBytes;
  const peer = datasketchPath();
  const load_before = os.loadavg().map((x) => round(x));
  process.stderr.write('  signatures…\n');
  const signature = signatureSpeed(path.join(repo, 'node_modules'), maxBytes, peer);
  const base = inputStats(path.join(repo, 'node_modules'), maxBytes);
  const scratch = path.join(scratchRoot(Math.max(...sizes) * base.bytes_listed * 1.1 + 2e9, Math.max(...sizes)), `thresher-bench-near-${process.pid}`);
  mkdirSync(scratch, { recursive: true });
  const bySize: Record<string, Record<string, unknown>> = {};
  try {
    for (const copies of sizes) bySize[`${copies}x`] = await atSize(copies, scratch, peer, maxBytes);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  const budgetMb = 2048;
  const runsOf = (label: string) => bySize[label].runs as Run[];
  const w1 = (label: string) => runsOf(label).find((r) => r.tool === 'thresher' && r.workers === 1)!;
  const ds = (label: string) => runsOf(label).find((r) => r.tool.startsWith('datasketch'));
  const secondsPerMb = (label: string) => w1(label).seconds / ((bySize[label].input as InputStats).bytes_read / 1e6);
  const first = Object.keys(bySize)[0];
  const sig = signature as { thresher: { mb_per_s: number }; ratio?: number };
  const endToEnd = Object.fromEntries(Object.keys(bySize).map((l) => [l, ds(l) ? round(w1(l).mb_per_s_per_core / ds(l)!.mb_per_s_per_core, 1) : null]));
  return {
    benchmark: 'near-dedup',
    what: 'near_dedup (word 5-grams, 250 permutations, 25 × 10 bands, threshold 0.7) vs datasketch MinHash + MinHashLSH on the same files and shingles: signatures alone, then end to end at 1×, 4×, 16× node_modules',
    units:
      'MB = 1e6 bytes of regular files ≤ the reader max_bytes (10 MiB); per core = per thresher worker (-w), per process for datasketch; wall around the process, start-up included; peak RSS of the whole process tree',
    cores: os.availableParallelism(),
    load_average: { before: load_before, after: os.loadavg().map((x) => round(x)) },
    signature_mb_s_per_core: sig.thresher.mb_per_s,
    signatures: signature,
    sizes: bySize,
    ratios: { signatures_vs_datasketch: sig.ratio ?? null, end_to_end_w1_vs_datasketch: endToEnd },
    linearity_seconds_per_mb_vs_first: Object.fromEntries(Object.keys(bySize).map((l) => [l, round(secondsPerMb(l) / secondsPerMb(first))])),
    memory_budget_mb_per_task: budgetMb,
    peak_rss_within_budget: Object.fromEntries(
      Object.keys(bySize).map((l) => [
        l,
        runsOf(l)
          .filter((r) => r.tool === 'thresher')
          .every((r) => r.peak_rss_mb <= budgetMb * r.workers),
      ]),
    ),
    targets: { signatures_vs_datasketch: 10, end_to_end_vs_datasketch: 10 },
    targets_met: {
      signatures_10x: (sig.ratio ?? 0) >= 10,
      end_to_end_10x: Object.values(endToEnd).every((r) => r !== null && r >= 10),
    },
  };
}
