/**
 * Zero-shot accuracy on labelled images, pure arithmetic on predictions: top-1, top-5, accuracy
 * at WordNet ancestors, and a confusion summary by WordNet subtree.
 *
 * Accuracy at ancestor h: the top-1 prediction counts when it lies under an ancestor of the true
 * class at most h hypernym steps above it (h = 0 is top-1; h = 1 also accepts a sibling
 * under the same parent, and so on). A subtree is a class's ancestor at `subtreeDepth` steps
 * below the root (`entity`), the class itself when it is shallower.
 */
import type { Hierarchy } from './wordnet.js';

export interface Prediction {
  /** True class index. */
  truth: number;
  /** Predicted class indices, best first (at least 5 where there are 5 classes). */
  top: ArrayLike<number>;
}

export interface SubtreeRow {
  subtree: string;
  name: string;
  images: number;
  top1: number;
  /** Top-1 predictions inside the same subtree (right or wrong). */
  sameSubtree: number;
  /** The subtrees most often predicted for its images when wrong, with counts. */
  confusedWith: { subtree: string; name: string; images: number }[];
}

export interface ZeroShotReport {
  images: number;
  top1: number;
  top5: number;
  /** `ancestors[h]`: accuracy at ancestor h (h = 0..maxLevel); empty without a hierarchy. */
  ancestors: number[];
  subtrees: SubtreeRow[];
}

export interface HierarchyInput {
  hierarchy: Hierarchy;
  /** WordNet 3.1 offset of each class index (undefined: no synset, left out of hierarchical figures). */
  synsetOf: (cls: number) => number | undefined;
  maxLevel?: number;
  subtreeDepth?: number;
}

function topK(predictions: readonly Prediction[], k: number): number {
  let hit = 0;
  for (const p of predictions) for (let r = 0; r < Math.min(k, p.top.length); r++) if (p.top[r] === p.truth) hit++;
  return predictions.length ? hit / predictions.length : 0;
}

/** Fewest steps above `truth` of a common ancestor with `predicted` (Infinity when none). */
export function sharedAncestorDistance(h: Hierarchy, truth: number, predicted: number): number {
  const up = h.ancestors(truth);
  let best = Infinity;
  for (const a of h.ancestors(predicted).keys()) {
    const d = up.get(a);
    if (d !== undefined && d < best) best = d;
  }
  return best;
}

/** The class's subtree root: its ancestor `depth` steps below the root on a shortest path. */
export function subtreeOf(h: Hierarchy, synset: number, depth: number): number {
  if (h.depth(synset) <= depth) return synset;
  let best: number | undefined;
  for (const a of h.ancestors(synset).keys()) if (h.depth(a) === depth && (best === undefined || a < best)) best = a;
  return best ?? synset;
}

export function zeroShotReport(predictions: readonly Prediction[], hier?: HierarchyInput): ZeroShotReport {
  const report: ZeroShotReport = { images: predictions.length, top1: topK(predictions, 1), top5: topK(predictions, 5), ancestors: [], subtrees: [] };
  if (!hier) return report;
  const { hierarchy: h, synsetOf } = hier;
  const maxLevel = hier.maxLevel ?? 5;
  const levels = new Array<number>(maxLevel + 1).fill(0);
  const rows = new Map<number, SubtreeRow & { confused: Map<number, number> }>();
  let counted = 0;
  for (const p of predictions) {
    const t = synsetOf(p.truth);
    const q = synsetOf(p.top[0]);
    if (t === undefined || q === undefined) continue;
    counted++;
    const d = t === q ? 0 : sharedAncestorDistance(h, t, q);
    for (let l = 0; l <= maxLevel; l++) if (d <= l) levels[l]++;
    const st = subtreeOf(h, t, hier.subtreeDepth ?? 6);
    const sq = subtreeOf(h, q, hier.subtreeDepth ?? 6);
    let row = rows.get(st);
    if (!row) rows.set(st, (row = { subtree: wnidOf(st), name: h.name(st), images: 0, top1: 0, sameSubtree: 0, confusedWith: [], confused: new Map() }));
    row.images++;
    if (p.top[0] === p.truth) row.top1++;
    if (sq === st) row.sameSubtree++;
    else row.confused.set(sq, (row.confused.get(sq) ?? 0) + 1);
  }
  report.ancestors = levels.map((n) => (counted ? n / counted : 0));
  report.subtrees = [...rows.values()]
    .sort((a, b) => b.images - a.images || a.subtree.localeCompare(b.subtree))
    .map(({ confused, ...row }) => ({
      ...row,
      confusedWith: [...confused]
        .sort((a, b) => b[1] - a[1] || a[0] - b[0])
        .slice(0, 3)
        .map(([s, n]) => ({ subtree: wnidOf(s), name: h.name(s), images: n })),
    }));
  return report;
}

function wnidOf(offset: number): string {
  return 'n' + String(offset).padStart(8, '0');
}
