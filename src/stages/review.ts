import path from 'node:path';
import { z } from 'zod';
import type { ColumnSpec, DataRecord } from '../core/record.js';
import { defineStage, type MapStage, type MapTaskInfo, type StageResult } from '../core/stage.js';
import { ReviewDecisions } from '../review/apply.js';
import { readReviewFile, type ReviewFile } from '../review/file.js';

/**
 * `review`: applies the decisions of a review file (made on the explorer's review page,
 * `thresher serve <release> --review FILE`): a rejected record is dropped (reason
 * `review_rejected`), a rejected label is replaced by the reviewer's, accepted and unreviewed
 * records pass. Put it after the stages whose output was reviewed, so a corrected label is
 * not computed over again.
 */
const params = z.strictObject({
  /** the review file, relative to the pipeline file */
  file: z.string().min(1),
});
type Params = z.infer<typeof params>;

class ReviewStage implements MapStage {
  readonly kind = 'map' as const;
  readonly columns: ColumnSpec[];
  private decisions!: ReviewDecisions;
  private readonly seen = { accepted: 0, rejected: 0, relabelled: 0 };
  private rank = 0;

  constructor(
    private readonly review: ReviewFile,
    private readonly file: string,
  ) {
    this.columns = review.label_column ? [{ name: review.label_column, type: 'string' }] : [];
  }

  async open(task: MapTaskInfo): Promise<void> {
    // read again: the file may have changed since the pipeline was planned
    this.decisions = new ReviewDecisions(readReviewFile(this.file));
    this.rank = task.rank;
  }

  process(record: DataRecord): StageResult {
    const v = this.decisions.verdict(record.id);
    if (v.kind === 'accept') this.seen.accepted++;
    else if (v.kind === 'reject') {
      this.seen.rejected++;
      return { reason: 'review_rejected', detail: `rejected in review of ${this.review.release.name} ${this.review.release.version}` };
    } else if (v.kind === 'relabel') {
      this.seen.relabelled++;
      record[this.review.label_column!] = v.label;
    }
    return undefined;
  }

  counters(): Record<string, number> {
    const out: Record<string, number> = { 'review:accepted': this.seen.accepted, 'review:rejected': this.seen.rejected, 'review:relabelled': this.seen.relabelled };
    if (this.rank === 0) out['review:decisions'] = this.decisions.size; // counters are summed over tasks
    return out;
  }
}

export const reviewStage = defineStage<Params>({
  name: 'review',
  description: 'Apply a review file from the explorer: drop rejected records, put in corrected labels.',
  kind: 'map',
  params,
  requires: (p, env) => {
    const label = readReviewFile(path.resolve(env.baseDir, p.file)).label_column;
    return label ? ['id', label] : ['id'];
  },
  create: (p, env) => {
    const file = path.resolve(env.baseDir, p.file);
    const review = readReviewFile(file);
    return new ReviewStage(review, file);
  },
});
