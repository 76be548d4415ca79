/**
 * Credentials a URL carries besides `user:password@` (detect.ts finds those): query parameters
 * named like a secret holder (`?access_token=…`, `&api_key=…`), and the path of a webhook URL,
 * which is itself the credential (`hooks.<service>.com/services/<ids>/<token>`,
 * `/api/webhooks/<id>/<token>`, `…/webhookb2/…/IncomingWebhook/<hex>/…`): anyone who has it can
 * post. URLs are found at their `://` with a native search; a text without one costs nothing.
 */

/** A value found in a URL: a query parameter (`name` set) or a segment of a webhook's path. */
export interface UrlValue {
  name?: string;
  value: string;
  start: number;
  end: number;
}

/** Characters a URL does not run over: blanks, quotes, brackets that close it, a backslash, non-ASCII. */
const STOP = new Uint8Array(128);
for (const c of ' \t\r\n"\'`<>\\()[]{}|^') STOP[c.charCodeAt(0)] = 1;
const isSchemeChar = (c: number): boolean => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 43 || c === 46 || c === 45;
/** A webhook URL names itself so in its host or path (`hooks.`, `/webhooks/`, `webhookb2`, `IncomingWebhook`). */
const HOOK = /hook/i;
/**
 * Query parameters that can hold a credential: the name mentions one. Values under 16
 * characters are left alone: short ones are the public tokens of badge and share links
 * (`badge.svg?token=37tZMQE0Sy`), where API keys and access tokens run longer.
 */
const SECRET_PARAM = /pass|pw|secret|key|token|credential|auth|bearer/i;

/** Calls `visit` for every secret-named query parameter (16 characters or more) and, in webhook URLs, every path segment of 16 characters or more. */
export function scanUrls(text: string, visit: (v: UrlValue) => void): void {
  for (let p = text.indexOf('://'); p >= 0; p = text.indexOf('://', p + 3)) {
    if (p === 0 || !isSchemeChar(text.charCodeAt(p - 1))) continue;
    const hostStart = p + 3;
    // the URL's end, its first '?' and its first '#', in one pass
    let end = hostStart;
    let query = -1;
    let fragment = -1;
    for (const limit = Math.min(text.length, p + 4000); end < limit; end++) {
      const c = text.charCodeAt(end);
      if (c >= 0x80 || STOP[c] === 1) break;
      if (c === 63 && query < 0) query = end;
      else if (c === 35 && fragment < 0) fragment = end;
    }
    if (query < 0) query = end;
    if (fragment < 0) fragment = end;
    const pathEnd = Math.min(query, fragment);
    if (HOOK.test(text.slice(hostStart, pathEnd))) hookSegments(text, text.indexOf('/', hostStart), pathEnd, visit);
    if (query < fragment) queryParameters(text, query + 1, fragment, visit);
    p = end - 3;
  }
}

function hookSegments(text: string, from: number, to: number, visit: (v: UrlValue) => void): void {
  if (from < 0 || from >= to) return;
  for (let s = from + 1; s < to;) {
    let e = text.indexOf('/', s);
    if (e < 0 || e > to) e = to;
    if (e - s >= 16) visit({ value: text.slice(s, e), start: s, end: e });
    s = e + 1;
  }
}

function queryParameters(text: string, from: number, to: number, visit: (v: UrlValue) => void): void {
  for (let s = from; s < to;) {
    let e = s;
    while (e < to && text.charCodeAt(e) !== 38 && text.charCodeAt(e) !== 59) e++; // '&' or ';'
    const eq = text.indexOf('=', s);
    if (eq > s && e - eq > 16) {
      const name = text.slice(s, eq);
      if (SECRET_PARAM.test(name)) visit({ name, value: text.slice(eq + 1, e), start: eq + 1, end: e });
    }
    s = e + 1;
  }
}
