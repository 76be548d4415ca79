/**
 * `npm run bench -- clip-tokenizer`: CLIP tokens/s per core of thresher's tokenizer beside
 * openai/CLIP's SimpleTokenizer algorithm in Python (bench/peers/clip_tokenizer.py, `regex`
 * module), on the 15,000 texts of ../shared/data/clip/reference (COCO captions and web
 * alt-texts). Tokens count SOT and EOT, as in the reference lists.
 *
 * - cold: a fresh tokenizer (empty word cache) over all texts once; warm: the pass after it.
 * - ours: CPU time of this process (one thread), median of PASSES; the process's JIT is warmed
 *   by one pass on another tokenizer first, and the very first pass in the process (JIT and
 *   cache both cold) is reported too. Peer: CPU time of the Python process around the same
 *   loops, fix_text as the identity (the same work; the reference was made so) and, where ftfy is
 *   installed, with ftfy.fix_text as CLIP runs it.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { loadClipMerges } from '../src/models/clip/merges-file.js';
import { ClipTokenizer } from '../src/models/clip/tokenizer.js';
import { REPO_ROOT } from '../test/helpers/cli.js';
import { sharedPath } from '../test/helpers/shared.js';

const PASSES = 7;
const PEER_PASSES = 3;
const PYTHON = process.env.PYTHON ?? 'python3';
const PEER = path.join(REPO_ROOT, 'bench', 'peers', 'clip_tokenizer.py');

const cpuSeconds = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};
const median = (xs: number[]) => xs.slice().sort((a, b) => a - b)[xs.length >> 1];

/** CPU seconds of one pass of `tokenizer` over `texts`, and the tokens it made. */
function pass(tokenizer: ClipTokenizer, texts: readonly string[]): { seconds: number; tokens: number } {
  const t0 = cpuSeconds();
  let tokens = 0;
  for (const t of texts) tokens += tokenizer.tokenize(t).length;
  return { seconds: cpuSeconds() - t0, tokens };
}

function ours(texts: readonly string[]): Record<string, unknown> {
  const t0 = cpuSeconds();
  const merges = loadClipMerges();
  const first = new ClipTokenizer(merges);
  const loadSeconds = cpuSeconds() - t0;
  const firstPass = pass(first, texts);
  const cold: number[] = [];
  const warm: number[] = [];
  for (let p = 0; p < PASSES; p++) {
    const tokenizer = new ClipTokenizer(merges);
    cold.push(pass(tokenizer, texts).seconds);
    warm.push(pass(tokenizer, texts).seconds);
  }
  const n = firstPass.tokens;
  return {
    tokens: n,
    load_merges_cpu_s: Number(loadSeconds.toFixed(3)),
    first_pass_in_process_tokens_per_s: Math.round(n / firstPass.seconds),
    cold_tokens_per_s: Math.round(n / median(cold)),
    warm_tokens_per_s: Math.round(n / median(warm)),
    cold_cpu_s: cold.map((s) => Number(s.toFixed(4))),
    warm_cpu_s: warm.map((s) => Number(s.toFixed(4))),
  };
}

interface PeerRun {
  tokens: number;
  cold_s: number[];
  warm_s: number[];
}

function peer(texts: readonly string[]): Record<string, unknown> | string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'clip-tok-bench-'));
  try {
    const file = path.join(dir, 'texts.json');
    writeFileSync(file, JSON.stringify(texts));
    const r = spawnSync(PYTHON, [PEER, sharedPath('data', 'clip', 'bpe_simple_vocab_16e6.txt.gz'), file, String(PEER_PASSES)], { encoding: 'utf8', maxBuffer: 1 << 26 });
    if (r.error) return `skipped: ${PYTHON} cannot run (${r.error.message})`;
    if (r.status === 3) return `skipped: ${r.stderr.trim()} (${PYTHON})`;
    if (r.status !== 0) throw new Error(`peer failed: ${r.stderr}`);
    const out = JSON.parse(r.stdout) as { python: string; regex: string; ftfy_version?: string; identity: PeerRun; ftfy?: PeerRun };
    const rates = (run: PeerRun) => ({
      cold_tokens_per_s: Math.round(run.tokens / median(run.cold_s)),
      warm_tokens_per_s: Math.round(run.tokens / median(run.warm_s)),
      cold_cpu_s: run.cold_s.map((s) => Number(s.toFixed(3))),
      warm_cpu_s: run.warm_s.map((s) => Number(s.toFixed(3))),
    });
    return {
      name: `openai/CLIP SimpleTokenizer algorithm (bench/peers/clip_tokenizer.py), Python ${out.python}, regex ${out.regex}`,
      tokens: out.identity.tokens,
      fix_text_identity: rates(out.identity),
      ...(out.ftfy ? { ftfy: { version: out.ftfy_version, ...rates(out.ftfy) } } : { ftfy: 'not installed: only the identity run' }),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function benchClipTokenizer(): Record<string, unknown> {
  const rows = gunzipSync(readFileSync(sharedPath('data', 'clip', 'reference', 'clip-tokenizer-reference.jsonl.gz')))
    .toString('utf8')
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => JSON.parse(l) as { text: string });
  const texts = rows.map((r) => r.text);
  const loadBefore = os.loadavg()[0];
  const o = ours(texts);
  const p = peer(texts);
  const loadAfter = os.loadavg()[0];
  const speedup =
    typeof p === 'string'
      ? p
      : {
          cold: Number(((o.cold_tokens_per_s as number) / (p.fix_text_identity as { cold_tokens_per_s: number }).cold_tokens_per_s).toFixed(1)),
          warm: Number(((o.warm_tokens_per_s as number) / (p.fix_text_identity as { warm_tokens_per_s: number }).warm_tokens_per_s).toFixed(1)),
          first_pass_vs_peer_cold: Number(((o.first_pass_in_process_tokens_per_s as number) / (p.fix_text_identity as { cold_tokens_per_s: number }).cold_tokens_per_s).toFixed(1)),
        };
  return {
    benchmark: 'clip-tokenizer',
    texts: texts.length,
    unit: 'tokens per CPU second (one core), SOT and EOT counted',
    thresher: o,
    peer: p,
    speedup_vs_peer_same_work: speedup,
    target: 'cold ≥ 5× the peer',
    load_average_1min: { before: Number(loadBefore.toFixed(2)), after: Number(loadAfter.toFixed(2)) },
  };
}
