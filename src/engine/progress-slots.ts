/**
 * Per-rank progress counters in shared memory: tasks write, the coordinator reads, with no
 * messages on the hot path. Works across worker threads; a lone task just keeps its own.
 */
export class ProgressSlots {
  readonly buffer: SharedArrayBuffer;
  private readonly values: Float64Array;

  constructor(ranks: number, buffer?: SharedArrayBuffer) {
    this.buffer = buffer ?? new SharedArrayBuffer(ranks * 2 * 8);
    this.values = new Float64Array(this.buffer);
  }

  set(rank: number, records: number, bytes: number): void {
    this.values[rank * 2] = records;
    this.values[rank * 2 + 1] = bytes;
  }

  total(): { records: number; bytes: number } {
    let records = 0;
    let bytes = 0;
    for (let i = 0; i < this.values.length; i += 2) {
      records += this.values[i];
      bytes += this.values[i + 1];
    }
    return { records, bytes };
  }

  reset(): void {
    this.values.fill(0);
  }
}
