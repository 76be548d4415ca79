import { appendFileSync, closeSync, existsSync, openSync, readFileSync, readSync, renameSync } from 'node:fs';
import path from 'node:path';
import { ensureDir, removeIfExists, tempNameFor, writeFileAtomic } from '../../core/fs.js';

/**
 * Where near dedup keeps its work under the stage dir, and the per-rank files the observer
 * writes besides its band records: the node table (one JSON line per observed record, in node
 * order: [id, position, priority values...]), the observer's counts, and with verification the
 * distinct shingle hashes of every node (sorted uint32, with an offset index).
 */
export class NearPaths {
  constructor(readonly stageDir: string) {}

  exchange(name: 'bands' | 'pairs' | 'labels' | 'members' | 'decisions'): string {
    return path.join(this.stageDir, name);
  }

  /** Edges after components round k (0: the candidate edges, before any round). */
  edges(k: number): string {
    return path.join(this.stageDir, `edges-${k}`);
  }

  roundStats(round: string, rank: number): string {
    return path.join(this.stageDir, 'stats', `${round}-${String(rank).padStart(5, '0')}.json`);
  }

  nodeTable(rank: number): string {
    return path.join(this.stageDir, 'nodes', `${String(rank).padStart(5, '0')}.jsonl`);
  }

  observed(rank: number): string {
    return path.join(this.stageDir, 'nodes', `${String(rank).padStart(5, '0')}.json`);
  }

  shingles(rank: number): string {
    return path.join(this.stageDir, 'shingles', `${String(rank).padStart(5, '0')}.u32`);
  }

  shingleIndex(rank: number): string {
    return path.join(this.stageDir, 'shingles', `${String(rank).padStart(5, '0')}.idx`);
  }

  /** Sorted runs of cluster-table rows; summarize merges them. */
  rowsDir(): string {
    return path.join(this.stageDir, 'clusters');
  }

  scratch(step: string, rank: number): string {
    return path.join(this.stageDir, 'scratch', `${step}-${rank}`);
  }

  artifacts(): string {
    return path.join(this.stageDir, 'artifacts');
  }
}

/** What one observer saw: written with its node table, read by the rounds for counters. */
export interface ObservedCounts {
  records: number;
  signatures: number;
  too_short: number;
  no_content: number;
  shingles: number;
}

/** Writes one rank's node table (and shingle sets), under temporary names until `finish`. */
export class NodeTableWriter {
  private readonly lines: string[] = [];
  private readonly tableTmp: string;
  private readonly shinglesTmp?: string;
  private shingleBuffer = new Uint32Array(1 << 18);
  private shingleFill = 0;
  private offsets: Float64Array = new Float64Array(1024);
  private nodes = 0;
  private shingleTotal = 0;

  constructor(
    private readonly paths: NearPaths,
    private readonly rank: number,
    keepShingles: boolean,
  ) {
    ensureDir(path.dirname(paths.nodeTable(rank)));
    this.tableTmp = tempNameFor(paths.nodeTable(rank));
    removeIfExists(this.tableTmp);
    if (keepShingles) {
      ensureDir(path.dirname(paths.shingles(rank)));
      this.shinglesTmp = tempNameFor(paths.shingles(rank));
      removeIfExists(this.shinglesTmp);
    }
  }

  /** One node: its table line, and its sorted distinct shingle hashes when they are kept. */
  add(line: string, shingles?: Uint32Array): void {
    this.lines.push(line);
    if (this.lines.length >= 10_000) this.flushLines();
    if (!this.shinglesTmp || !shingles) return;
    if (this.nodes + 2 > this.offsets.length) {
      const grown = new Float64Array(this.offsets.length * 2);
      grown.set(this.offsets);
      this.offsets = grown;
    }
    this.offsets[this.nodes] = this.shingleTotal;
    this.nodes++;
    this.shingleTotal += shingles.length;
    for (let at = 0; at < shingles.length;) {
      if (this.shingleFill === this.shingleBuffer.length) this.flushShingles();
      const n = Math.min(shingles.length - at, this.shingleBuffer.length - this.shingleFill);
      this.shingleBuffer.set(shingles.subarray(at, at + n), this.shingleFill);
      this.shingleFill += n;
      at += n;
    }
  }

  private flushLines(): void {
    if (this.lines.length) appendFileSync(this.tableTmp, this.lines.join('\n') + '\n');
    this.lines.length = 0;
  }

  private flushShingles(): void {
    if (this.shingleFill) appendFileSync(this.shinglesTmp!, new Uint8Array(this.shingleBuffer.buffer, 0, this.shingleFill * 4));
    this.shingleFill = 0;
  }

  finish(counts: ObservedCounts): void {
    this.flushLines();
    appendFileSync(this.tableTmp, ''); // exists even when empty
    renameSync(this.tableTmp, this.paths.nodeTable(this.rank));
    if (this.shinglesTmp) {
      this.flushShingles();
      appendFileSync(this.shinglesTmp, '');
      this.offsets[this.nodes] = this.shingleTotal;
      writeFileAtomic(this.paths.shingleIndex(this.rank), new Uint8Array(this.offsets.buffer, 0, (this.nodes + 1) * 8));
      renameSync(this.shinglesTmp, this.paths.shingles(this.rank));
    }
    writeFileAtomic(this.paths.observed(this.rank), JSON.stringify(counts));
  }
}

export function readObserved(paths: NearPaths, rank: number): ObservedCounts {
  return JSON.parse(readFileSync(paths.observed(rank), 'utf8')) as ObservedCounts;
}

/** Random access to the shingle sets every rank's observer wrote (verification). */
export class ShingleReader {
  private readonly files = new Map<number, { data: number; index: number }>();

  constructor(private readonly paths: NearPaths) {}

  /** The sorted distinct shingle hashes of observed node `local` of `rank`. */
  set(rank: number, local: number): Uint32Array {
    const f = this.open(rank);
    const at = new Float64Array(2);
    readSync(f.index, new Uint8Array(at.buffer), 0, 16, local * 8);
    const out = new Uint32Array(at[1] - at[0]);
    readSync(f.data, new Uint8Array(out.buffer), 0, out.byteLength, at[0] * 4);
    return out;
  }

  private open(rank: number): { data: number; index: number } {
    let f = this.files.get(rank);
    if (!f) {
      if (!existsSync(this.paths.shingles(rank))) throw new Error(`${this.paths.shingles(rank)}: no shingle sets (was verify on when the records were observed?)`);
      f = { data: openSync(this.paths.shingles(rank), 'r'), index: openSync(this.paths.shingleIndex(rank), 'r') };
      this.files.set(rank, f);
    }
    return f;
  }

  close(): void {
    for (const f of this.files.values()) {
      closeSync(f.data);
      closeSync(f.index);
    }
    this.files.clear();
  }
}
