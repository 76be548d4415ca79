import { readdirSync, readFileSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Manifest } from '../../src/release/manifest.js';
import { readShards } from '../../src/engine/shard-reader.js';
import { REPO_ROOT } from './cli.js';

/** Real text: the non-blank source lines of an installed package, deterministic order. */
export function realLines(pkg = 'typescript', limit = 50_000): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      if (out.length >= limit) return;
      const p = path.join(dir, name);
      const st = statSync(p);
      if (st.isDirectory()) walk(p);
      else if (/\.(js|ts|md)$/.test(name) && st.size < 4_000_000) {
        for (const line of readFileSync(p, 'utf8').split('\n')) {
          const t = line.trim();
          if (t.length > 8 && out.length < limit) out.push(t);
        }
      }
    }
  };
  walk(path.join(REPO_ROOT, 'node_modules', pkg));
  return out;
}

let cachedLines: string[] | undefined;

/** A JSONL pool of `n` records `{id, text}` from real lines (some repeat: real duplicates). */
export function writeJsonlPool(file: string, n: number, offset = 0): string {
  const lines = (cachedLines ??= realLines('typescript', 200_000));
  mkdirSync(path.dirname(file), { recursive: true });
  const rows = Array.from({ length: n }, (_, i) => JSON.stringify({ id: `r${i + offset}`, text: lines[(i + offset) % lines.length] }));
  writeFileSync(file, rows.join('\n') + '\n');
  return file;
}

export function jsonlPipeline(dir: string, input: string, opts: { tasks?: number; stages?: string; format?: string; output?: string; extraInput?: string } = {}): string {
  const file = path.join(dir, 'pipeline.yaml');
  writeFileSync(
    file,
    `name: pool
input:
  type: jsonl
  path: ${JSON.stringify(input)}
  id_field: id
${opts.extraInput ?? ''}on_bad_input: quarantine
stages:
${opts.stages ?? '  - dedup_exact: {}'}
output:
  path: ${JSON.stringify(opts.output ?? 'out')}
  format: ${opts.format ?? 'parquet'}
execution:
  tasks: ${opts.tasks ?? 4}
`,
  );
  return file;
}

export function readManifest(release: string): Manifest {
  return JSON.parse(readFileSync(path.join(release, 'manifest.json'), 'utf8')) as Manifest;
}

/** The data files' hashes and rows: what two releases of the same data must share. */
export function dataFingerprint(m: Manifest): string[] {
  return m.files.filter((f) => f.path.startsWith('data/')).map((f) => `${f.path} ${f.sha256} ${f.rows}`);
}

export async function releasedIds(release: string): Promise<string[]> {
  const m = readManifest(release);
  const ids: string[] = [];
  for await (const r of readShards(m.files.filter((f) => f.path.startsWith('data/')).map((f) => path.join(release, f.path)))) ids.push(r.id);
  return ids;
}
