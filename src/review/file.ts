/**
 * The review file: decisions people made on records of a release (accept, reject, or reject
 * with a corrected label), written by the explorer's review page and applied by the `review`
 * stage in the next run. JSON, one object; decisions keyed by record id, so a second decision
 * on a record replaces the first.
 */
import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import { ThresherError } from '../core/errors.js';
import { writeFileAtomic } from '../core/fs.js';

export const REVIEW_FORMAT = 'thresher-review/1';

const decisionSchema = z.strictObject({
  decision: z.enum(['accept', 'reject']),
  /** with `reject`: the label the record should have instead of being dropped */
  label: z.string().min(1).max(200).optional(),
  at: z.string(),
});

export const reviewFileSchema = z.strictObject({
  format: z.literal(REVIEW_FORMAT),
  /** the release the decisions were made on */
  release: z.strictObject({ name: z.string(), version: z.string(), run_id: z.string(), manifest_sha256: z.string() }),
  /** the column a label decision corrects, or null when only records are reviewed */
  label_column: z.string().min(1).nullable(),
  decisions: z.record(z.string(), decisionSchema),
});

export type ReviewFile = z.infer<typeof reviewFileSchema>;
export type Decision = z.infer<typeof decisionSchema>;

export function readReviewFile(file: string): ReviewFile {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new ThresherError(`${file}: ${code === 'ENOENT' ? 'no such review file' : err instanceof SyntaxError ? `not valid JSON (${err.message})` : (err as Error).message}`);
  }
  const parsed = reviewFileSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ThresherError(`${file}: not a review file: ${issue.path.length ? issue.path.join('.') + ': ' : ''}${issue.message}`);
  }
  for (const [id, d] of Object.entries(parsed.data.decisions)) {
    if (d.label !== undefined && d.decision !== 'reject') throw new ThresherError(`${file}: record ${id}: a label goes with a reject decision`);
    if (d.label !== undefined && parsed.data.label_column === null) throw new ThresherError(`${file}: record ${id}: a label, but the file names no label_column`);
  }
  return parsed.data;
}

/** The file as it is, or a new one for this release when there is none yet; refuses one made on another release. */
export function openReviewFile(file: string, release: ReviewFile['release'], labelColumn: string | null): ReviewFile {
  if (!existsSync(file)) return { format: REVIEW_FORMAT, release, label_column: labelColumn, decisions: {} };
  const review = readReviewFile(file);
  if (review.release.manifest_sha256 !== release.manifest_sha256) {
    throw new ThresherError(`${file}: holds decisions on ${review.release.name} ${review.release.version} (manifest sha256 ${review.release.manifest_sha256.slice(0, 12)}…), not on this release`);
  }
  if (labelColumn !== null && review.label_column !== labelColumn) throw new ThresherError(`${file}: reviews label column ${review.label_column ?? '(none)'}, not ${labelColumn}`);
  return review;
}

export function writeReviewFile(file: string, review: ReviewFile): void {
  writeFileAtomic(file, JSON.stringify(review, null, 1) + '\n');
}

/** Decisions by kind: what the review stage will do with them. */
export function reviewCounts(review: ReviewFile): { accepted: number; rejected: number; relabelled: number } {
  const out = { accepted: 0, rejected: 0, relabelled: 0 };
  for (const d of Object.values(review.decisions)) {
    if (d.decision === 'accept') out.accepted++;
    else if (d.label !== undefined) out.relabelled++;
    else out.rejected++;
  }
  return out;
}
