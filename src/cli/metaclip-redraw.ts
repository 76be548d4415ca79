import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { ThresherError } from '../core/errors.js';
import { redrawImage, redrawText, type ImageCandidate } from '../metaclip/epoch.js';
import { sqlIdent, sqlString, withDuck } from '../io/duck.js';
import { commitFile, tempPathFor } from '../io/writers/atomic.js';
import { KEEP_PROBABILITY_COLUMN, KEPT_COLUMN } from '../stages/metaclip/balance.js';

interface BalanceSettings {
  mode: 'text' | 'image';
  imageColumn: string;
  seed: number;
}

/** The release's metaclip_balance settings, from the pipeline file released with it. */
function balanceSettings(releaseDir: string): BalanceSettings {
  const file = path.join(releaseDir, 'pipeline.yaml');
  let spec: { stages?: Record<string, Record<string, unknown> | null>[]; execution?: { seed?: number } };
  try {
    spec = parse(readFileSync(file, 'utf8')) as typeof spec;
  } catch (err) {
    throw new ThresherError(`${file}: not a thresher release's pipeline file (${(err as Error).message})`);
  }
  const balance = (spec.stages ?? []).map((s) => s?.metaclip_balance).find((b) => b !== undefined);
  if (!balance) throw new ThresherError(`${releaseDir}: the release has no metaclip_balance stage`);
  if (balance.keep !== 'candidates') {
    throw new ThresherError(`${releaseDir}: made with metaclip_balance keep: drawn, so it holds one draw only; rerun it with keep: candidates to redraw epochs`);
  }
  return {
    mode: balance.mode === 'image' ? 'image' : 'text',
    imageColumn: typeof balance.image_column === 'string' ? balance.image_column : 'url',
    seed: typeof balance.seed === 'number' ? balance.seed : (spec.execution?.seed ?? 0),
  };
}

/** The release's data files, as its manifest names them. */
function dataFiles(releaseDir: string): string[] {
  const manifest = JSON.parse(readFileSync(path.join(releaseDir, 'manifest.json'), 'utf8')) as { files: { path: string }[] };
  return manifest.files.filter((f) => f.path.startsWith('data/') && f.path.endsWith('.parquet')).map((f) => path.join(releaseDir, f.path));
}

/**
 * `thresher metaclip redraw`: epoch `epoch`'s subset of a `keep: candidates` release, written to
 * `out` (.parquet or .jsonl) in the release's row order. Epoch 0 is the release's own draw.
 */
export async function redrawRelease(releaseDir: string, epoch: number, out: string): Promise<{ candidates: number; kept: number }> {
  const settings = balanceSettings(releaseDir);
  const files = dataFiles(releaseDir);
  if (files.length === 0) throw new ThresherError(`${releaseDir}: the release has no Parquet data files`);
  const source = `read_parquet([${files.map(sqlString).join(', ')}], filename = true, file_row_number = true)`;
  const format = out.endsWith('.parquet') ? 'FORMAT parquet, COMPRESSION zstd' : out.endsWith('.jsonl') ? 'FORMAT json' : undefined;
  if (!format) throw new ThresherError(`${out}: give a .parquet or .jsonl output file`);
  return withDuck(async (connection) => {
    const image = settings.mode === 'image' ? `, CAST(${sqlIdent(settings.imageColumn)} AS VARCHAR)` : '';
    const reader = await connection.runAndReadAll(`SELECT filename, file_row_number, CAST(id AS VARCHAR), ${sqlIdent(KEEP_PROBABILITY_COLUMN)}, ${sqlIdent(KEPT_COLUMN)}${image} FROM ${source}`);
    const rows = reader.getRows();
    const keep = new Uint8Array(rows.length);
    if (epoch === 0) rows.forEach((r, i) => (keep[i] = r[4] === true ? 1 : 0));
    else if (settings.mode === 'text') rows.forEach((r, i) => (keep[i] = redrawText(Number(r[3]), settings.seed, epoch, String(r[2])) ? 1 : 0));
    else {
      const byImage = new Map<string, (ImageCandidate & { row: number })[]>();
      rows.forEach((r, i) => {
        const key = String(r[5] ?? '');
        let list = byImage.get(key);
        if (!list) byImage.set(key, (list = []));
        list.push({ id: String(r[2]), p: Number(r[3]), row: i });
      });
      for (const [key, texts] of byImage) {
        const chosen = redrawImage(texts, settings.seed, epoch, key);
        if (chosen >= 0) keep[texts[chosen].row] = 1;
      }
    }
    await connection.run('CREATE TEMP TABLE kept (filename VARCHAR, file_row_number BIGINT)');
    const appender = await connection.createAppender('kept');
    let kept = 0;
    rows.forEach((r, i) => {
      if (!keep[i]) return;
      kept++;
      appender.appendVarchar(String(r[0]));
      appender.appendBigInt(BigInt(r[1] as bigint | number));
      appender.endRow();
    });
    appender.closeSync();
    const tmp = tempPathFor(out);
    await connection.run(
      `COPY (SELECT d.* EXCLUDE (filename, file_row_number) FROM ${source} d SEMI JOIN kept k ON d.filename = k.filename AND d.file_row_number = k.file_row_number ORDER BY d.filename, d.file_row_number) TO ${sqlString(tmp)} (${format})`,
    );
    await commitFile(tmp, out);
    return { candidates: rows.length, kept };
  });
}
