/**
 * The same-work check of `npm run bench -- demo`: thresher's release against the same-work
 * Python peer's output, as counts by reason (from the manifest) and file by file (kept or
 * reason, and the language of the files both keep, from the release's Parquet files).
 */
import { createReadStream } from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { openDuck } from '../src/io/duck.js';
import type { Manifest, PeerLine } from './demo.js';

async function* jsonLines(file: string): AsyncIterable<Record<string, unknown>> {
  const rl = readline.createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
  for await (const l of rl) if (l.length > 0) yield JSON.parse(l) as Record<string, unknown>;
}

function tally(map: Map<string, { n: number; examples: string[] }>, key: string, example: string): void {
  const e = map.get(key) ?? { n: 0, examples: [] };
  e.n++;
  if (e.examples.length < 3) e.examples.push(example);
  map.set(key, e);
}

const sorted = (map: Map<string, { n: number; examples: string[] }>, limit: number) =>
  [...map]
    .sort((a, b) => b[1].n - a[1].n)
    .slice(0, limit)
    .map(([k, v]) => ({ thresher_to_peer: k, files: v.n, examples: v.examples }));

/** Counts by reason, and file by file, of thresher's release against the same-work peer's output. */
export async function sameWorkCheck(manifest: Manifest, release: string, peer: PeerLine, peerOut: string): Promise<Record<string, unknown>> {
  const t = { kept: manifest.counts.output_records, ...manifest.counts.excluded };
  const p: Record<string, number> = { kept: peer.files_out, ...(peer.excluded ?? {}) };
  const reasons = [...new Set([...Object.keys(t), ...Object.keys(p)])];
  const by_reason = Object.fromEntries(
    reasons.map((r) => [r, { thresher: (t as Record<string, number>)[r] ?? 0, peer: p[r] ?? 0, peer_minus_thresher: (p[r] ?? 0) - ((t as Record<string, number>)[r] ?? 0) }]),
  );

  const decision = new Map<string, string>();
  const language = new Map<string, string>();
  const duck = await openDuck({ threads: '2' });
  const c = duck.connection;
  try {
    const q = (dir: string) => path.join(release, dir, '*.parquet').replaceAll("'", "''");
    for (const row of (await c.runAndReadAll(`SELECT path, language FROM read_parquet('${q('data')}')`)).getRows()) {
      decision.set(String(row[0]), 'kept');
      language.set(String(row[0]), row[1] === null ? 'unknown' : String(row[1]));
    }
    for (const row of (await c.runAndReadAll(`SELECT id, reason FROM read_parquet('${q('excluded')}')`)).getRows()) decision.set(String(row[0]), String(row[1]));
  } finally {
    duck.close();
  }
  const files = new Map<string, { n: number; examples: string[] }>();
  const langs = new Map<string, { n: number; examples: string[] }>();
  const seen = new Set<string>();
  let agree = 0;
  const compare = (file: string, peerSays: string) => {
    seen.add(file);
    const ts = decision.get(file) ?? 'absent';
    if (ts === peerSays) agree++;
    else tally(files, `${ts} → ${peerSays}`, file);
  };
  for await (const r of jsonLines(path.join(peerOut, 'excluded.jsonl'))) compare(String(r.path), String(r.reason));
  for await (const r of jsonLines(path.join(peerOut, 'kept.jsonl'))) {
    const file = String(r.path);
    compare(file, 'kept');
    const tl = language.get(file);
    const pl = r.language === null ? 'unknown' : String(r.language);
    if (tl !== undefined && tl !== pl) tally(langs, `${tl} → ${pl}`, file);
  }
  for (const [file, ts] of decision) if (!seen.has(file)) tally(files, `${ts} → absent`, file);
  return {
    counts_identical: reasons.every((r) => by_reason[r].peer_minus_thresher === 0),
    by_reason,
    files_same_decision: agree,
    files_different_decision: sorted(files, 20),
    kept_by_both_language_differs: sorted(langs, 15),
    peer_language_counts: peer.languages,
  };
}
