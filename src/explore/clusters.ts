/**
 * A near-duplicate cluster of a release, side by side: every member from near_dedup's cluster
 * table, the kept one with its content from `records`, the removed ones with what `excluded`
 * says about them (a release keeps no content of removed records, so only their names and
 * reasons can be shown).
 */
import type { Json } from '@duckdb/node-api';
import { runParameterised } from './query.js';
import { LIMITS } from './browse.js';
import type { OpenRelease } from './release.js';

export interface ClusterView {
  cluster_id: string;
  size: number;
  members: Record<string, Json>[];
}

const MAX_MEMBERS = 50;

/** The cluster holding record `id`, or undefined when the release has no cluster table or the record is in none. */
export async function clusterOf(r: OpenRelease, id: string): Promise<ClusterView | undefined> {
  if (r.clusterFiles.length === 0 || id.length > LIMITS.maxValueChars) return undefined;
  const names = new Set(r.schema.map((c) => c.name));
  const where = names.has('path') ? 'rec.path' : 'rec.source';
  const content = names.has(r.contentColumn) ? `left(rec."${r.contentColumn.replace(/"/g, '""')}"::VARCHAR, 20000)` : 'NULL';
  const excluded = r.excludedFiles.length ? 'LEFT JOIN excluded ex ON ex.id::VARCHAR = c.id::VARCHAR' : '';
  const why = r.excludedFiles.length ? 'ex.reason, ex.detail' : 'NULL AS reason, NULL AS detail';
  const sql = `WITH c AS (SELECT * FROM near_dup_clusters WHERE cluster_id = (SELECT cluster_id FROM near_dup_clusters WHERE id::VARCHAR = $1 LIMIT 1))
SELECT c.id::VARCHAR AS id, c.source, c.cluster_id, c.cluster_size::INT AS cluster_size, c.kept, c.kept_id, ${where} AS path, ${content} AS content, ${why}
FROM c LEFT JOIN records rec ON rec.id::VARCHAR = c.id::VARCHAR ${excluded} ORDER BY c.kept DESC, c.id`;
  const res = await runParameterised(r.connection, sql, [id], { maxRows: MAX_MEMBERS, timeoutMs: LIMITS.timeoutMs });
  if (res.rows.length === 0) return undefined;
  return { cluster_id: String(res.rows[0].cluster_id), size: Number(res.rows[0].cluster_size), members: res.rows };
}
