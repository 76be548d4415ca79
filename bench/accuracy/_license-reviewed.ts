/**
 * ScanCode's held-out single-licence figure scored against blindly reviewed labels. Some of
 * ScanCode's labels are coarser than SPDX or wrong; a reviewer who never saw thresher's answers
 * (nor which cases failed) judged a sample of held-out cases by SPDX's texts and matching
 * guidelines (bench/results/held-out/license-adjudication.json, `about` says how the sample was
 * drawn). Reviewed cases are scored against the reviewer's exact SPDX expression, null where no
 * SPDX id fits; the rest keep ScanCode's label. The raw figure stays the headline.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expressionKey } from '../../src/licenses/expression.js';

const REVIEW = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'bench', 'results', 'held-out', 'license-adjudication.json');

interface Review {
  name: string;
  exact_spdx: string | null;
  label_right: boolean;
  confidence: string;
}

interface Scored {
  name: string;
  expected: string | null;
  got: string | null;
  split: string;
}

/** Counts only (the figure with ScanCode's labels is `held_out` beside it): the reviewed cases' names and verdicts stay in the held-out folder. */
export function withReviewedLabels(outcomes: Scored[]): Record<string, unknown> | undefined {
  if (!existsSync(REVIEW)) return undefined;
  const reviews = new Map((JSON.parse(readFileSync(REVIEW, 'utf8')) as { reviewed: Review[] }).reviewed.map((r) => [r.name, r]));
  const held = outcomes.filter((o) => o.split === 'held_out');
  let reviewed = 0;
  let changed = 0;
  let correct = 0;
  for (const o of held) {
    const review = reviews.get(o.name);
    const expected = review && !review.label_right ? review.exact_spdx : o.expected;
    if (review) reviewed++;
    if (review && !review.label_right) changed++;
    if (expressionKey(o.got) === expressionKey(expected)) correct++;
  }
  return {
    note: "held-out single-licence cases with blindly reviewed labels in place of ScanCode's where the reviewer found them wrong (see bench/accuracy/_license-reviewed.ts)",
    cases: held.length,
    reviewed,
    labels_changed: changed,
    correct,
    accuracy: held.length ? Number((correct / held.length).toFixed(4)) : null,
  };
}
