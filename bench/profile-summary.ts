/**
 * Top self-time entries of V8 CPU profiles (`node --cpu-prof`; worker threads write their own
 * files). Usage: node dist/bench/profile-summary.js <file.cpuprofile | dir>... [--top N]
 * Prints, for each file and for all of them together, self ms, share and function at file:line.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
}
interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

/** Self microseconds by "function file:line" key. */
export function selfTimes(profile: CpuProfile): Map<string, number> {
  const keyOf = new Map<number, string>();
  for (const n of profile.nodes) {
    const f = n.callFrame;
    const file = f.url ? f.url.replace(/^file:\/\//, '').replace(process.cwd() + path.sep, '') : '';
    // lineNumber is 0-based in the profile.
    keyOf.set(n.id, `${f.functionName || '(anonymous)'} ${file ? `${file}:${f.lineNumber + 1}` : ''}`.trim());
  }
  const out = new Map<string, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  // timeDeltas[i] is the time before sample i; the sample's own duration is the next delta.
  for (let i = 0; i < samples.length; i++) {
    const dt = i + 1 < deltas.length ? deltas[i + 1] : 0;
    const k = keyOf.get(samples[i]) ?? '?';
    out.set(k, (out.get(k) ?? 0) + Math.max(dt, 0));
  }
  return out;
}

function print(title: string, times: Map<string, number>, top: number): void {
  const total = [...times.values()].reduce((a, b) => a + b, 0);
  console.log(`${title}: ${(total / 1e3).toFixed(0)} ms sampled`);
  const rows = [...times.entries()].sort((a, b) => b[1] - a[1]).slice(0, top);
  for (const [k, us] of rows) console.log(`  ${(us / 1e3).toFixed(0).padStart(8)} ms ${((100 * us) / total).toFixed(1).padStart(5)}%  ${k}`);
}

function main(argv: string[]): void {
  let top = 15;
  const files: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--top') top = Number(argv[++i]);
    else if (statSync(argv[i]).isDirectory())
      files.push(
        ...readdirSync(argv[i])
          .filter((f) => f.endsWith('.cpuprofile'))
          .sort()
          .map((f) => path.join(argv[i], f)),
      );
    else files.push(argv[i]);
  }
  if (!files.length) throw new Error('usage: profile-summary <file.cpuprofile | dir>... [--top N]');
  const all = new Map<string, number>();
  for (const f of files) {
    const t = selfTimes(JSON.parse(readFileSync(f, 'utf8')) as CpuProfile);
    print(path.basename(f), t, top);
    for (const [k, v] of t) all.set(k, (all.get(k) ?? 0) + v);
  }
  if (files.length > 1) print('all files', all, top);
}

if (process.argv[1] && path.resolve(process.argv[1]).endsWith(path.join('bench', 'profile-summary.js'))) main(process.argv.slice(2));
