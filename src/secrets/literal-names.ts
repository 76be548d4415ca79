/**
 * The name a string literal is given by what comes just before it, where that is no `name = value`
 * assignment (assignments.ts reads those): R's `name <- "…"`, a setter or option call
 * (`setApiToken("…")`, `withSecret('…')`), a key/value call (`headers.put("api_token", "…")`,
 * `header('X-Auth-Token', '…')`) and a subscript (`headers["X-Api-Key"] = "…"`). A literal given
 * a secret's name is then judged by that name, as an assigned value is, instead of by its shape
 * alone.
 */

/** A secret word in the characters before a literal: the cheap test that lets the patterns below run. */
const SECRET_WORD = /pass|pw|secret|key|token|credential|auth|bearer/i;
const WINDOW = 100;

/** `name <- "`, `name <<- "` */
const ARROW = /(?<![\w$.@-])([A-Za-z_.][\w.]{0,80})[ \t]{0,3}<<?-[ \t]{0,3}$/;
/** `setName("`, `obj.withName( '` */
const CALL = /(?<![\w$])([A-Za-z_$][\w$]{0,80})\([ \t]{0,3}$/;
/** `("name", "`, `["name"] = "`, `{'name', '` */
const KEY_ARGUMENT = /[([{][ \t]{0,3}(["'])([A-Za-z_][\w.-]{0,80})\1[ \t]{0,3}(?:,|\][ \t]{0,3}=)[ \t]{0,3}$/;
/** Calls that read, test or transform a value: their argument is a key's name or data, not the key. */
const NOT_A_SETTER = /^(?:get|has|is|find|load|fetch|read|delete|remove|clear|revoke|validate|verify|check|parse|decode|encode|hash|encrypt|decrypt|sign|log|print|assert|expect|require|import)/i;

/**
 * The name the literal whose opening quote is at `quote` gets from a call, subscript or `<-` before
 * it, if any; with `secretOnly`, only where a secret word occurs shortly before (the cheap test first).
 */
export function literalName(text: string, quote: number, secretOnly = true): string | undefined {
  if (!mayBeNamed(text, quote)) return undefined;
  const before = text.slice(Math.max(0, quote - WINDOW), quote);
  if (secretOnly && !SECRET_WORD.test(before)) return undefined;
  const arrow = ARROW.exec(before);
  if (arrow) return arrow[1];
  const key = KEY_ARGUMENT.exec(before);
  if (key) return key[2];
  const call = CALL.exec(before);
  if (call && !NOT_A_SETTER.test(call[1])) return call[1];
  return undefined;
}

const isBlank = (c: number): boolean => c === 32 || c === 9;

/**
 * The character test that spares nearly every literal the patterns above: what precedes the
 * quote, blanks aside, must be `(` after a name, `,` after a quote, `<-`, or `=` after `]`.
 */
function mayBeNamed(text: string, quote: number): boolean {
  let p = quote - 1;
  while (p >= 0 && isBlank(text.charCodeAt(p))) p--;
  if (p < 1) return false;
  const c = text.charCodeAt(p);
  if (c === 40) return /[\w$]/.test(text[p - 1]); // '(' after a name
  if (c === 45) return text.charCodeAt(p - 1) === 60; // '<-'
  if (c !== 44 && c !== 61) return false;
  let q = p - 1;
  while (q >= 0 && isBlank(text.charCodeAt(q))) q--;
  const d = text.charCodeAt(q);
  return c === 44 ? d === 34 || d === 39 : d === 93; // '"name",' or '] ='
}
