/**
 * Do the code stages decide exactly as before? Runs every code stage alone, then all in the
 * demo's chain, over every file of a folder (node_modules by default) as `npm run bench --
 * code-stages` does, and digests each row's outcome: its exclusion (reason and detail) or every
 * column after the stage (redacted text, added columns), plus each stage's counters.
 *
 *   node dist/bench/code-stages-check.js write  before.json [dir]   # on the old code
 *   node dist/bench/code-stages-check.js compare before.json [dir]  # on the new code
 *   ... compare before.json --only=secrets,pii                       # some stages (no chain)
 *
 * `compare` prints the rows and counters that differ and exits 1 when any does. Speed work on
 * the stages must leave this silent; it is a script, not a test, because the digest belongs to
 * one checkout's node_modules.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { allRows, type RecordBatch } from '../src/core/batch.js';
import type { Exclusion } from '../src/core/record.js';
import type { StageEnv } from '../src/core/stage.js';
import { benchmarkItemsOf, codeStages, copyOf, prepare, readBatches } from './code-stages.js';

interface StageDigest {
  counters: Record<string, number>;
  /** per row, in reading order: path and a hash of its outcome */
  rows: [string, string][];
}
type Digest = Record<string, StageDigest>;

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** JSON for any column value: typed arrays as arrays, bigints as strings. */
function encode(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : ArrayBuffer.isView(v) ? Array.from(v as Uint8Array) : v));
}

function rowHash(batch: RecordBatch, row: number, why: Exclusion | undefined): string {
  const h = createHash('sha1');
  h.update(encode(why ?? null));
  for (const name of batch.names().sort()) h.update(`\0${name}\0${encode(batch.column(name)![row])}`);
  return h.digest('hex').slice(0, 20);
}

/** Outcome of every row of `batches` (all alive) after one stage, or after the chain for 'chain'. */
async function digestOf(dir: string, only?: string[]): Promise<Digest> {
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'thresher-code-check-'));
  try {
    const { batches } = await readBatches(dir);
    const env: StageEnv = { contentColumn: 'content', baseDir: scratch };
    const stages = codeStages(scratch, 'ms', benchmarkItemsOf(batches));
    const out: Digest = {};
    const chain = batches.map(copyOf);
    const chainWhy = chain.map(() => new Map<number, Exclusion>());
    const chainCounters: Record<string, number> = {};
    for (const run of stages) {
      if (only && !only.includes(run.name)) continue;
      const copies = batches.map(copyOf);
      const ready = await prepare(run, env, copies, scratch);
      if (!ready) continue;
      const whys = copies.map(() => new Map<number, Exclusion>());
      for (const [k, b] of copies.entries()) await ready.processor(b, allRows(b.length), (row, why) => whys[k].set(row, why));
      out[run.name] = { counters: ready.counters?.() ?? {}, rows: rowsOf(copies, whys) };
      if (only) continue;
      const inChain = await prepare(run, env, chain, scratch);
      for (const [k, b] of chain.entries()) {
        const alive = allRows(b.length).filter((r) => !chainWhy[k].has(r));
        await inChain!.processor(b, alive, (row, why) => chainWhy[k].set(row, { ...why, reason: `${run.name}:${why.reason}` }));
      }
      for (const [name, n] of Object.entries(inChain!.counters?.() ?? {})) chainCounters[`${run.name}/${name}`] = n;
    }
    if (!only) out.chain = { counters: chainCounters, rows: rowsOf(chain, chainWhy) };
    return out;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

function rowsOf(batches: RecordBatch[], whys: Map<number, Exclusion>[]): [string, string][] {
  const rows: [string, string][] = [];
  for (const [k, b] of batches.entries()) {
    const paths = b.column('path');
    for (let r = 0; r < b.length; r++) rows.push([String(paths?.[r] ?? r), rowHash(b, r, whys[k].get(r))]);
  }
  return rows;
}

/** Lines naming what differs between two digests (empty: the same). */
export function differences(before: Digest, after: Digest): string[] {
  const lines: string[] = [];
  for (const stage of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const a = before[stage];
    const b = after[stage];
    if (!a || !b) {
      lines.push(`${stage}: only ${a ? 'before' : 'after'}`);
      continue;
    }
    if (encode(sortKeys(a.counters)) !== encode(sortKeys(b.counters))) lines.push(`${stage}: counters ${encode(sortKeys(a.counters))} → ${encode(sortKeys(b.counters))}`);
    if (a.rows.length !== b.rows.length) lines.push(`${stage}: ${a.rows.length} rows → ${b.rows.length}`);
    let shown = 0;
    let differ = 0;
    for (let i = 0; i < Math.min(a.rows.length, b.rows.length); i++) {
      if (a.rows[i][0] === b.rows[i][0] && a.rows[i][1] === b.rows[i][1]) continue;
      differ++;
      if (shown++ < 10) lines.push(`${stage}: row ${i} ${a.rows[i][0]} differs`);
    }
    if (differ > 0) lines.push(`${stage}: ${differ} rows differ`);
  }
  return lines;
}

const sortKeys = (o: Record<string, number>) => Object.fromEntries(Object.entries(o).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)));

async function main(): Promise<void> {
  const flags = process.argv.slice(2).filter((a) => a.startsWith('--only='));
  const only = flags.length ? flags[0].slice('--only='.length).split(',') : undefined;
  const [mode, file, dir = path.join(repo, 'node_modules')] = process.argv.slice(2).filter((a) => !a.startsWith('--'));
  if ((mode !== 'write' && mode !== 'compare') || !file) {
    process.stderr.write('usage: code-stages-check.js write|compare <digest.json> [dir]\n');
    process.exit(2);
  }
  const digest = await digestOf(dir, only);
  const rows = Object.values(digest)[0]?.rows.length ?? 0;
  if (mode === 'write') {
    writeFileSync(file, JSON.stringify(digest) + '\n');
    process.stdout.write(`${file}: ${Object.keys(digest).length} digests of ${rows} rows\n`);
    return;
  }
  const before = JSON.parse(readFileSync(file, 'utf8')) as Digest;
  if (only) for (const stage of Object.keys(before)) if (!only.includes(stage)) delete before[stage];
  const lines = differences(before, digest);
  for (const l of lines) process.stdout.write(l + '\n');
  process.stdout.write(lines.length ? `DIFFERENT (${lines.length} lines)\n` : `same: ${Object.keys(digest).join(', ')} over ${rows} rows\n`);
  process.exitCode = lines.length ? 1 : 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) await main();
