/**
 * How `semantic_dedup` keeps vectors between its steps. Observe: each rank writes its vectors
 * (`observed/<rank>.f32`, float32 rows) and one JSON line per vector (`observed/<rank>.jsonl`:
 * id, priority values, position), both atomically at the end. Later steps read them back
 * whole per rank: a rank's vectors, not the pool's.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { readLines } from '../../core/exchange.js';
import { writeFileAtomic } from '../../core/fs.js';
import type { Value } from '../../core/record.js';

/** What a vector carries besides its values: the record's id, its priority values, where it is. */
export type VectorEntry = [id: string, priority: Value[], position: string];

const name = (rank: number) => String(rank).padStart(5, '0');
export const observedVectors = (dir: string, rank: number) => path.join(dir, 'observed', `${name(rank)}.f32`);
export const observedEntries = (dir: string, rank: number) => path.join(dir, 'observed', `${name(rank)}.jsonl`);

/** Collects one rank's vectors in growing Float32 chunks. */
export class VectorCollector {
  private chunks: Float32Array[] = [];
  private current: Float32Array;
  private used = 0;
  private readonly lines: string[] = [];
  dim = 0;

  constructor(private readonly chunkRows = 4096) {
    this.current = new Float32Array(0);
  }

  get count(): number {
    return this.lines.length;
  }

  add(vector: ArrayLike<number>, entry: VectorEntry): void {
    if (this.dim === 0) {
      this.dim = vector.length;
      this.current = new Float32Array(this.chunkRows * this.dim);
    }
    if (vector.length !== this.dim) throw new Error(`semantic_dedup: vectors of ${vector.length} and ${this.dim} dimensions in one pool`);
    if (this.used === this.current.length) {
      this.chunks.push(this.current);
      this.current = new Float32Array(this.chunkRows * this.dim);
      this.used = 0;
    }
    this.current.set(vector, this.used);
    this.used += this.dim;
    this.lines.push(JSON.stringify(entry));
  }

  /** One Float32Array of every row. */
  vectors(): Float32Array {
    const out = new Float32Array(this.count * this.dim);
    let at = 0;
    for (const c of this.chunks) {
      out.set(c, at);
      at += c.length;
    }
    out.set(this.current.subarray(0, this.used), at);
    return out;
  }

  write(dir: string, rank: number): void {
    const v = this.vectors();
    writeFileAtomic(observedVectors(dir, rank), new Uint8Array(v.buffer, v.byteOffset, v.byteLength));
    writeFileAtomic(observedEntries(dir, rank), this.lines.length ? this.lines.join('\n') + '\n' : '');
  }
}

/** A rank's observed vectors and entries (empty when it saw none). */
export function readObserved(dir: string, rank: number): { vectors: Float32Array; entries: VectorEntry[] } {
  const file = observedVectors(dir, rank);
  if (!existsSync(file)) return { vectors: new Float32Array(0), entries: [] };
  const bytes = readFileSync(file);
  const vectors = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  const entries = [...readLines(observedEntries(dir, rank))].map((l) => JSON.parse(l) as VectorEntry);
  return { vectors, entries };
}

/** Float32 rows ↔ base64, for vectors sent through a line exchange. */
export function vectorToBase64(v: Float32Array, row: number, dim: number): string {
  return Buffer.from(v.buffer, v.byteOffset + row * dim * 4, dim * 4).toString('base64');
}

export function vectorFromBase64(s: string): Float32Array {
  const b = Buffer.from(s, 'base64');
  return new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
}
