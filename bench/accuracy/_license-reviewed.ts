/**
 * Held-out licence figures scored against blindly reviewed labels. Some labels are coarser than
 * SPDX or wrong (ScanCode's keys; an npm package's declared licence against the text it ships);
 * reviewers who never saw thresher's answers (nor which cases failed) judged held-out cases by
 * SPDX's texts and matching guidelines: first samples, then every other held-out case
 * (bench/results/held-out/license-adjudication*.json; their `about` fields say how). Reviewed cases are
 * scored against the reviewer's exact SPDX expression, null where no SPDX id fits; the rest keep
 * their label. The raw figures stay the headline.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expressionKey } from '../../src/licenses/expression.js';

const HELD_OUT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'bench', 'results', 'held-out');

/** The reviews of each set. */
export const REVIEWS = { scancode: 'license-adjudication.json', npm: 'license-adjudication-npm.json', debian: 'license-adjudication-debian.json' } as const;

interface Verdict {
  exact_spdx: string | null;
  label_right: boolean;
  confidence: string;
}

/** The first pass's verdict, and a second reviewer's on the same case, in another order. */
interface Review extends Verdict {
  name: string;
  second_pass?: Verdict;
}

interface Scored {
  name: string;
  expected: string | null;
  got: string | null;
  split: string;
}

/** Counts only (the figure with the original labels is `held_out` beside it): the reviewed cases' names and verdicts stay in the held-out folder. */
export function withReviewedLabels(outcomes: Scored[], set: keyof typeof REVIEWS = 'scancode'): Record<string, unknown> | undefined {
  const file = path.join(HELD_OUT, REVIEWS[set]);
  if (!existsSync(file)) return undefined;
  const all = (JSON.parse(readFileSync(file, 'utf8')) as { reviewed: Review[] }).reviewed;
  // (a package installed twice can hold two texts under one name: both were reviewed; Debian cases are named by a hash of their text)
  const reviews = new Map(all.map((r) => [r.name, r]));
  const held = outcomes.filter((o) => o.split === 'held_out');
  const first = scoreAgainst(held, (name) => reviews.get(name));
  // the second reviewer's verdict where there is one, the first's elsewhere
  const second = scoreAgainst(held, (name) => reviews.get(name)?.second_pass ?? reviews.get(name));
  const heldNames = new Set(held.map((o) => o.name));
  const both = all.filter((r) => r.second_pass && heldNames.has(r.name));
  return {
    note: 'held-out cases with blindly reviewed labels in place of the original ones where the reviewer found them wrong (see bench/accuracy/_license-reviewed.ts)',
    cases: held.length,
    ...first,
    ...(both.length
      ? {
          second_pass: {
            ...second,
            note: `a second reviewer on ${both.length} of the reviewed cases, in another order, told nothing of the first pass; its verdicts in place of the first reviewer's there`,
          },
          passes_agree_on_label: both.filter((r) => r.label_right === r.second_pass!.label_right).length,
          passes_agree_on_expression: both.filter((r) => expressionKey(r.exact_spdx) === expressionKey(r.second_pass!.exact_spdx)).length,
        }
      : {}),
  };
}

function scoreAgainst(held: Scored[], verdictOf: (name: string) => Verdict | undefined) {
  let reviewed = 0;
  let changed = 0;
  let correct = 0;
  for (const o of held) {
    const verdict = verdictOf(o.name);
    const expected = verdict && !verdict.label_right ? verdict.exact_spdx : o.expected;
    if (verdict) reviewed++;
    if (verdict && !verdict.label_right) changed++;
    if (expressionKey(o.got) === expressionKey(expected)) correct++;
  }
  return { reviewed, labels_changed: changed, correct, accuracy: held.length ? Number((correct / held.length).toFixed(4)) : null };
}
