/**
 * Person names behind a pluggable interface: the rule-based detector here finds names where the
 * text says a name follows (a title such as `Mr.`/`Dr.`, an author/maintainer/name field, a
 * copyright or Signed-off-by line); an NER model (a later issue) implements the same interface.
 */
export interface EntitySpan {
  start: number;
  end: number;
  /** Entity label, e.g. PERSON. */
  label: string;
  /** Confidence in [0, 1]; rules give fixed scores. */
  score: number;
}

export interface EntityDetector {
  /** Labels it can return, e.g. ['PERSON']. */
  readonly labels: readonly string[];
  detect(text: string): EntitySpan[];
}

/** A capitalised name of one to four words (letters, apostrophes, hyphens; initials allowed). */
const NAME = String.raw`\p{Lu}[\p{L}'’-]*\.?(?:[ \t]+(?:\p{Lu}[\p{L}'’-]*\.?|(?:van|von|de|da|del|der|di|le|la|bin|al)(?=[ \t]+\p{Lu}))){0,3}`;
const HONORIFIC = new RegExp(String.raw`\b(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Sir|Dame|Madam|Mme|Mlle|Herr|Frau|Sr|Sra|Srta)\.?[ \t]+(${NAME})`, 'gdu');
const NAME_FIELD = new RegExp(
  String.raw`(?:\b(?:author|authors|maintainer|maintainers|contributor|contributors|owner|name|full_?name|contact|written by|created by|signed-off-by|reviewed-by|co-authored-by|copyright(?:[ \t]*\(c\))?(?:[ \t]*\d{4}(?:[-–, ]+\d{4})*)?)["']?[ \t]*[:=]?[ \t]*["']?)(${NAME})`,
  'gdiu',
);
/** Words that start a sentence or a field without being a name. */
const NOT_NAMES = new Set([
  'The',
  'This',
  'That',
  'These',
  'All',
  'A',
  'An',
  'None',
  'Null',
  'True',
  'False',
  'String',
  'Name',
  'Inc',
  'Ltd',
  'LLC',
  'Corporation',
  'Foundation',
  'Contributors',
  'Authors',
  'Apache',
  'MIT',
  'BSD',
  'GNU',
  'Free',
  'Software',
  'Copyright',
  'Google',
  'Microsoft',
  'Facebook',
  'Meta',
  'Amazon',
  'Apple',
  'Project',
]);

export class RuleBasedNameDetector implements EntityDetector {
  readonly labels = ['PERSON'];

  detect(text: string): EntitySpan[] {
    const out: EntitySpan[] = [];
    for (const [re, score] of [
      [HONORIFIC, 0.85],
      [NAME_FIELD, 0.6],
    ] as const) {
      for (const m of text.matchAll(re)) {
        const at = m.indices?.[1];
        if (!at) continue;
        const span = trimName(text, at[0], at[1]);
        if (span) out.push({ ...span, label: 'PERSON', score });
      }
    }
    return out;
  }
}

/** Drop trailing words that are not names and reject spans that are only such words. */
function trimName(text: string, start: number, end: number): { start: number; end: number } | undefined {
  const words = text.slice(start, end).split(/[ \t]+/);
  while (words.length > 0 && NOT_NAMES.has(words[words.length - 1].replace(/[.,]$/, ''))) words.pop();
  if (words.length === 0 || NOT_NAMES.has(words[0].replace(/[.,]$/, ''))) return undefined;
  let s = words.join(' ');
  s = s.replace(/[.,]$/, '');
  return s.length >= 2 ? { start, end: start + s.length } : undefined;
}
