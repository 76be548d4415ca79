import { manifestDigest, type Manifest, type ManifestFile } from './manifest.js';

/**
 * Checks of a manifest against itself: its digest, and counts that must add up. Files on disk
 * are verify.ts's business; these catch an edited manifest, including one whose digest was
 * recomputed after a file and its entry were removed.
 */

const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;
const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const sum = (values: number[]): number => values.reduce((a, b) => a + b, 0);

function isCountMap(v: unknown): v is Record<string, number> {
  return isObject(v) && Object.values(v).every(isCount);
}

function isFileEntry(v: unknown): v is ManifestFile {
  return isObject(v) && typeof v.path === 'string' && typeof v.sha256 === 'string' && isCount(v.bytes) && (v.rows === null || isCount(v.rows));
}

/**
 * The shape verify relies on, checked first so a damaged manifest is reported, not a crash.
 * Returns what is wrong, or undefined.
 */
export function manifestShapeProblem(m: unknown): string | undefined {
  if (!isObject(m)) return 'not a JSON object';
  if (!Array.isArray(m.files) || !m.files.every(isFileEntry)) return '`files` is not a list of {path, sha256, bytes, rows}';
  if (m.card !== undefined && !(isObject(m.card) && typeof m.card.path === 'string' && typeof m.card.sha256 === 'string' && isCount(m.card.bytes))) {
    return '`card` is not {path, sha256, bytes}';
  }
  if (m.digest !== undefined && typeof m.digest !== 'string') return '`digest` is not a string';
  const c = m.counts;
  if (!isObject(c) || !isCount(c.input_records) || !isCount(c.output_records) || !isCount(c.output_bytes) || !isCountMap(c.excluded)) {
    return '`counts` lacks input_records, output_records, output_bytes or excluded';
  }
  const stageOk = (s: unknown) => isObject(s) && typeof s.stage === 'string' && isCount(s.records_in) && isCount(s.records_out) && isCount(s.bytes_out) && isCountMap(s.excluded);
  if (!Array.isArray(c.stages) || !c.stages.every(stageOk)) return '`counts.stages` is not a list of stage counts';
  return undefined;
}

/** A digest mismatch is a problem; no digest at all is only a warning, so older releases still verify. */
export function checkDigest(m: Manifest): { problem?: string; warning?: string } {
  if (m.digest === undefined) return { warning: 'manifest has no digest (made by an older thresher): edits to it cannot be detected' };
  if (manifestDigest(m) !== m.digest) return { problem: 'digest differs from the manifest content: manifest.json was edited after the release was made' };
  return {};
}

/** Rows of the files under `prefix`, or undefined when a file's rows are unknown (a format countRows cannot read). */
function rowsUnder(m: Manifest, prefix: string): { files: number; rows?: number } {
  const files = m.files.filter((f) => f.path.startsWith(prefix));
  if (files.some((f) => f.rows === null)) return { files: files.length };
  return { files: files.length, rows: sum(files.map((f) => f.rows ?? 0)) };
}

/** Totals: data rows, input = output + exclusions, excluded rows. */
function checkTotals(m: Manifest): string[] {
  const problems: string[] = [];
  const c = m.counts;
  const excluded = sum(Object.values(c.excluded));
  const data = rowsUnder(m, 'data/');
  if (data.rows !== undefined && data.rows !== c.output_records) {
    problems.push(`data/ files hold ${data.rows} rows, counts.output_records says ${c.output_records}`);
  }
  if (c.input_records !== c.output_records + excluded) {
    problems.push(`counts.input_records is ${c.input_records}, but output_records ${c.output_records} + excluded ${excluded} = ${c.output_records + excluded}`);
  }
  // Excluded records are written only when the pipeline asks for them (output.excluded): no
  // excluded/ files means nothing to count; when there are, each exclusion is one row.
  const ex = rowsUnder(m, 'excluded/');
  if (ex.files > 0 && ex.rows !== undefined && ex.rows !== excluded) {
    problems.push(`excluded/ files hold ${ex.rows} rows, counts.excluded adds up to ${excluded}`);
  }
  return problems;
}

/**
 * The stage table must chain. What src/engine/task.ts produces, in statsOrder (`read`, each
 * pipeline stage, `write`): every record a stage takes in leaves it kept or excluded with one
 * reason, so records_in = records_out + sum(excluded) for every stage, `read` included (its
 * exclusions are unreadable input, so its records_in counts them too and equals
 * counts.input_records). The next stage takes in exactly what the previous kept: a map stage
 * directly, a global stage's applier from the shards the previous segment wrote (its reduce step
 * adds no records). `write` keeps everything it takes: its records_out is counts.output_records.
 * And counts.excluded is the per-reason sum of the stages' exclusions.
 */
function checkStages(m: Manifest): string[] {
  const problems: string[] = [];
  const stages = m.counts.stages;
  if (stages[0]?.stage !== 'read' || stages[stages.length - 1]?.stage !== 'write') {
    return ['counts.stages must run from `read` to `write`'];
  }
  stages.forEach((s, i) => {
    const ex = sum(Object.values(s.excluded));
    if (s.records_in !== s.records_out + ex) problems.push(`stage ${s.stage}: records_in ${s.records_in} ≠ records_out ${s.records_out} + excluded ${ex}`);
    const prev = stages[i - 1];
    if (prev && s.records_in !== prev.records_out) problems.push(`stage ${s.stage}: records_in ${s.records_in} ≠ records_out ${prev.records_out} of stage ${prev.stage}`);
  });
  const [read, write] = [stages[0], stages[stages.length - 1]];
  if (read.records_in !== m.counts.input_records) problems.push(`stage read: records_in ${read.records_in} ≠ counts.input_records ${m.counts.input_records}`);
  if (write.records_out !== m.counts.output_records) problems.push(`stage write: records_out ${write.records_out} ≠ counts.output_records ${m.counts.output_records}`);
  if (write.bytes_out !== m.counts.output_bytes) problems.push(`stage write: bytes_out ${write.bytes_out} ≠ counts.output_bytes ${m.counts.output_bytes}`);
  const byReason: Record<string, number> = {};
  for (const s of stages) for (const [r, n] of Object.entries(s.excluded)) byReason[r] = (byReason[r] ?? 0) + n;
  for (const r of new Set([...Object.keys(byReason), ...Object.keys(m.counts.excluded)])) {
    if ((byReason[r] ?? 0) !== (m.counts.excluded[r] ?? 0)) problems.push(`counts.excluded.${r} is ${m.counts.excluded[r] ?? 0}, the stages exclude ${byReason[r] ?? 0}`);
  }
  return problems;
}

/** Every count that must add up, as problem lines about manifest.json. */
export function checkCounts(m: Manifest): string[] {
  return [...checkTotals(m), ...checkStages(m)];
}
