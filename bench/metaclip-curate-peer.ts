/**
 * `npm run bench -- metaclip-curate-peer`: `thresher metaclip curate` (match + count + balance,
 * one worker) against the single-process Python peer ../shared/peers/metaclip_curate.py
 * (pyahocorasick) on the same JSONL pool of real captions, alt-texts and package descriptions.
 * BENCH_SIZES=1000000,10000000 runs thresher alone at the larger sizes (the peer holds every
 * record in memory; BENCH_PEER_ALL=1 runs it there too).
 */
import { execFileSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { sharedPath } from '../test/helpers/shared.js';
import { measureCommand, perCore, type Measured } from './measure.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..', '..');
const PYTHON = '/usr/bin/python3';
const T = 2000;

/** `description` of every package.json under `dir` (nested node_modules included), in sorted path order. */
function packageDescriptions(dir: string, out: string[] = []): string[] {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  } catch {
    return out;
  }
  for (const e of entries) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) packageDescriptions(p, out);
    else if (e.isFile() && e.name === 'package.json') {
      try {
        const d = (JSON.parse(readFileSync(p, 'utf8')) as { description?: unknown }).description;
        if (typeof d === 'string' && d.trim()) out.push(d);
      } catch {
        /* not JSON (templates, fixtures) */
      }
    }
  }
  return out;
}

/** The source texts in their fixed order: COCO captions, web alt-texts (nulls skipped), package descriptions. */
function sourceTexts(): { texts: string[]; sources: Record<string, number> } {
  const shared = sharedPath('data', 'metaclip');
  const coco = (JSON.parse(gunzipSync(readFileSync(path.join(shared, 'coco-captions-val2017.json.gz'))).toString('utf8')) as { annotations: { caption: string }[] }).annotations.map((a) => a.caption);
  const alt: string[] = [];
  for (const l of gunzipSync(readFileSync(path.join(shared, 'web-alt-text-10k.jsonl.gz')))
    .toString('utf8')
    .split('\n')) {
    if (!l.trim()) continue;
    const t = (JSON.parse(l) as { TEXT?: string | null }).TEXT;
    if (typeof t === 'string') alt.push(t);
  }
  const desc = packageDescriptions(path.join(repo, 'node_modules'));
  return { texts: [...coco, ...alt, ...desc], sources: { coco_captions: coco.length, web_alt_texts: alt.length, package_descriptions: desc.length } };
}

/** Writes `n` lines `{"id":"p<i>","text":...}` cycling through `texts`; returns the file's size in bytes. */
async function writePool(file: string, texts: string[], n: number): Promise<number> {
  const lines = texts.map((t) => JSON.stringify(t));
  const ws = createWriteStream(file);
  let buf = '';
  for (let i = 0; i < n; i++) {
    buf += `{"id":"p${i}","text":${lines[i % lines.length]}}\n`;
    if (buf.length > 1 << 20) {
      if (!ws.write(buf)) await new Promise<void>((r) => ws.once('drain', () => r()));
      buf = '';
    }
  }
  ws.end(buf);
  await new Promise<void>((resolve, reject) => ws.on('finish', resolve).on('error', reject));
  return statSync(file).size;
}

/** The benchmark's pool of `n` lines at `file` (for profiling runs outside the benchmark); returns its size in bytes. */
export async function makePool(file: string, n: number): Promise<number> {
  return writePool(file, sourceTexts().texts, n);
}

function summarise(m: Measured, texts: number, kept: number, workers: number) {
  return {
    wall_s: Math.round(m.seconds * 100) / 100,
    ...(m.cpu_seconds !== undefined ? { cpu_s: m.cpu_seconds } : {}),
    workers,
    texts_per_s: Math.round(texts / m.seconds),
    texts_per_s_per_core: perCore(texts, m.seconds, workers),
    peak_rss_mb: m.peak_rss_mb,
    ...(m.time_v_max_rss_mb !== undefined ? { time_v_max_rss_mb: m.time_v_max_rss_mb } : {}),
    kept,
    kept_share: Number((kept / texts).toFixed(4)),
  };
}

async function runThresher(pool: string, out: string, n: number) {
  const metadata = sharedPath('data', 'metaclip', 'metadata-wn30.json.gz');
  const args = [
    path.join(repo, 'dist', 'src', 'cli', 'main.js'),
    'metaclip',
    'curate',
    '-i',
    pool,
    '--text-field',
    'text',
    '--id-field',
    'id',
    '-m',
    metadata,
    '-t',
    String(T),
    '-o',
    out,
    '-w',
    '1',
    '-q',
  ];
  const m = await measureCommand(process.execPath, args, { cwd: repo });
  const line = m.stdout.split('\n').find((l) => l.startsWith('metaclip: '));
  const summary = line ? (JSON.parse(line.slice('metaclip: '.length)) as Record<string, unknown>) : {};
  const kept = Number(summary.kept ?? summary.output_records ?? summary.records_out ?? NaN);
  return { ...summarise(m, n, kept, 1), summary };
}

async function runPeer(pool: string, out: string, n: number) {
  const metadata = sharedPath('data', 'metaclip', 'metadata-wn30.json.gz');
  const script = sharedPath('peers', 'metaclip_curate.py');
  const m = await measureCommand(PYTHON, [script, metadata, pool, out, String(T)]);
  const r = JSON.parse(m.stdout.trim().split('\n').pop()!) as { texts: number; kept: number; seconds: number };
  if (r.texts !== n) throw new Error(`peer read ${r.texts} texts, expected ${n}`);
  return { name: 'python3 + pyahocorasick, one process (../shared/peers/metaclip_curate.py)', ...summarise(m, n, r.kept, 1), own_seconds_after_metadata: r.seconds };
}

/** Why the peer cannot run here, or undefined when it can. */
function peerUnavailable(): string | undefined {
  if (!existsSync(PYTHON)) return `skipped: ${PYTHON} not found`;
  if (!existsSync(sharedPath('peers', 'metaclip_curate.py'))) return 'skipped: ../shared/peers/metaclip_curate.py not found';
  try {
    execFileSync(PYTHON, ['-c', 'import ahocorasick'], { stdio: 'pipe' });
  } catch {
    return `skipped: \`import ahocorasick\` fails in ${PYTHON} (Debian package python3-ahocorasick; not installed by the benchmark)`;
  }
  return undefined;
}

export async function benchMetaclipCuratePeer(sizes = [1_000_000]): Promise<Record<string, unknown>> {
  const { texts, sources } = sourceTexts();
  const peerSkip = peerUnavailable();
  if (peerSkip) process.stderr.write(`bench metaclip-curate-peer: peer ${peerSkip}\n`);
  const runs: Record<string, unknown>[] = [];
  for (const [k, n] of sizes.entries()) {
    const dir = path.join(os.tmpdir(), `thresher-metaclip-curate-peer-${n}`);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    try {
      const pool = path.join(dir, 'pool.jsonl');
      const bytes = await writePool(pool, texts, n);
      const loadBefore = Number(os.loadavg()[0].toFixed(2));
      process.stderr.write(`  ${n} texts, ${(bytes / 1e6).toFixed(0)} MB pool; thresher…\n`);
      const thresher = await runThresher(pool, path.join(dir, 'thresher-out'), n);
      let peer: Record<string, unknown> | { skipped: string };
      if (peerSkip) peer = { skipped: peerSkip };
      else if (k > 0 && !process.env.BENCH_PEER_ALL) peer = { skipped: 'only at the first size (it holds every record in memory); BENCH_PEER_ALL=1 runs it' };
      else {
        process.stderr.write('  peer…\n');
        peer = await runPeer(pool, path.join(dir, 'peer-out.jsonl'), n);
      }
      const run: Record<string, unknown> = { texts: n, pool_mb: Math.round(bytes / 1e6), load_avg_1m: { before: loadBefore, after: Number(os.loadavg()[0].toFixed(2)) }, thresher, peer };
      if ('wall_s' in peer) {
        const p = peer as ReturnType<typeof summarise>;
        run.time_ratio_thresher_over_peer = Number((thresher.wall_s / p.wall_s).toFixed(3));
        run.time_ratio_target = 0.5;
        run.time_ratio_met = (run.time_ratio_thresher_over_peer as number) <= 0.5;
        run.kept_relative_difference = Number((Math.abs(thresher.kept - p.kept) / p.kept).toFixed(4));
        run.kept_similar = (run.kept_relative_difference as number) <= 0.01;
      }
      runs.push(run);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const flat = runs.length > 1 ? { thresher_peak_rss_mb_by_size: Object.fromEntries(runs.map((r) => [String(r.texts), (r.thresher as { peak_rss_mb: number }).peak_rss_mb])) } : {};
  return {
    benchmark: 'metaclip-curate-vs-python-peer',
    metadata: 'metadata-wn30',
    t: T,
    pool: { sources, cycle_length: texts.length, order: 'COCO val2017 captions, web alt-texts (nulls skipped), node_modules package.json descriptions (sorted paths), cycled; ids p0..p<n-1>' },
    measurement:
      'wall time from spawn to exit; peak RSS = max over time of the summed VmRSS of the process tree, polled from /proc every 50 ms; time_v_max_rss_mb = /usr/bin/time -v maximum RSS of the largest single process',
    kept_similar_means: 'relative difference ≤ 1%: both keep each text with probability 1 − Π(1 − t/max(count,t)) but draw different random numbers',
    cores: os.availableParallelism(),
    note: 'load_avg_1m: other processes on the machine share its cores; wall times above a load of `cores` are inflated',
    runs,
    ...flat,
  };
}
