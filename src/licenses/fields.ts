import { knownId, normalizeExpression } from './expression.js';

/**
 * A licence given as a field in a file header: `License: ISC`, `Licence: CeCILL-C`,
 * `@license Zlib`, `:license: MIT` (Perl POD, Python and Ruby headers, Debian copyright
 * stanzas, JSDoc), or the first line under a README's "License" heading. The value counts only when each of its words is an SPDX id (case aside, a
 * `+` allowed) or an operator: free text such as `License: GPL` or `License: BSD` is left to the
 * notice rules (notices.ts), which read it as ScanCode does, where spdx-correct would guess a
 * version. detect.ts asks for fields only when a file has no licence text and no notice.
 */

const FIELD = /^[ \t]*(?:[#*/;%!-]+|<!--|dnl|rem)?[ \t]*[:@]?licen[cs]e[ \t]*(?:[:=][ \t]*|[ \t]+(?=[A-Za-z0-9(]))(.+?)[ \t]*(?:\*\/|-->)?[ \t]*$/gim;

/**
 * A Markdown or reStructuredText "License" heading and the first line under it ("## License\n\n
 * ISC © Jane"): the ids it starts with, up to the holder's name.
 */
const HEADING = /^[ \t]*(?:#{1,6}[ \t]*)?licen[cs]e[ \t]*:?[ \t]*\n(?:[ \t]*[=~^-]{3,}[ \t]*\n)?(?:[ \t]*\n)*[ \t]*([^\n]+)$/gim;

/** The ids a heading's first line starts with, as a field value (the holder after them dropped). */
function leadingIds(line: string): string {
  const tokens = line.split(/\s+/);
  const at = tokens.findIndex((t) => !knownId(t.replace(/[+.,;]+$/, '').replace(/\+$/, '')));
  return tokens
    .slice(0, at < 0 ? tokens.length : at)
    .join(' ')
    .replace(/[.,;]+$/, '');
}

/** The expression of a field value made only of SPDX ids and operators, or null. */
function fieldValue(raw: string): string | null {
  const value = raw.replace(/^["'`]|["'`,;]+$/g, '').trim();
  const tokens = value.replace(/[()]/g, ' ').split(/\s+/).filter(Boolean);
  if (tokens.length === 0 || tokens.length > 7) return null;
  const ids = tokens.filter((t) => !/^(?:and|or|with)$/i.test(t));
  if (ids.length === 0 || !ids.every((t) => knownId(t.replace(/\+$/, '')))) return null;
  return normalizeExpression(value);
}

/** The licences the header fields of a text name, in text order. */
export function fieldLicenses(content: string): string[] {
  if (!/licen[cs]e/i.test(content)) return [];
  const out: string[] = [];
  for (const m of content.matchAll(FIELD)) {
    const expression = fieldValue(m[1]);
    if (expression) out.push(expression);
  }
  for (const m of content.matchAll(HEADING)) {
    const expression = fieldValue(leadingIds(m[1]));
    if (expression) out.push(expression);
  }
  return [...new Set(out)];
}
