/**
 * The part of a README that speaks about its licence: the sections under a licence heading
 * ("## License", "Licence\n=======", "<h2>License</h2>", "== Licensing", "## Copyright and
 * license"), each up to the next heading of its level or above, as licensee reads READMEs. A
 * README's licence statement is there when it has such a heading, and the rest (install notes,
 * API docs, changelogs: most of its text) only costs time and brings mentions of other
 * projects' licences. A README with no such heading is read whole.
 */
const TITLE = String.raw`(?:[^\n]{0,40}\b)?(?:licen[cs](?:e|es|ing)|copying|copyright)\b[^\n]{0,40}`;
/** `#`-style (any level) or `=`-style headings, HTML headings, and underlined titles. */
const HEADING = new RegExp(String.raw`^(?:(#{1,6}|={1,6})[ \t]+${TITLE}$|<h([1-6])[^>]*>${TITLE}</h[1-6]>|${TITLE}\n(?:=+|-+)[ \t]*$)`, 'gim');
const ANY_HEADING = /^(?:(#{1,6}|={1,6})[ \t]+\S|<h([1-6])[^>]*>|[^\n]+\n(?:=+|-+)[ \t]*$)/gim;

/** Heading level: 1-6 for marked headings, 1 for `===` underlines, 2 for `---`. */
function levelOf(m: RegExpExecArray): number {
  if (m[1]) return m[1].length;
  if (m[2]) return Number(m[2]);
  return /\n=/.test(m[0]) ? 1 : 2;
}

/** The licence sections of `readme`, joined by blank lines, or the whole text when it has none. */
export function readmeLicenseText(readme: string): string {
  HEADING.lastIndex = 0;
  const parts: string[] = [];
  let coveredTo = 0;
  for (let m = HEADING.exec(readme); m !== null; m = HEADING.exec(readme)) {
    if (m.index < coveredTo) continue;
    const level = levelOf(m);
    let end = readme.length;
    ANY_HEADING.lastIndex = m.index + m[0].length;
    for (let next = ANY_HEADING.exec(readme); next !== null; next = ANY_HEADING.exec(readme)) {
      if (levelOf(next) <= level) {
        end = next.index;
        break;
      }
    }
    parts.push(readme.slice(m.index, end));
    coveredTo = end;
    HEADING.lastIndex = end;
  }
  return parts.length ? parts.join('\n\n') : readme;
}
