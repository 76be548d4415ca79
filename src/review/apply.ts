/**
 * What a review decides for one record: keep it, drop it (rejected), or keep it with the
 * corrected label. Records nobody reviewed pass unchanged.
 */
import type { ReviewFile } from './file.js';

export type Verdict = { kind: 'none' } | { kind: 'accept' } | { kind: 'reject' } | { kind: 'relabel'; label: string };

export class ReviewDecisions {
  private readonly byId: Map<string, Verdict>;

  constructor(review: ReviewFile) {
    this.byId = new Map(
      Object.entries(review.decisions).map(([id, d]): [string, Verdict] => [
        id,
        d.decision === 'accept' ? { kind: 'accept' } : d.label !== undefined ? { kind: 'relabel', label: d.label } : { kind: 'reject' },
      ]),
    );
  }

  get size(): number {
    return this.byId.size;
  }

  verdict(id: string): Verdict {
    return this.byId.get(id) ?? { kind: 'none' };
  }
}
