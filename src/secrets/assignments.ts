/**
 * Finding `name = value` assignments without a regex over the whole text. One pass over the
 * characters stops only at `=` and `:`; there it reads the name backwards and the value forwards
 * by hand, exactly as the pattern below would match them, so a file costs one cheap loop plus
 * work proportional to its assignments. The caller is told only about the assignments that
 * could hold a secret (`isCandidate`), which spares it building strings for the rest.
 *
 * The grammar (what the former single regex matched, kept as the specification):
 *
 *     (?<![\w$.@-])(["'`]?)([A-Za-z_$@][\w$.@-]{0,80})\1[ \t]{0,3}
 *     (?::=|=>|\?=|(?<![=!<>+\-*\/%&|^])=(?![=>~])|:(?![:=]))[ \t]{0,3}(?:!![\w:]+[ \t]+)?
 *     (?:(["'`])((?:(?!\3)[^\\\r\n]|\\.){1,400}?)\3 | ([^\s'"`,;(){}[\]<>]{4,400})(?=[ \t]*(?:[#;].*)?\r?$))
 *
 * Matches never overlap: after one, the search resumes at its end, so an assignment written
 * inside the quoted value of another (`x = "a: b"`) is part of that value, not a second one.
 */

import { pairedName } from './paired-names.js';

/** One assignment: its name, its value (without quotes) and the value's offsets. */
export interface Assignment {
  name: string;
  value: string;
  quoted: boolean;
  start: number;
  end: number;
}

const NAME = 1; // [\w$.@-]
const NAME_START = 2; // [A-Za-z_$@]
const BARE = 4; // [^\s'"`,;(){}[\]<>]
const B64 = 8; // [A-Za-z0-9+/=_-]
const WORD = 16; // \w
const CLASS = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  const word = /\w/.test(ch);
  if (word || '$.@-'.includes(ch)) CLASS[c] |= NAME;
  if (/[A-Za-z_$@]/.test(ch)) CLASS[c] |= NAME_START;
  if (!/[\s'"`,;(){}[\]<>]/.test(ch)) CLASS[c] |= BARE;
  if (/[A-Za-z0-9+/=_-]/.test(ch)) CLASS[c] |= B64;
  if (word) CLASS[c] |= WORD;
}
const is = (c: number, k: number): boolean => (c < 128 ? (CLASS[c] & k) !== 0 : k === BARE);
const isQuote = (c: number): boolean => c === 34 || c === 39 || c === 96;
const isBlank = (c: number): boolean => c === 32 || c === 9;
/** `=` follows one of these in `==`, `!=`, `<=`, `+=`, ...: a comparison or compound operator. */
const NOT_BEFORE_EQ = new Set([...'=!<>+-*/%&|^'].map((c) => c.charCodeAt(0)));

/** A name that could hold a secret: it mentions a password, secret, key, token, credential, auth or bearer. */
const SECRET_WORD = /[\w$.@-]*?(?:pass|pw|secret|key|token|credential|auth|bearer)/iy;
/** The shortest value a name that says nothing can hold a secret in (detect.ts anyNameKey). */
const ANY_NAME_MIN = 20;

/**
 * Calls `visit` for every assignment in `text` whose name mentions a secret word or whose value
 * starts with a run of at least 20 base64 characters (the only assignments detect.ts can flag).
 */
export function scanAssignments(text: string, visit: (a: Assignment) => void): void {
  let resume = 0; // where the search may start again after a match
  // the next ':' and '=' found by indexOf (native and far cheaper than reading every character here)
  let colon = text.indexOf(':');
  let equals = text.indexOf('=');
  while (colon >= 0 || equals >= 0) {
    const i = colon >= 0 && (equals < 0 || colon < equals) ? colon : equals;
    const after = operatorAt(text, i);
    let from = i + 1; // where to look for the next operator character
    if (after > 0) {
      const opStart = after === i + 1 && i > 0 && text.charCodeAt(i) === 61 && text.charCodeAt(i - 1) === 63 ? i - 1 : i;
      const end = readAssignment(text, opStart, after, resume, visit);
      from = Math.max(after, end);
      if (end > 0) resume = end;
    } else if (after < 0) from = -after;
    if (colon >= 0 && colon < from) colon = text.indexOf(':', from);
    if (equals >= 0 && equals < from) equals = text.indexOf('=', from);
  }
}

/**
 * The operator at `i` (a ':' or '='): where it ends (after `:`, `:=`, `=`, `=>`, `?=`), or
 * minus where to resume when `i` starts no operator (`::`, `==`, `=~`, `+=`, ...).
 */
function operatorAt(text: string, i: number): number {
  const c = text.charCodeAt(i);
  const next = i + 1 < text.length ? text.charCodeAt(i + 1) : 0;
  if (c === 58) {
    if (next === 58) return -(i + 2); // '::' is no operator, nor is its second ':'
    return next === 61 ? i + 2 : i + 1; // ':=' or ':'
  }
  const prev = i > 0 ? text.charCodeAt(i - 1) : 0;
  if (prev === 63) return i + 1; // '?='
  if (next === 62) return i + 2; // '=>'
  if (next === 61 || next === 126) {
    // '==', '===', '=~': none of these '=' is an assignment
    let t = i + 1;
    while (t < text.length && text.charCodeAt(t) === 61) t++;
    return -Math.max(t, i + 2);
  }
  return NOT_BEFORE_EQ.has(prev) ? -(i + 1) : i + 1;
}

/**
 * The assignment whose operator spans [opStart, after), if the grammar matches there and no
 * earlier match covers its start: returns where the match ends (0 when there is none) and
 * reports it to `visit` when it is a candidate.
 */
function readAssignment(text: string, opStart: number, after: number, resume: number, visit: (a: Assignment) => void): number {
  // name, backwards: up to three blanks, an optional closing quote, then the name run
  let j = opStart - 1;
  let blanks = 0;
  while (j >= 0 && blanks < 3 && isBlank(text.charCodeAt(j))) {
    j--;
    blanks++;
  }
  if (j < 0) return 0;
  let quote = text.charCodeAt(j);
  if (isQuote(quote)) j--;
  else quote = 0;
  // a name in escaped quotes, inside a string literal (`"{\"apiKey\": …}"`)
  const escaped = quote !== 0 && j >= 0 && text.charCodeAt(j) === 92;
  if (escaped) j--;
  const nameEnd = j + 1;
  while (j >= 0 && is(text.charCodeAt(j), NAME)) j--;
  const nameStart = j + 1;
  const nameLength = nameEnd - nameStart;
  if (nameLength === 0 || nameLength > 81 || !is(text.charCodeAt(nameStart), NAME_START)) return 0;
  if (quote !== 0) {
    // the opening quote, and before it no name character (the pattern's look-behind)
    if (nameStart === 0 || text.charCodeAt(nameStart - 1) !== quote) return 0;
    if (escaped ? text.charCodeAt(nameStart - 2) !== 92 : nameStart >= 2 && is(text.charCodeAt(nameStart - 2), NAME)) return 0;
  }
  if ((quote !== 0 ? nameStart - 1 : nameStart) < resume) return 0;
  // value, forwards
  let k = after;
  for (let b = 0; b < 3 && k < text.length && isBlank(text.charCodeAt(k)); b++) k++;
  const tagged = skipYamlTag(text, k);
  let value = readValue(text, tagged);
  if (value === undefined && tagged !== k) value = readValue(text, k); // the tag read as the value itself
  if (value === undefined) return 0;
  const [valueStart, valueEnd, quoted] = value;
  // `name: Type = value`: what was read is the type, the name precedes it;
  // or `value` in a pair, its name in a sibling field (`<add key="ApiToken" value="…"/>`, `- name: X` / `value: …`)
  const [ns, ne] = (after === opStart + 1 && text.charCodeAt(opStart) === 61 && quote === 0 && annotatedName(text, nameStart, nameEnd)) || pairedName(text, nameStart, nameEnd) || [nameStart, nameEnd];
  if (secretName(text, ns, ne) || base64Run(text, valueStart, valueEnd) >= ANY_NAME_MIN) {
    visit({ name: text.slice(ns, ne), value: text.slice(valueStart, valueEnd), quoted, start: valueStart, end: valueEnd });
  } else if (quoted && hasEscapedQuote(text, valueStart, valueEnd)) {
    return valueStart; // JSON or code written as a string (`"{\"apiKey\": \"…\"}"`): its own assignments are read too
  }
  return quoted ? valueEnd + 1 : valueEnd;
}

function hasEscapedQuote(text: string, from: number, to: number): boolean {
  // a loop over the value (400 characters at most): indexOf would search on past its end
  for (let t = from; t < to - 1; t++) if (text.charCodeAt(t) === 92 && isQuote(text.charCodeAt(t + 1))) return true;
  return false;
}

/** String types a secret is declared with (a header's `Name: a=b` is no annotation). */
const STRING_TYPE = /^(?:str|string|String|Str|SecretStr|SecretString|Text|CharSequence|bytes|Bytes|Any|any)$/;
const STRING_TYPE_SOURCE = STRING_TYPE.source.slice(1, -1);

/**
 * The name annotated with the type that starts at `typeStart` (`apiKey: string`, `API_KEY: str`,
 * `API_KEY: &str`, `val apiKey: String`): [start, end], or undefined where no `name:` precedes it.
 */
function annotatedName(text: string, typeStart: number, typeEnd: number): [number, number] | undefined {
  if (!STRING_TYPE.test(text.slice(typeStart, typeEnd))) return undefined;
  let j = typeStart - 1;
  if (j >= 0 && text.charCodeAt(j) === 38) j--; // Rust's &str
  for (let b = 0; b < 3 && j >= 0 && isBlank(text.charCodeAt(j)); b++) j--;
  if (j < 1 || text.charCodeAt(j) !== 58 || text.charCodeAt(j - 1) === 58) return undefined; // ':' but not '::'
  j--;
  for (let b = 0; b < 3 && j >= 0 && isBlank(text.charCodeAt(j)); b++) j--;
  const end = j + 1;
  while (j >= 0 && is(text.charCodeAt(j), NAME)) j--;
  const start = j + 1;
  return end - start > 0 && end - start <= 81 && is(text.charCodeAt(start), NAME_START) ? [start, end] : undefined;
}

/** The value at `k`: [start, end, quoted], a quoted one first, or undefined. */
function readValue(text: string, k: number): [number, number, boolean] | undefined {
  const open = k < text.length ? text.charCodeAt(k) : 0;
  if (open === 92 && isQuote(text.charCodeAt(k + 1))) return escapedValue(text, k);
  if (isQuote(open)) {
    if (text.charCodeAt(k + 1) === open) return doubledQuotes(text, k, open);
    const end = closingQuote(text, k + 1, open);
    return end < 0 ? undefined : [k + 1, end, true];
  }
  const end = bareValueEnd(text, k);
  return end < 0 ? undefined : [k, end, false];
}

/**
 * A value in doubled quotes (`""value""`: in a shell an empty string glued to a bare word; elsewhere
 * a value quoted again by a generator or template), or undefined: an empty string is no value.
 */
function doubledQuotes(text: string, k: number, quote: number): [number, number, boolean] | undefined {
  const end = closingQuote(text, k + 2, quote);
  return end > k + 2 && text.charCodeAt(end + 1) === quote ? [k + 2, end, true] : undefined;
}

/**
 * A value quoted with escaped quotes inside a string literal (`"{\"apiKey\": \"…\"}"`, JSON or
 * code written as a string): from `\"` to the next `\"` on the line, 1–400 characters without
 * a backslash, or undefined.
 */
function escapedValue(text: string, k: number): [number, number, boolean] | undefined {
  const quote = text.charCodeAt(k + 1);
  for (let t = k + 2; t < text.length && t - k - 2 <= 400; t++) {
    const c = text.charCodeAt(t);
    if (c === 92) return text.charCodeAt(t + 1) === quote && t > k + 2 ? [k + 2, t, true] : undefined;
    if (c === 10 || c === 13 || c === quote) return undefined;
  }
  return undefined;
}

/** After a YAML tag (`!!binary `), else where it was. */
function skipYamlTag(text: string, k: number): number {
  if (text.charCodeAt(k) !== 33 || text.charCodeAt(k + 1) !== 33) return k;
  let t = k + 2;
  const start = t;
  while (t < text.length && (is(text.charCodeAt(t), WORD) || text.charCodeAt(t) === 58)) t++;
  if (t === start || !isBlank(text.charCodeAt(t))) return k;
  while (t < text.length && isBlank(text.charCodeAt(t))) t++;
  return t;
}

/** The closing `quote` of a value of 1–400 characters or escapes starting at `from` (no line breaks), or −1. */
function closingQuote(text: string, from: number, quote: number): number {
  const n = text.length;
  let t = from;
  for (let items = 0; items <= 400 && t < n; items++) {
    const c = text.charCodeAt(t);
    if (c === quote) return items >= 1 ? t : -1;
    if (c === 10 || c === 13) return -1;
    if (c === 92) {
      const e = t + 1 < n ? text.charCodeAt(t + 1) : 10;
      if (e === 10 || e === 13 || e === 0x2028 || e === 0x2029) return -1; // '\\.' does not take a line break
      t += 2;
    } else t++;
  }
  return -1;
}

/**
 * The end of an unquoted value of 4–400 characters that runs to the end of its line or to a
 * comment (`# …`, `; …`), or −1. Like the pattern, it takes the longest such value: the whole
 * run when only blanks and a comment follow, else up to the last `#` inside the run.
 */
function bareValueEnd(text: string, from: number): number {
  const n = text.length;
  let r = from;
  while (r < n && r - from < 401 && is(text.charCodeAt(r), BARE)) r++;
  if (r - from > 400) {
    // longer than the pattern allows: it may still end at a '#' inside the first 400
    r = from + 400;
  } else if (r - from >= 4 && endsLine(text, r)) {
    return r;
  }
  for (let q = r - 1; q >= from + 4; q--) if (text.charCodeAt(q) === 35) return q; // '#': the rest is a comment
  return -1;
}

/** Whether only blanks, then optionally a comment, then a line break or the end follow `at`. */
function endsLine(text: string, at: number): boolean {
  const n = text.length;
  let t = at;
  while (t < n && isBlank(text.charCodeAt(t))) t++;
  if (t >= n) return true;
  const c = text.charCodeAt(t);
  if (c === 35 || c === 59) return true; // '#' or ';' then anything up to the line end
  if (c === 13) return t + 1 >= n || text.charCodeAt(t + 1) === 10;
  return c === 10;
}

function secretName(text: string, start: number, end: number): boolean {
  SECRET_WORD.lastIndex = start;
  return SECRET_WORD.test(text) && SECRET_WORD.lastIndex <= end;
}

/** Length of the run of base64 characters at the start of [from, to). */
function base64Run(text: string, from: number, to: number): number {
  let t = from;
  while (t < to && is(text.charCodeAt(t), B64)) t++;
  return t - from;
}

/** The longest string literal judged as a key: long tokens (PyPI's, Vault's batch tokens) run to a few hundred characters. */
const MAX_LITERAL = 1000;

/**
 * Calls `visit(start, end)` for every string literal whose whole content is one run of
 * 16–1,000 token characters (base64, URL-safe base64, `.` and `~`) holding a digit and a letter,
 * both cases of letters and a separator, or letters alone: the candidates for a key with no name
 * to go by (detect-secrets' high-entropy strings, tokens with a provider prefix we have no rule
 * for) or named by a call or subscript before it (literal-names.ts). Quotes are found with
 * indexOf; most literals fail at their first space or punctuation.
 */
export function scanQuotedTokens(text: string, visit: (start: number, end: number) => void): void {
  const quotes = [34, 39, 96];
  const at = quotes.map((q) => text.indexOf(String.fromCharCode(q)));
  for (;;) {
    let which = -1;
    for (let q = 0; q < 3; q++) if (at[q] >= 0 && (which < 0 || at[q] < at[which])) which = q;
    if (which < 0) return;
    const open = at[which];
    const quote = quotes[which];
    let t = open + 1;
    let kinds = 0; // 1 digit, 2 lower-case, 4 upper-case letter, 8 separator
    const limit = Math.min(text.length, open + MAX_LITERAL + 2);
    for (; t < limit; t++) {
      const c = text.charCodeAt(t);
      if (c >= 128 || ((CLASS[c] & B64) === 0 && c !== 46 && c !== 126)) break;
      kinds |= c >= 48 && c <= 57 ? 1 : c >= 97 && c <= 122 ? 2 : c >= 65 && c <= 90 ? 4 : c === 95 || c === 45 || c === 46 || c === 126 ? 8 : 0;
    }
    const length = t - open - 1;
    const closes = t < text.length && text.charCodeAt(t) === quote;
    // letters and digits, or both cases and a separator (a prefixed token with no digit: `sm_aat_YzKURqGcdFhgEsTG`)
    // or, 24 characters or more, both cases alone (random letters: `hf` + 34 of them)
    // or letters of one case alone, which only a name before the literal can make a key (`setApiToken("qzkv…")`)
    const candidate = (kinds & 1) !== 0 ? (kinds & 6) !== 0 : (kinds & 14) === 14 || ((kinds & 6) === 6 && length >= 24) || kinds === 2 || kinds === 4;
    if (closes && candidate && length >= 16 && length <= MAX_LITERAL) visit(open + 1, t);
    // a literal that closed here is done; otherwise this quote may close an earlier-opened string, go on after it
    const from = closes ? t + 1 : open + 1;
    for (let q = 0; q < 3; q++) if (at[q] >= 0 && at[q] < from) at[q] = text.indexOf(String.fromCharCode(quotes[q]), from);
  }
}

/** The name a string literal opening at `quote` is assigned to (`name: "…"`, `"name" = '…'`, `name => "…"`, `name: Type = "…"`), if any. */
export function nameBefore(text: string, quote: number): string | undefined {
  const from = Math.max(0, quote - 100);
  const m = NAME_BEFORE.exec(text.slice(from, quote));
  if (!m) return undefined;
  const at = from + m.index + m[1].length;
  const paired = pairedName(text, at, at + m[2].length); // `value` in a pair goes by its sibling's name
  return paired ? text.slice(paired[0], paired[1]) : m[2];
}

const NAME_BEFORE = new RegExp(String.raw`(?<![\w$.@-])(["'\x60]?)([A-Za-z_$@][\w$.@-]{0,80})\1[ \t]{0,3}(?::[ \t]{0,3}&?${STRING_TYPE_SOURCE}[ \t]{0,3}(?==))?(?::=|=>|=|:)[ \t]{0,3}$`);
