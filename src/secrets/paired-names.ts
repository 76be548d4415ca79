/**
 * Settings written as a name/value pair, where the field holding the secret is called `value` and
 * its name sits in a sibling field: .NET's `<add key="ApiToken" value="…"/>`, Spring's
 * `<property name="password" value="…"/>`, Kubernetes' and CI files' `- name: API_TOKEN` /
 * `value: …`, JSON's `{"name": "API_TOKEN", "value": "…"}`. The value is then judged by the
 * sibling's name, as an assignment to it.
 */

/** How far before `value` its sibling may start: one attribute or one line of a pair. */
const WINDOW = 160;

/**
 * `key="Name"` or `name: Name` ending the text before a `value` field (blanks, a line break and
 * indentation, a comma, and the opening quote of `"value"` between): group 2 is the name.
 */
const SIBLING = /(?<![\w$.@-])(?:key|name)["']?[ \t]*[:=][ \t]*(["']?)([A-Za-z_][\w.-]{0,80})\1[ \t]*,?\s*["']?$/i;

/** Whether text[start, end) is the field name `value` (any case). */
function isValueField(text: string, start: number, end: number): boolean {
  return end - start === 5 && text.slice(start, end).toLowerCase() === 'value';
}

/**
 * The sibling name of the `value` field at text[start, end), as [start, end] in `text`, or
 * undefined when the field is no `value` or no `key`/`name` field precedes it.
 */
export function pairedName(text: string, start: number, end: number): [number, number] | undefined {
  if (!isValueField(text, start, end)) return undefined;
  const from = Math.max(0, start - WINDOW);
  const m = SIBLING.exec(text.slice(from, start));
  if (!m) return undefined;
  const at = from + m.index + m[0].lastIndexOf(m[2]);
  return [at, at + m[2].length];
}
