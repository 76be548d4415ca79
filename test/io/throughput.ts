/**
 * Reader/writer throughput on real data (not a test): `node dist/test/io/throughput.js [dir ...]`.
 * Default input: the repo's node_modules and npm's own tree (~10k real files).
 */
import { mkdtempSync, rmSync, statSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DirectoryReader } from '../../src/io/readers/directory.js';
import { JsonlReader } from '../../src/io/readers/jsonl.js';
import { ParquetReader } from '../../src/io/readers/parquet.js';
import { ParquetWriter } from '../../src/io/writers/parquet.js';
import { JsonlWriter } from '../../src/io/writers/jsonl.js';
import { sha256Hex } from '../../src/core/hashing.js';
import type { DataRecord } from '../../src/core/record.js';
import { METACLIP_JSONL_GZ, REPO } from './helpers.js';

const MB = 1024 * 1024;
const fmt = (label: string, n: number, bytes: number, ms: number) =>
  console.log(
    `${label.padEnd(34)} ${String(n).padStart(7)} rec ${(bytes / MB).toFixed(1).padStart(7)} MB ${ms.toFixed(0).padStart(6)} ms  ${((n / ms) * 1000).toFixed(0).padStart(8)} rec/s ${((bytes / MB / ms) * 1000).toFixed(1).padStart(7)} MB/s`,
  );

async function main() {
  const dirs = process.argv.slice(2).length ? process.argv.slice(2) : [path.join(REPO, 'node_modules'), '/usr/lib/node_modules'];
  const out = mkdtempSync(path.join(tmpdir(), 'thresher-tp-'));
  try {
    const records: DataRecord[] = [];
    let bytes = 0;
    let excluded = 0;
    let t0 = performance.now();
    let columns = new DirectoryReader(dirs[0]).columns;
    for (const d of dirs) {
      const r = new DirectoryReader(d);
      columns = r.columns;
      const files = await r.listFiles();
      for await (const it of r.read(r.slices(files, 0, 1), 'quarantine')) {
        if (it.record) {
          records.push(it.record);
          bytes += it.record.size as number;
        } else excluded++;
      }
    }
    fmt(`directory read (${excluded} excluded)`, records.length, bytes, performance.now() - t0);

    for (const batchLabel of ['parquet write (zstd)']) {
      t0 = performance.now();
      const w = new ParquetWriter(columns, (i) => path.join(out, `p-${i}.parquet`));
      for (const r of records) await w.write(r);
      const files = await w.close();
      const ms = performance.now() - t0;
      const size = files.reduce((s, f) => s + statSync(f.path).size, 0);
      fmt(batchLabel, records.length, bytes, ms);
      console.log(`  ${files.length} file(s), ${(size / MB).toFixed(1)} MB on disk, sha256 ${sha256Hex(readFileSync(files[0].path)).slice(0, 16)}`);
    }
    t0 = performance.now();
    let n = 0;
    const pr = new ParquetReader(out, { contentField: 'content', provenance: 'columns' });
    for await (const it of pr.read(pr.slices(await pr.listFiles(), 0, 1), 'fail')) if (it.record) n++;
    fmt('parquet read', n, bytes, performance.now() - t0);

    t0 = performance.now();
    const jw = new JsonlWriter(columns, (i) => path.join(out, `j-${i}.jsonl.gz`));
    for (const r of records) await jw.write(r);
    await jw.close();
    fmt('jsonl.gz write', records.length, bytes, performance.now() - t0);

    t0 = performance.now();
    n = 0;
    const jr = new JsonlReader(path.join(out, 'j-0.jsonl.gz'), { contentField: 'content', idField: 'id' });
    for await (const it of jr.read(jr.slices(await jr.listFiles(), 0, 1), 'fail')) if (it.record) n++;
    fmt('jsonl.gz read', n, bytes, performance.now() - t0);

    t0 = performance.now();
    n = 0;
    let tb = 0;
    const mr = new JsonlReader(METACLIP_JSONL_GZ, { contentField: 'TEXT' });
    for await (const it of mr.read(mr.slices(await mr.listFiles(), 0, 1), 'fail'))
      if (it.record) {
        n++;
        tb += (it.record.TEXT as string).length + (it.record.URL as string).length;
      }
    fmt('jsonl.gz read (MetaCLIP 10k)', n, tb, performance.now() - t0);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

await main();
