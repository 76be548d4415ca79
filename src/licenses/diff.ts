/**
 * A word-level diff of a text window against a reference licence (Myers' O((N+M)·D) algorithm),
 * summarised as hunks: runs of licence words missing from the text (`deleted`) and text words
 * the licence lacks (`inserted`) between stretches the two share.
 *
 * Why: the SPDX templates mark some stretches as replaceable (`<<var>>`: the holder's name in
 * "Neither the name of X nor", "PROVIDED BY X", an organisation's name throughout Apache-1.1),
 * and a copy of a licence differs from the plain text mostly there. The templates are not in the
 * `spdx-license-list` package, so `templateScore` approximates them: a short stretch replaced by
 * another short stretch costs little, while words added or left out cost each word (a clause
 * that is not there is a different licence).
 */

/** One difference: licence words missing from the text, and text words the licence lacks. */
export interface Hunk {
  deleted: number;
  inserted: number;
  /** Where the inserted words are, as offsets from the diff's `from`: [first, last + 1). */
  insertedFrom?: number;
  insertedTo?: number;
  /** Where the deleted licence words are, as licence positions: [first, last + 1). */
  deletedFrom?: number;
  deletedTo?: number;
}

/**
 * The hunks turning `a` (licence words) into `b[from, to)` (text words), or null when they differ
 * in more than `maxEdits` words (the caller then keeps its bigram score).
 */
export function diffHunks(a: Int32Array, b: Int32Array, from: number, to: number, maxEdits: number): Hunk[] | null {
  const n = a.length;
  const m = to - from;
  const max = Math.min(n + m, maxEdits);
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  // v after each step d, for k in [-d, d]: what the backtrack reads
  const trace: Int32Array[] = [];
  let done = -1;
  for (let d = 0; d <= max && done < 0; d++) {
    for (let k = -d; k <= d; k += 2) {
      const down = k === -d || (k !== d && v[offset + k - 1] < v[offset + k + 1]);
      let x = down ? v[offset + k + 1] : v[offset + k - 1] + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[from + y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) done = d;
    }
    trace.push(v.slice(offset - d, offset + d + 1));
  }
  if (done < 0) return null;
  return hunksOf(trace, done, n, m);
}

/** Walks the trace back from (n, m): each edit, then groups edits with nothing shared between them. */
function hunksOf(trace: Int32Array[], steps: number, n: number, m: number): Hunk[] {
  // edits in reverse order: whether a licence word was deleted, how many shared words follow it,
  // and (for an inserted word) its offset in the text
  const deleted: boolean[] = [];
  const sharedAfter: number[] = [];
  const textAt: number[] = [];
  const licenceAt: number[] = [];
  let x = n;
  let y = m;
  for (let d = steps; d > 0; d--) {
    const prev = trace[d - 1];
    const at = (k: number) => prev[k + d - 1];
    const k = x - y;
    const down = k === -d || (k !== d && at(k - 1) < at(k + 1));
    const prevK = down ? k + 1 : k - 1;
    const prevX = at(prevK);
    const prevY = prevX - prevK;
    const editX = down ? prevX : prevX + 1;
    deleted.push(!down);
    sharedAfter.push(x - editX);
    textAt.push(prevY);
    licenceAt.push(prevX);
    x = prevX;
    y = prevY;
  }
  const hunks: Hunk[] = [];
  let current: Hunk | undefined;
  for (let i = deleted.length - 1; i >= 0; i--) {
    current ??= { deleted: 0, inserted: 0 };
    if (deleted[i]) {
      current.deleted++;
      current.deletedFrom ??= licenceAt[i];
      current.deletedTo = licenceAt[i] + 1;
    } else {
      current.inserted++;
      current.insertedFrom ??= textAt[i];
      current.insertedTo = textAt[i] + 1;
    }
    // a single shared word ("the", "of") inside a replaced name does not end the replacement
    if (sharedAfter[i] > 1 || i === 0) {
      hunks.push(current);
      current = undefined;
    }
  }
  return hunks;
}

/** A replaced stretch counts as a template variable when both sides are at most this long. */
const VARIABLE_WORDS = 10;
/** What a replaced stretch costs, in words. */
const VARIABLE_COST = 0.5;

/**
 * Word-level similarity of a window to a licence in Dice's terms, `1 - cost / (N + M)`, where
 * each added or missing word costs one and a short stretch replaced by another short stretch
 * (a name, a template variable) costs VARIABLE_COST. Null when the diff is too long to compute.
 */
export function templateScore(licence: Int32Array, words: Int32Array, from: number, to: number): number | null {
  const total = licence.length + (to - from);
  const hunks = diffHunks(licence, words, from, to, Math.min(800, Math.ceil(total * 0.3)));
  if (!hunks) return null;
  let cost = 0;
  for (const h of hunks) {
    const variable = h.deleted > 0 && h.inserted > 0 && h.deleted <= VARIABLE_WORDS && h.inserted <= VARIABLE_WORDS;
    cost += variable ? VARIABLE_COST : h.deleted + h.inserted;
  }
  return 1 - cost / total;
}
