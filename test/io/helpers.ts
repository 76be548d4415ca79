import { mkdtempSync, rmSync, mkdirSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { BadInputPolicy, ReadItem, Reader } from '../../src/io/types.js';
import type { DataRecord, ExcludedRecord } from '../../src/core/record.js';
import { sharedPath } from '../helpers/shared.js';

/** Repository root (dist/test/io → ../../..). */
export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
/** 10,000 real web alt-texts in ../shared/ (tests reading it take `needsShared`). */
export const METACLIP_JSONL_GZ = sharedPath('data', 'metaclip', 'web-alt-text-10k.jsonl.gz');

export function tempDir(t: { after: (fn: () => void) => void }, prefix = 'thresher-io-'): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Copy files from the repo's node_modules into `dest`, keeping their relative paths. */
export function copyFromRepo(dest: string, rels: string[]): void {
  for (const rel of rels) {
    const to = path.join(dest, rel);
    mkdirSync(path.dirname(to), { recursive: true });
    copyFileSync(path.join(REPO, rel), to);
  }
}

export async function collect(reader: Reader, policy: BadInputPolicy = 'quarantine', rank = 0, worldSize = 1): Promise<{ records: DataRecord[]; excluded: ExcludedRecord[]; items: ReadItem[] }> {
  const files = await reader.listFiles();
  const items: ReadItem[] = [];
  for await (const it of reader.read(reader.slices(files, rank, worldSize), policy)) items.push(it);
  return {
    items,
    records: items.flatMap((i) => (i.record ? [i.record] : [])),
    excluded: items.flatMap((i) => (i.excluded ? [i.excluded] : [])),
  };
}

/** All ranks' items, concatenated in rank order. */
export async function collectAllRanks(reader: Reader, worldSize: number, policy: BadInputPolicy = 'quarantine'): Promise<ReadItem[][]> {
  const files = await reader.listFiles();
  const out: ReadItem[][] = [];
  for (let r = 0; r < worldSize; r++) {
    const items: ReadItem[] = [];
    for await (const it of reader.read(reader.slices(files, r, worldSize), policy)) items.push(it);
    out.push(items);
  }
  return out;
}

export function hasCommand(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
}

export function run(cmd: string, args: string[]): void {
  const r = spawnSync(cmd, args, { stdio: 'pipe' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr?.toString()}`);
}

/** Asserts an error is a single line that names the file (and the row when given). */
export function oneLineNaming(err: unknown, file: string, row?: number): boolean {
  const msg = (err as Error).message;
  if (msg.includes('\n')) throw new Error(`message spans lines: ${JSON.stringify(msg)}`);
  if (!msg.includes(file)) throw new Error(`message does not name ${file}: ${msg}`);
  if (row !== undefined && !msg.includes(`row ${row}`)) throw new Error(`message does not name row ${row}: ${msg}`);
  return true;
}
