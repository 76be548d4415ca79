/** The review page's side of the server: a sample to judge, and decisions written to the review file at once. */
import { hasRecord, sampleRecords, LIMITS } from '../explore/browse.js';
import type { OpenRelease } from '../explore/release.js';
import { openReviewFile, reviewCounts, writeReviewFile, type Decision, type ReviewFile } from '../review/file.js';
import { HttpError } from './http.js';

export class ReviewSession {
  private review: ReviewFile;

  constructor(
    private readonly release: OpenRelease,
    readonly file: string,
    labelColumn: string | null,
  ) {
    if (labelColumn !== null && !release.schema.some((c) => c.name === labelColumn)) {
      throw new HttpError(400, `${release.dir}: no column "${labelColumn}" to review (columns: ${release.schema.map((c) => c.name).join(', ')})`);
    }
    const m = release.manifest;
    this.review = openReviewFile(file, { name: m.name, version: m.version, run_id: m.run_id, manifest_sha256: release.manifestSha256 }, labelColumn);
  }

  get labelColumn(): string | null {
    return this.review.label_column;
  }

  summary() {
    return { file: this.file, label_column: this.review.label_column, counts: reviewCounts(this.review), decided: Object.keys(this.review.decisions).length };
  }

  async sample(n: number, seed: number) {
    const items = await sampleRecords(this.release, n, seed, this.review.label_column);
    return { ...this.summary(), items: items.map((it) => ({ ...it, decision: this.review.decisions[String(it.id)] ?? null })) };
  }

  /** Records one decision (checked: the record is in the release, the body has the right shape). */
  async decide(body: unknown) {
    const b = (body ?? {}) as { id?: unknown; decision?: unknown; label?: unknown };
    if (typeof b.id !== 'string' || b.id === '' || b.id.length > LIMITS.maxValueChars) throw new HttpError(400, 'id: a record id is required');
    if (b.decision !== 'accept' && b.decision !== 'reject') throw new HttpError(400, 'decision: accept or reject');
    let label: string | undefined;
    if (b.label !== undefined && b.label !== null && b.label !== '') {
      if (typeof b.label !== 'string' || b.label.length > 200) throw new HttpError(400, 'label: a string of at most 200 characters');
      if (b.decision !== 'reject') throw new HttpError(400, 'label: a corrected label goes with reject');
      if (this.review.label_column === null) throw new HttpError(400, 'label: this review has no label column (start serve with --label-column)');
      label = b.label;
    }
    if (!(await hasRecord(this.release, b.id))) throw new HttpError(404, `no record ${JSON.stringify(b.id.slice(0, 100))} in this release`);
    const decision: Decision = { decision: b.decision, ...(label !== undefined ? { label } : {}), at: new Date().toISOString() };
    const decisions = { ...this.review.decisions, [b.id]: decision };
    const next = { ...this.review, decisions };
    writeReviewFile(this.file, next); // written before it counts: a crash loses nothing acknowledged
    this.review = next;
    return this.summary();
  }
}
