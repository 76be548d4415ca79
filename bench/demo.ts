import { execFileSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { perCore } from './measure.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..', '..');

interface Measured {
  seconds: number;
  files_in: number;
  bytes_in: number;
  files_out: number;
  duplicates: number;
  peak_rss_mb: number;
  workers?: number;
}

function rates(m: Measured, cores: number) {
  return {
    files_per_s_per_core: perCore(m.files_in, m.seconds, cores),
    mb_per_s_per_core: perCore(m.bytes_in / 1e6, m.seconds, cores, 2),
  };
}

/** The demo pipeline over node_modules at 1 and 2 workers, and a single-threaded Python peer. */
export function benchDemo(): Record<string, unknown> {
  const input = path.join(repo, 'node_modules');
  const tmp = path.join(os.tmpdir(), `thresher-bench-${process.pid}`);
  const runs: Record<string, unknown>[] = [];
  for (const workers of [1, 2]) {
    const line = execFileSync(process.execPath, [path.join(here, 'demo-child.js'), input, path.join(tmp, `w${workers}`), String(workers), '8'], { encoding: 'utf8' });
    const m = JSON.parse(line.trim().split('\n').pop()!) as Measured;
    runs.push({ ...m, ...rates(m, workers) });
  }
  let peer: Record<string, unknown> = { skipped: 'python3 not found' };
  try {
    const line = execFileSync('python3', [path.join(repo, 'bench', 'peers', 'walk_hash_dedup.py'), input, path.join(tmp, 'peer.jsonl')], { encoding: 'utf8' });
    const m = JSON.parse(line) as Measured;
    peer = { name: 'python single-thread walk+sha1+dedup+jsonl', ...m, ...rates(m, 1) };
  } catch (err) {
    peer = { skipped: String((err as Error).message).split('\n')[0] };
  }
  return { benchmark: 'demo-pipeline', input, cores: os.availableParallelism(), runs, peer };
}
