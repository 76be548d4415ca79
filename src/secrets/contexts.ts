/**
 * Places a credential sits in besides `name = value` assignments (assignments.ts): HTTP
 * authorization headers (`Authorization: Bearer …`, `Basic …`, `token …`, also inside curl
 * commands and string literals), command-line flags (`--api-key=…`, `--token …`), curl header
 * flags (`-H 'X-Api-Key: …'`), XML elements (`<password>…</password>`) and Dockerfile `ENV NAME value`
 * lines. Each search runs
 * only on texts holding its trigger literal (`authorization`, `--`, `</`, `env `, see CONTEXT_TRIGGERS),
 * which the detector's keyword automaton finds in the pass it makes anyway.
 */

/** A value found in one of these places; `scheme` is set for authorization headers. */
export interface ContextValue {
  name: string;
  value: string;
  /** `basic`, `bearer`, `token`, ... for an authorization header. */
  scheme?: string;
  quoted: boolean;
  start: number;
  end: number;
}

/** `Authorization: Bearer x`, `"authorization": "token x"`, `Proxy-Authorization: Basic x`. */
const AUTH_HEADER = /uthorization["'`]?[ \t]{0,3}[:=,][ \t]{0,3}["'`]?(bearer|basic|token|apikey|api-key|key)[ \t]+([A-Za-z0-9._~+/-]{8,1000}=*)/dgi;
/** A bearer token outside a header line (`{ headers: "Bearer x" }`, `-H "Bearer: x"`). */
const BEARER = /\b(bearer)[ \t]+([A-Za-z0-9._~+/-]{16,1000}=*)/dgi;
/** `-H 'Name: value'` and `--header "Name: value"`, the header named like a secret holder. */
const CURL_HEADER = /(?<![\w-])(?:-H|--header)[ \t]+(["'])([A-Za-z][\w-]{0,60}):[ \t]*([^"'\s]{4,400})\1/dg;
/** `--name=value`, `--name value` with a name naming a secret; the value up to a blank or the line's end. */
const FLAG = /--(?<=(?:^|[^\w-])--)((?:[A-Za-z][\w-]{0,40}?)?(?:token|key|secret|pass(?:word|wd|phrase)?|pwd|auth|credentials?)s?)(?:=|[ \t]+)(["']?)([^\s"'=<>$`][^\s"'`]{3,400}?)\2(?=[\s;|&)]|$)/dgi;
/** `<password>value</password>`, the element named like a secret holder. */
const ELEMENT = /<((?:[A-Za-z_][\w.:-]{0,40}?)?(?:pass(?:word|wd)?|pwd|secret|token|key|credentials?|auth))>([^<>\s]{4,400})<\/\1>/dgi;

/** A Dockerfile's `ENV NAME value` (the older form, no `=`), one value up to the line's end. */
const DOCKER_ENV = /^[ \t]*ENV[ \t]+([A-Za-z_][\w.-]{0,80})[ \t]+(["']?)([^\s"'=$][^\s"']{3,400})\2[ \t]*\r?$/dgm;

/**
 * The literals whose presence lets each search run, found case-insensitively by the detector's
 * keyword automaton in its one pass over the text: the bit of each search they enable.
 */
export const CONTEXT_TRIGGERS: ReadonlyMap<string, number> = new Map([
  ['authorization', 1],
  ['bearer ', 2],
  ['bearer\t', 2],
  ['-h ', 4],
  ['--header', 4],
  // a long flag naming a secret: `--token`, `--api-key`, `--client-secret`, `--password`, `--auth-token`
  ...['-token', '-key', '-apikey', '-secret', '-pass', '-pwd', '-auth', '-credential'].map((k): [string, number] => [k, 8]),
  ['</', 16],
  ['env ', 32],
  ['env\t', 32],
]);

/** Calls `visit` for every value in the places above; `triggers` holds the bits of CONTEXT_TRIGGERS found in `text`. */
export function scanContexts(text: string, triggers: number, visit: (v: ContextValue) => void): void {
  if (triggers & 1) for (const m of text.matchAll(AUTH_HEADER)) headerValue(m, visit);
  if (triggers & 2) for (const m of text.matchAll(BEARER)) headerValue(m, visit);
  if (triggers & 4) {
    for (const m of text.matchAll(CURL_HEADER)) {
      const at = m.indices![3];
      if (!/authorization/i.test(m[2])) visit({ name: m[2], value: m[3], quoted: true, start: at[0], end: at[1] });
    }
  }
  if (triggers & 8) {
    for (const m of text.matchAll(FLAG)) {
      const at = m.indices![3];
      visit({ name: m[1], value: m[3], quoted: m[2] !== '', start: at[0], end: at[1] });
    }
  }
  if (triggers & 16) {
    for (const m of text.matchAll(ELEMENT)) {
      const at = m.indices![2];
      visit({ name: m[1], value: m[2], quoted: true, start: at[0], end: at[1] });
    }
  }
  if (triggers & 32) {
    for (const m of text.matchAll(DOCKER_ENV)) {
      const at = m.indices![3];
      visit({ name: m[1], value: m[3], quoted: m[2] !== '', start: at[0], end: at[1] });
    }
  }
}

function headerValue(m: RegExpExecArray, visit: (v: ContextValue) => void): void {
  const at = m.indices![2];
  visit({ name: 'authorization', scheme: m[1].toLowerCase(), value: m[2], quoted: true, start: at[0], end: at[1] });
}

/** Whether a Basic credential is base64 of `user:password` (both parts present, printable). */
export function isBasicCredential(value: string): { user: string; password: string } | undefined {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(value) || value.length % 4 === 1) return undefined;
  const text = Buffer.from(value, 'base64').toString('latin1');
  const colon = text.indexOf(':');
  if (colon <= 0 || colon === text.length - 1 || !/^[\x20-\x7e]+$/.test(text)) return undefined;
  return { user: text.slice(0, colon), password: text.slice(colon + 1) };
}
