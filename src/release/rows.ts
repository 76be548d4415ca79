import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';
import { openSharedDuck, sqlString } from '../io/duck.js';

/** Row count of a release file: Parquet from its footer, JSONL by counting lines. */
export async function countRows(file: string): Promise<number | null> {
  if (file.endsWith('.parquet')) {
    // one DuckDB for every file of a release (a fresh one per file cost ~40 ms each)
    const duck = await openSharedDuck();
    try {
      const reader = await duck.connection.runAndReadAll(`SELECT num_rows FROM parquet_file_metadata(${sqlString(file)})`);
      return Number(reader.getRows()[0][0]);
    } finally {
      duck.close();
    }
  }
  if (file.endsWith('.jsonl') || file.endsWith('.jsonl.gz')) {
    let lines = 0;
    const raw = createReadStream(file);
    const stream = file.endsWith('.gz') ? raw.pipe(createGunzip()) : raw;
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++;
    }
    return lines;
  }
  return null;
}
