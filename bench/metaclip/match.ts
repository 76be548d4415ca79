/**
 * MetaCLIP matching benchmark: texts/s on one core on real captions (COCO val2017 captions +
 * web alt-texts, the 35,014 texts of shared/data/metaclip/reference), with the 86,671-entry
 * WordNet metadata and with a realistic 500k-entry metadata (synthetic-metadata.ts); build
 * time and memory; and the same on MetaCLIP's own matcher (pyahocorasick, run by
 * peer_pyahocorasick.py), whose results must be identical.
 *
 *   node dist/bench/metaclip/match.js [--out FILE] [--repeats N] [--no-peer]
 *                                     [--shared DIR] [--python /usr/bin/python3]
 *
 * Prints one JSON object (or writes it to --out). `benchMetaclipMatch()` returns it for
 * bench/run.ts.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import v8 from 'node:v8';
import vm from 'node:vm';
import { gunzipSync } from 'node:zlib';
import { MetaclipMatcher } from '../../src/metaclip/automaton.js';
import { loadMetadataSync } from '../../src/metaclip/metadata.js';
import { sharedPath } from '../../test/helpers/shared.js';
import { syntheticMetadata } from './synthetic-metadata.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

export interface MatchBenchOptions {
  sharedDir?: string;
  repeats?: number;
  peer?: boolean;
  python?: string;
}

function gcFunction(): () => void {
  v8.setFlagsFromString('--expose-gc');
  return vm.runInNewContext('gc') as () => void;
}

/** The benchmark texts, in the order of the reference files (null alt-texts skipped). */
export function benchmarkTexts(sharedDir: string): string[] {
  const dir = path.join(sharedDir, 'data', 'metaclip');
  const coco = JSON.parse(gunzipSync(readFileSync(path.join(dir, 'coco-captions-val2017.json.gz'))).toString('utf8')) as {
    annotations: { caption: string }[];
  };
  const texts = coco.annotations.map((a) => a.caption);
  for (const line of gunzipSync(readFileSync(path.join(dir, 'web-alt-text-10k.jsonl.gz')))
    .toString('utf8')
    .split('\n')) {
    if (!line) continue;
    const row = JSON.parse(line) as { TEXT: string | null };
    if (typeof row.TEXT === 'string') texts.push(row.TEXT);
  }
  return texts;
}

function referenceMatches(sharedDir: string): number[][] {
  const dir = path.join(sharedDir, 'data', 'metaclip', 'reference');
  const out: number[][] = [];
  for (const f of ['coco-captions-val2017.matches.jsonl.gz', 'web-alt-text-10k.matches.jsonl.gz']) {
    for (const line of gunzipSync(readFileSync(path.join(dir, f)))
      .toString('utf8')
      .split('\n')) {
      if (line) out.push((JSON.parse(line) as { matches: number[] }).matches);
    }
  }
  return out;
}

const MiB = 2 ** 20;

const settle = async (gc: () => void): Promise<void> => {
  // Large ArrayBuffers are freed by a concurrent sweeper: collect, wait, collect.
  gc();
  await new Promise((r) => setTimeout(r, 50));
  gc();
};

async function measureOurs(entries: string[], texts: string[], repeats: number, gc: () => void) {
  // Build twice: the first one also compiles the builder; report both.
  const buildMs: number[] = [];
  let matcher: MetaclipMatcher | null = null;
  let memory: Record<string, number> = {};
  for (let i = 0; i < 2; i++) {
    matcher = null;
    await settle(gc);
    const before = process.memoryUsage();
    const t0 = performance.now();
    matcher = MetaclipMatcher.build(entries);
    buildMs.push(performance.now() - t0);
    const peakRss = process.memoryUsage().rss;
    await settle(gc);
    const after = process.memoryUsage();
    memory = {
      retainedHeapMiB: (after.heapUsed - before.heapUsed) / MiB,
      retainedArrayBuffersMiB: (after.arrayBuffers - before.arrayBuffers) / MiB,
      rssRightAfterBuildMiB: (peakRss - before.rss) / MiB,
      rssAfterGcMiB: (after.rss - before.rss) / MiB,
    };
  }
  const m = matcher as MetaclipMatcher;
  const results = texts.map((t) => Array.from(m.match(t)));

  let chars = 0;
  for (const t of texts) chars += t.length;
  const rates: number[] = [];
  let total = 0;
  for (let r = 0; r < repeats + 1; r++) {
    const t0 = performance.now();
    total = 0;
    for (const t of texts) total += m.matchView(t).length;
    const s = (performance.now() - t0) / 1000;
    if (r > 0) rates.push(texts.length / s); // the first pass warms up the JIT
  }
  rates.sort((a, b) => a - b);
  const best = rates[rates.length - 1];
  return {
    results,
    summary: {
      impl: `thresher MetaclipMatcher (double-array trie with tails), node ${process.version}`,
      build_ms: buildMs.map((x) => Math.round(x)),
      tables: m.stats(),
      tables_mib: m.stats().bytes / MiB,
      build_memory_delta_mib: memory,
      texts_per_s_best: Math.round(best),
      texts_per_s_median: Math.round(rates[Math.floor(rates.length / 2)]),
      mchars_per_s_best: (best * chars) / texts.length / 1e6,
      total_matches: total,
    },
  };
}

function runPeer(python: string, entries: string[], texts: string[], repeats: number) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'thresher-metaclip-bench-'));
  try {
    const metaFile = path.join(dir, 'metadata.json');
    const textFile = path.join(dir, 'texts.jsonl');
    const checkFile = path.join(dir, 'check.jsonl');
    writeFileSync(metaFile, JSON.stringify(entries));
    writeFileSync(textFile, texts.map((t) => JSON.stringify(t)).join('\n') + '\n');
    const script = path.join(repoRoot, 'bench', 'metaclip', 'peer_pyahocorasick.py');
    const r = spawnSync(python, [script, metaFile, textFile, String(repeats), checkFile], { encoding: 'utf8', maxBuffer: 1 << 26 });
    if (r.status !== 0) return { error: `${python} ${path.basename(script)} failed: ${(r.stderr || r.error?.message || '').trim().split('\n').pop()}` };
    const summary = JSON.parse(r.stdout) as Record<string, unknown>;
    const results = readFileSync(checkFile, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as number[]);
    return { summary, results };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function sameLists(a: number[][], b: number[][]): { identical: boolean; differing: number } {
  let differing = Math.abs(a.length - b.length);
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i];
    const y = b[i];
    if (x.length !== y.length || x.some((v, j) => v !== y[j])) differing++;
  }
  return { identical: differing === 0, differing };
}

export async function benchMetaclipMatch(options: MatchBenchOptions = {}): Promise<Record<string, unknown>> {
  const sharedDir = options.sharedDir ?? sharedPath();
  const repeats = options.repeats ?? 5;
  const python = options.python ?? '/usr/bin/python3';
  const gc = gcFunction();
  const texts = benchmarkTexts(sharedDir);
  const reference = referenceMatches(sharedDir);
  const wordnet = loadMetadataSync(path.join(sharedDir, 'data', 'metaclip', 'metadata-wn30.json.gz'));
  const configs: { name: string; entries: () => string[] }[] = [
    { name: 'wordnet-86k', entries: () => wordnet },
    { name: 'synthetic-500k', entries: () => syntheticMetadata(wordnet, texts) },
  ];
  let chars = 0;
  for (const t of texts) chars += t.length;

  const out: Record<string, unknown>[] = [];
  for (const config of configs) {
    const entries = config.entries();
    process.stderr.write(`metaclip match bench: ${config.name} (${entries.length} entries)\n`);
    const ours = await measureOurs(entries, texts, repeats, gc);
    const row: Record<string, unknown> = { metadata: config.name, entries: entries.length, thresher: ours.summary };
    if (config.name === 'wordnet-86k') row.exact_vs_reference = sameLists(ours.results, reference);
    if (options.peer !== false) {
      const peer = runPeer(python, entries, texts, repeats);
      if ('error' in peer) {
        row.peer = peer;
      } else {
        row.peer = peer.summary;
        row.exact_vs_peer = sameLists(ours.results, peer.results);
        row.speedup_vs_peer = ours.summary.texts_per_s_best / (peer.summary.texts_per_s as number);
      }
    }
    out.push(row);
  }
  return {
    benchmark: 'metaclip-match',
    texts: texts.length,
    mean_chars_per_text: chars / texts.length,
    note: 'one thread each; texts/s = best of the timed passes after a warm-up pass',
    machine: { node: process.version, cpu: os.cpus()[0]?.model, cores: os.availableParallelism(), loadavg: os.loadavg() },
    results: out,
  };
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const result = await benchMetaclipMatch({
    sharedDir: arg('--shared'),
    repeats: arg('--repeats') ? Number(arg('--repeats')) : undefined,
    peer: !process.argv.includes('--no-peer'),
    python: arg('--python'),
  });
  const json = JSON.stringify(result, null, 1) + '\n';
  const outFile = arg('--out');
  if (outFile) writeFileSync(outFile, json);
  else process.stdout.write(json);
}
