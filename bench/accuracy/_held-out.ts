/**
 * Held-out failures live in their own file. Tuning work reads the public results (counts and
 * tuning failures) all day; if held-out failures sat in the same file, one careless print would
 * show held-out contents and spoil the figure the split exists to protect. The public document
 * keeps, in place of each moved list, a line saying how many entries moved and where.
 */

/** A list is held-out failures when its key says so, or when it sits under a held-out half. */
const heldOutKey = /^held_?out_?failures$/i;
const heldOutHalf = /^held_?out$/i;
const failureKey = /fail|miss|false/i;

export interface HeldOutSplit {
  /** the results without held-out failures */
  visible: Record<string, unknown>;
  /** only the moved lists, at the same paths as in the results */
  heldOut: Record<string, unknown>;
  /** entries moved */
  moved: number;
}

/** Splits `doc`; `where` names the held-out file in the notes left behind. */
export function splitHeldOut(doc: Record<string, unknown>, where: string): HeldOutSplit {
  let moved = 0;
  const note = (n: number): string => `${n} held-out entries: see ${where}`;
  const visit = (node: Record<string, unknown>, underHeldOut: boolean): [Record<string, unknown>, Record<string, unknown> | null] => {
    const visible: Record<string, unknown> = {};
    const hidden: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(node)) {
      if (Array.isArray(value)) {
        const [keep, move] = partitionList(key, value, underHeldOut);
        visible[key] = move.length > 0 && keep.length === 0 ? note(move.length) : keep;
        if (move.length > 0) {
          hidden[key] = move;
          moved += move.length;
          if (keep.length > 0) visible[`${key}_held_out`] = note(move.length);
        }
      } else if (value !== null && typeof value === 'object') {
        const [v, h] = visit(value as Record<string, unknown>, underHeldOut || heldOutHalf.test(key));
        visible[key] = v;
        if (h) hidden[key] = h;
      } else {
        visible[key] = value;
      }
    }
    return [visible, Object.keys(hidden).length > 0 ? hidden : null];
  };
  const [visible, heldOut] = visit(doc, false);
  return { visible, heldOut: heldOut ?? {}, moved };
}

/** [kept, moved]: a whole list of held-out failures moves; a mixed list moves its held-out entries. */
function partitionList(key: string, list: unknown[], underHeldOut: boolean): [unknown[], unknown[]] {
  if (heldOutKey.test(key) || (underHeldOut && failureKey.test(key))) return [[], list];
  const isHeldOutEntry = (e: unknown): boolean => e !== null && typeof e === 'object' && typeof (e as { split?: unknown }).split === 'string' && heldOutHalf.test((e as { split: string }).split);
  if (!list.some(isHeldOutEntry)) return [list, []];
  return [list.filter((e) => !isHeldOutEntry(e)), list.filter(isHeldOutEntry)];
}
