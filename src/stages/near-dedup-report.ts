import { existsSync } from 'node:fs';
import path from 'node:path';
import { ensureDir } from '../core/fs.js';
import type { ColumnSpec } from '../core/record.js';
import { mergeRuns } from '../dedup/near/clusters.js';
import { ParquetWriter } from '../io/writers/parquet.js';

/** The cluster table's columns: the user's id and where the record came from, then its cluster. */
export const CLUSTER_COLUMNS: ColumnSpec[] = [
  { name: 'id', type: 'string' },
  { name: 'source', type: 'string' },
  { name: 'source_row', type: 'int64' },
  { name: 'cluster_id', type: 'string' },
  { name: 'cluster_size', type: 'int64' },
  { name: 'kept', type: 'bool' },
  { name: 'kept_id', type: 'string' },
];

export interface ClusterTableSummary {
  clusters: number;
  clustered_records: number;
  near_duplicates: number;
  largest_cluster: number;
  /** clusters by size: "2", "3-4", "5-8", ... */
  cluster_sizes: Record<string, number>;
}

function sizeBin(size: number): string {
  if (size <= 2) return String(size);
  const hi = 2 ** Math.ceil(Math.log2(size));
  return `${hi / 2 + 1}-${hi}`;
}

/**
 * clusters.parquet under `artifactsDir`: one row per record in a cluster of two or more, in
 * (cluster_id, kept first, id, position) order, merged from the decide rounds' sorted runs; the
 * same input gives the same bytes whatever the number of tasks.
 */
export async function writeClusterTable(rowsDir: string, artifactsDir: string): Promise<ClusterTableSummary> {
  ensureDir(artifactsDir);
  const writer = new ParquetWriter(CLUSTER_COLUMNS, (seq) => path.join(artifactsDir, seq === 0 ? 'clusters.parquet' : `clusters-${seq}.parquet`));
  const summary: ClusterTableSummary = { clusters: 0, clustered_records: 0, near_duplicates: 0, largest_cluster: 0, cluster_sizes: {} };
  try {
    for (const [clusterId, removed, id, position, size, keptId] of existsSync(rowsDir) ? mergeRuns(rowsDir) : []) {
      const cut = position.indexOf('\u0000');
      const row = position.slice(cut + 1);
      await writer.write({ id, source: position.slice(0, cut), source_row: row === '' ? null : Number(row), cluster_id: clusterId, cluster_size: size, kept: removed === 0, kept_id: keptId });
      summary.clustered_records++;
      if (removed) {
        summary.near_duplicates++;
        continue;
      }
      summary.clusters++;
      summary.largest_cluster = Math.max(summary.largest_cluster, size);
      const bin = sizeBin(size);
      summary.cluster_sizes[bin] = (summary.cluster_sizes[bin] ?? 0) + 1;
    }
    await writer.close();
  } catch (err) {
    await writer.abort();
    throw err;
  }
  return summary;
}
