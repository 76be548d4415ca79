import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { DuckDBInstance } from '@duckdb/node-api';
import { sharedPath } from '../test/helpers/shared.js';
import { perCore } from './measure.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const shared = sharedPath('data', 'metaclip');

/** A pool of `n` texts cycling through the 35,014 real captions, as one Parquet file. */
async function makePool(file: string, n: number): Promise<void> {
  const coco = JSON.parse(gunzipSync(readFileSync(path.join(shared, 'coco-captions-val2017.json.gz'))).toString('utf8')) as { annotations: { caption: string }[] };
  const alt = gunzipSync(readFileSync(path.join(shared, 'web-alt-text-10k.jsonl.gz')))
    .toString('utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => (JSON.parse(l) as { TEXT: string | null }).TEXT ?? '');
  const texts = [...coco.annotations.map((a) => a.caption), ...alt];
  const list = path.join(path.dirname(file), 'captions.json');
  writeFileSync(list, JSON.stringify(texts.map((text, k) => ({ k, text }))));
  const db = await DuckDBInstance.create(':memory:');
  const con = await db.connect();
  await con.run(`CREATE TABLE caps AS SELECT * FROM read_json('${list}')`);
  await con.run(
    `COPY (SELECT 'r' || i AS id, caps.text AS text FROM range(${n}) r(i) JOIN caps ON caps.k = i % ${texts.length} ORDER BY i) TO '${file}' (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 100000)`,
  );
  con.closeSync();
  db.closeSync();
}

/** match + count + balance through the engine on 1M and 10M texts: throughput and peak memory. */
export async function benchMetaclipE2E(sizes = [1_000_000, 10_000_000]): Promise<Record<string, unknown>> {
  const runs: Record<string, unknown>[] = [];
  for (const n of sizes) {
    const dir = path.join(os.tmpdir(), `thresher-metaclip-e2e-${n}`);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const pool = path.join(dir, 'pool.parquet');
    await makePool(pool, n);
    const file = path.join(dir, 'pipeline.yaml');
    writeFileSync(
      file,
      `name: metaclip-e2e\ninput:\n  type: parquet\n  path: ${JSON.stringify(pool)}\n  id_field: id\nstages:\n  - metaclip_match:\n      metadata: ${JSON.stringify(path.join(shared, 'metadata-wn30.json.gz'))}\n  - metaclip_balance:\n      tail_share: 0.06\noutput:\n  path: out\n  excluded: false\nexecution:\n  tasks: 8\n`,
    );
    const line = execFileSync(process.execPath, [path.join(here, 'pipeline-child.js'), file, String(os.availableParallelism())], { encoding: 'utf8', maxBuffer: 1 << 26 });
    const m = JSON.parse(line.trim().split('\n').pop()!) as { seconds: number; peak_rss_mb: number; records_in: number; records_out: number };
    runs.push({ texts: n, ...m, texts_per_s: Math.round(n / m.seconds), texts_per_s_per_core: perCore(n, m.seconds, os.availableParallelism()) });
    rmSync(dir, { recursive: true, force: true });
  }
  return { benchmark: 'metaclip-match-count-balance-e2e', metadata: 'metadata-wn30 (86,671 entries)', cores: os.availableParallelism(), runs };
}
