import type { Span } from '../redact/redact.js';
import { nameBefore, scanAssignments, scanQuotedTokens } from './assignments.js';
import { CONTEXT_TRIGGERS, isBasicCredential, scanContexts, type ContextValue } from './contexts.js';
import { looksRandom, mixedCaseRandom, oneCaseRandom, shannonEntropy } from './entropy.js';
import { decodesToText, isFiller, isKnownId, isMostlyAscending, isNeverSecret, isPlaceholder, isPublicName, isTemplate, isUuid } from './filters.js';
import { KeywordSet } from './keywords.js';
import { literalName } from './literal-names.js';
import { SECRET_RULES, type RuleAllowlist, type SecretKind, type SecretRule } from './rules.js';
import { gluedToken, partedToken, prefixedToken, randomKey } from './tokens.js';
import { scanUrls } from './urls.js';

/**
 * Finding secrets in a text: the provider rules of rules.ts (each gated by its keywords), then
 * the generic rules: values assigned to password-, key- and token-like names, high-entropy
 * values assigned to any name (assignments.ts finds them), string literals that are random keys
 * or provider-style prefixed tokens, and passwords in URLs. Returns spans for `redact`.
 */
export interface SecretOptions {
  /** Also flag values that look like placeholders (`xxxx`, `changeme`, `<your-key>`, `${TOKEN}`). Default false. */
  flagPlaceholders?: boolean;
  /** Run the generic assignment, string-literal and URL rules (default true). */
  generic?: boolean;
  /** Minimum entropy ratio for generic keys (see entropy.ts looksRandom); default 0.85. */
  randomness?: number;
}

export const PLACEHOLDER: Record<SecretKind, string> = { KEY: '<KEY>', PASSWORD: '<PASSWORD>' };

/** Secret-bearing names: last word password-like (no randomness needed) or key-like (the value must look random). */
const PASSWORD_NAME = /(?:pass(?:word|wd|phrase)?|pwd)$|(?:^|[^a-z])pw$/i;
const SECRET_NAME = /secret$/i;
/** A password or secret word anywhere in the name (`SECRET_VALUE`, `password_for_db`): the value must look random. */
const MENTIONS_SECRET = /pass(?:word|wd)|secret/i;
const KEY_NAME = /(?:key|token|credentials?|auth|bearer|apikey)$/i;
/** Names under which a UUID is a credential (Heroku, HubSpot, Snyk keys are UUIDs); under other names a UUID is an id. */
const UUID_SECRET_NAME = /(?:token|secret|api[_-]?key|apikey|access[_-]?key|auth)$/i;
/** Values of a password field that are words or labels rather than passwords (see wordLike). */
const WORDLIKE = /^\p{Lu}?\p{Ll}+$|^[a-z]+(?:[-_][a-z]+)+$|\s/u;

/**
 * A word, label or phrase (`required`, `Hidden`, `new-password`, `keyboard cat`), not random
 * lower-case letters (`qzkvmbxtrwpl`, a generated password): those have no words and a random
 * string's spread of letters.
 */
const wordLike = (value: string): boolean => WORDLIKE.test(value) && !oneCaseRandom(value.toLowerCase(), 12);
/** Numeric literals (`0x0B96`, `6201234`: constants and codes, not passwords) and paths (`PWD=/home/me`). */
const NUMBER_OR_PATH = /^(?:0x[0-9a-f]+|[+-]?\d+(?:\.\d+)?)$|^[~.]?\//i;
/** Bare (unquoted) values that read as code: member access, calls, variables. */
const CODE_LIKE = /^[A-Za-z_$][\w$]*(?:\.[\w$]+)+$|^\$|[()]/;

/** scheme://user:password@host, found at its `://` (the scheme is checked behind it: the engine scans for the literal). */
const URL_PASSWORD = /:\/\/(?<=\b[a-z][a-z0-9+.-]{1,20}:\/\/)[^\s:/?#@'"<>]{1,100}:([^\s/?#@'"<>]{1,200})@(?=[\w.-])/dgi;

/** gitleaks' default secret group: the first that took part in the match (0: the whole match). */
function firstMatchedGroup(m: RegExpMatchArray): number {
  for (let i = 1; i < m.length; i++) if (m[i]) return i;
  return 0;
}

/** The line of `text` around offset `at`. */
function lineAt(text: string, at: number): string {
  const end = text.indexOf('\n', at);
  return text.slice(text.lastIndexOf('\n', at - 1) + 1, end < 0 ? text.length : end);
}

/** Whether a gitleaks allowlist lets this match go (see gitleaks-config.ts). */
function isAllowed(lists: readonly RuleAllowlist[], secret: string, match: string, text: string, at: number): boolean {
  return lists.some((a) => {
    const target = a.regexTarget === 'match' ? match : a.regexTarget === 'line' ? lineAt(text, at) : secret;
    const lower = secret.toLowerCase();
    const tests: boolean[] = [];
    if (a.regexes.length) tests.push(a.regexes.some((r) => r.test(target)));
    if (a.stopwords.length) tests.push(a.stopwords.some((w) => lower.includes(w)));
    return a.condition === 'AND' ? tests.every(Boolean) : tests.some(Boolean);
  });
}

const sticky = new WeakMap<RegExp, RegExp>();

/** The matches of a rule's regex in `text`, as `matchAll` gives them (see SecretRule.anchor). */
export function ruleMatches(rule: SecretRule, text: string): Iterable<RegExpExecArray> {
  rule.regex.lastIndex = 0;
  if (!rule.anchor) return text.matchAll(rule.regex);
  let re = sticky.get(rule.regex);
  if (!re) sticky.set(rule.regex, (re = new RegExp(rule.regex.source, rule.regex.flags.replace('g', '') + 'y')));
  return anchoredMatches(re, rule.anchor, text);
}

function* anchoredMatches(re: RegExp, anchor: NonNullable<SecretRule['anchor']>, text: string): Generator<RegExpExecArray> {
  const also = anchor.also.charCodeAt(0);
  for (let p = text.indexOf(anchor.at); p >= 0; p = text.indexOf(anchor.at, p + 1)) {
    if (text.charCodeAt(p + anchor.offset) !== also) continue;
    re.lastIndex = p;
    const m = re.exec(text);
    if (!m) continue;
    yield m;
    p = Math.max(p, m.index + m[0].length - 1); // go on after the match, as matchAll does
  }
}

const HAS_UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

/** Random-looking yet no key: alphabet tables, UUIDs and ids built on one (`Z808989fd-3a6e-…`), ULIDs, cuids, durations. */
const notAKey = (value: string): boolean => isMostlyAscending(value) || HAS_UUID.test(value) || isKnownId(value);

/**
 * A provider token's shape (a prefix and a random body, a glued or a parted token), as a nameless
 * literal is judged: under a key name an unquoted value gets the same reading (`api_key: dop_v1_<hex>`
 * in YAML or .env), where the prefix would pull the whole value's randomness below the bar.
 */
const tokenShaped = (value: string): boolean => (prefixedToken(value) || gluedToken(value) || partedToken(value)) && !notAKey(value);

export class SecretDetector {
  private readonly keywords: KeywordSet;
  private readonly rulesByKeyword: number[][];
  private readonly alwaysRun: number[];
  /** Per keyword id, the CONTEXT_TRIGGERS bits it enables (0 for rule keywords only). */
  private readonly contextBits: number[];

  constructor(
    private readonly rules: readonly SecretRule[] = SECRET_RULES,
    private readonly options: SecretOptions = {},
  ) {
    const words = new Map<string, number>();
    this.rulesByKeyword = [];
    this.alwaysRun = [];
    rules.forEach((r, i) => {
      if (r.keywords.length === 0) this.alwaysRun.push(i);
      for (const k of r.keywords) {
        const kw = k.toLowerCase();
        if (!words.has(kw)) words.set(kw, words.size);
        (this.rulesByKeyword[words.get(kw)!] ??= []).push(i);
      }
    });
    this.contextBits = [];
    if (options.generic !== false) {
      for (const [kw, bit] of CONTEXT_TRIGGERS) {
        if (!words.has(kw)) words.set(kw, words.size);
        const id = words.get(kw)!;
        this.contextBits[id] = (this.contextBits[id] ?? 0) | bit;
      }
    }
    this.keywords = new KeywordSet(words.keys());
  }

  /** Spans of the secrets in `text`, provider rules first (they win ties against generic rules). */
  find(text: string): Span[] {
    const spans: Span[] = [];
    const active = new Set(this.alwaysRun);
    let triggers = 0;
    for (const k of this.keywords.find(text)) {
      for (const r of this.rulesByKeyword[k] ?? []) active.add(r);
      triggers |= this.contextBits[k] ?? 0;
    }
    for (const i of [...active].sort((a, b) => a - b)) this.runRule(this.rules[i], text, spans);
    if (this.options.generic !== false) {
      this.assignments(text, spans);
      if (triggers !== 0) this.contexts(text, triggers, spans);
      this.quotedTokens(text, spans);
      this.urlPasswords(text, spans);
      if (text.includes('://')) this.urlValues(text, spans);
    }
    return spans;
  }

  private runRule(rule: SecretRule, text: string, spans: Span[]): void {
    if (rule.literals && !rule.literals.some((l) => text.includes(l))) return;
    for (const m of ruleMatches(rule, text)) {
      const g = rule.secretGroup ?? (rule.firstGroup ? firstMatchedGroup(m) : 0);
      let secret = m[g];
      let at = m.indices?.[g];
      if (rule.startGroup !== undefined && at) {
        const head = m.indices?.[rule.startGroup];
        if (head) {
          at = [head[0], at[1]];
          secret = text.slice(at[0], at[1]);
        }
      }
      if (secret === undefined || !at) continue;
      if (!this.options.flagPlaceholders && this.placeholderFor(rule, secret, g !== 0)) continue;
      if (rule.entropy !== undefined && (rule.entropyInclusive ? shannonEntropy(secret) <= rule.entropy : shannonEntropy(secret) < rule.entropy)) continue;
      if (rule.validate && !rule.validate(secret)) continue;
      if (rule.allowlists && isAllowed(rule.allowlists, secret, m[0], text, m.index)) continue;
      const kind = rule.kind ?? 'KEY';
      spans.push({ start: at[0], end: at[1], type: kind, rule: rule.id, replacement: PLACEHOLDER[kind] });
    }
  }

  /**
   * Whether a rule's match stands for a secret rather than being one. A rule whose whole match is
   * the token (a fixed prefix or structure: `AKIA…`, `AP6…`, `ghp_…`) identifies the credential
   * by its format, so a filler body (`AKIAZZZZ…`, `AP6xxxx…`) is still flagged, as detect-secrets
   * does; only templates are skipped. A value a rule picks out of its match (a capture group) has
   * no such format of its own and gets the full placeholder test.
   */
  private placeholderFor(rule: SecretRule, secret: string, picked: boolean): boolean {
    if (picked) return isPlaceholder(secret);
    if (rule.id === 'twitter-bearer-token') return isPlaceholder(secret.slice(22)); // its prefix is itself an A-run
    return isTemplate(secret);
  }

  private assignments(text: string, spans: Span[]): void {
    scanAssignments(text, (a) => {
      const kind = this.classify(a.name, a.value, a.quoted);
      if (kind && (this.options.flagPlaceholders || !isFiller(a.value))) spans.push({ start: a.start, end: a.end, type: kind.type, rule: kind.rule, replacement: PLACEHOLDER[kind.type] });
    });
  }

  /** Authorization headers, command-line flags, curl headers, XML elements (contexts.ts). */
  private contexts(text: string, triggers: number, spans: Span[]): void {
    scanContexts(text, triggers, (c) => {
      for (const s of spans) if (s.start < c.end && s.end > c.start) return;
      const kind = this.judgeContext(c);
      if (kind) spans.push({ start: c.start, end: c.end, type: kind.type, rule: kind.rule, replacement: PLACEHOLDER[kind.type] });
    });
  }

  /**
   * A Basic credential is one when it decodes to `user:password` with a real password; a bearer
   * or token credential when it looks random; a flag, curl header or XML element is judged as an
   * assignment of its value to its name.
   */
  private judgeContext(c: ContextValue): { type: SecretKind; rule: string } | undefined {
    const placeholderOk = this.options.flagPlaceholders === true;
    if (!placeholderOk && (isNeverSecret(c.value) || isFiller(c.value))) return undefined;
    if (c.scheme === 'basic') {
      const credential = isBasicCredential(c.value);
      if (!credential || (!placeholderOk && (isNeverSecret(credential.password) || isFiller(credential.password)))) return undefined;
      return { type: 'PASSWORD', rule: 'authorization-basic' };
    }
    if (c.scheme) return looksRandom(c.value, this.options.randomness ?? 0.85) || oneCaseRandom(c.value) || prefixedToken(c.value) ? { type: 'KEY', rule: 'authorization-token' } : undefined;
    return this.classify(c.name, c.value, c.quoted);
  }

  /**
   * String literals that are random keys with no name to go by: values of assignments were
   * judged above, and one assigned to a name that says it is a digest or an id (`pin-sha256`,
   * `VersionId`) is none.
   */
  private quotedTokens(text: string, spans: Span[]): void {
    const before = spans.length;
    scanQuotedTokens(text, (start, end) => {
      for (let k = 0; k < before; k++) if (spans[k].start < end && spans[k].end > start) return;
      const value = text.slice(start, end);
      if (this.namedLiteral(text, start, value, spans)) return;
      // the shape tests first: they turn down nearly every literal, and cheaper than the filters below
      const rule = prefixedToken(value) || gluedToken(value) || partedToken(value) ? 'generic-prefixed-token' : randomKey(value) ? 'generic-high-entropy-string' : undefined;
      if (!rule || notAKey(value) || decodesToText(value)) return; // with no name to go by, base64 of text is data
      const name = nameBefore(text, start - 1) ?? literalName(text, start - 1, false);
      if (name && isPublicName(name)) return;
      if (!this.options.flagPlaceholders && (isNeverSecret(value) || isFiller(value))) return;
      spans.push({ start, end, type: 'KEY', rule, replacement: PLACEHOLDER.KEY });
    });
  }

  /** A literal named by a call, subscript or `<-` before it (literal-names.ts), judged as a value assigned to that name. */
  private namedLiteral(text: string, start: number, value: string, spans: Span[]): boolean {
    const name = literalName(text, start - 1);
    const kind = name === undefined ? undefined : this.classify(name, value, true);
    if (!kind || (!this.options.flagPlaceholders && isFiller(value))) return false;
    spans.push({ start, end: start + value.length, type: kind.type, rule: kind.rule, replacement: PLACEHOLDER[kind.type] });
    return true;
  }

  /** What an assigned value is: a password, a key, or nothing (see the module comment for the tests). */
  classify(name: string, value: string, quoted: boolean): { type: SecretKind; rule: string } | undefined {
    if (isPublicName(name)) return undefined;
    const placeholderOk = this.options.flagPlaceholders === true;
    // a dotted token (`pat.<random>.<random>`) reads like member access but its parts are random
    if ((!placeholderOk && isNeverSecret(value)) || (!quoted && CODE_LIKE.test(value) && !tokenShaped(value))) return undefined;
    if (value.length > 500) return undefined;
    const ratio = this.options.randomness ?? 0.85;
    const secretName = SECRET_NAME.test(name);
    if (PASSWORD_NAME.test(name) || secretName) {
      if (value.length < 4 || wordLike(value) || NUMBER_OR_PATH.test(value)) return undefined;
      if (!quoted && value.toLowerCase().includes(name.toLowerCase().replace(/^.*[^a-z]/, ''))) return undefined;
      if (secretName && looksRandom(value, ratio)) return { type: 'KEY', rule: 'generic-key' };
      return { type: 'PASSWORD', rule: 'generic-password' };
    }
    if (KEY_NAME.test(name) || MENTIONS_SECRET.test(name)) {
      if (/\s/.test(value)) return undefined;
      if (isUuid(value)) return UUID_SECRET_NAME.test(name) ? { type: 'KEY', rule: 'generic-key' } : undefined;
      if (!looksRandom(value, ratio) && !oneCaseRandom(value) && !mixedCaseRandom(value) && !tokenShaped(value)) return undefined;
      return { type: 'KEY', rule: 'generic-key' };
    }
    return this.anyNameKey(value);
  }

  /** A value assigned to a name that says nothing: a key only when it is long, base64-like and plainly random. */
  private anyNameKey(value: string): { type: SecretKind; rule: string } | undefined {
    return randomKey(value) && !notAKey(value) ? { type: 'KEY', rule: 'generic-high-entropy' } : undefined;
  }

  /** Secret-named query parameters, judged as assignments, and the random path segments of webhook URLs (urls.ts). */
  private urlValues(text: string, spans: Span[]): void {
    scanUrls(text, (u) => {
      for (const s of spans) if (s.start < u.end && s.end > u.start) return;
      let kind: { type: SecretKind; rule: string } | undefined;
      if (u.name !== undefined) kind = this.classify(u.name, u.value, true);
      else if (!/^\d+$/.test(u.value) && !isUuid(u.value) && looksRandom(u.value, this.options.randomness ?? 0.85, 16)) kind = { type: 'KEY', rule: 'webhook-url' };
      if (kind && (this.options.flagPlaceholders || !(isNeverSecret(u.value) || isFiller(u.value))))
        spans.push({ start: u.start, end: u.end, type: kind.type, rule: kind.rule, replacement: PLACEHOLDER[kind.type] });
    });
  }

  private urlPasswords(text: string, spans: Span[]): void {
    if (!text.includes('://') || !text.includes('@')) return; // the pattern needs both: skip its scan of every position
    for (const m of text.matchAll(URL_PASSWORD)) {
      const pw = m[1];
      const at = m.indices?.[1];
      if (!at || (!this.options.flagPlaceholders && (isNeverSecret(pw) || isFiller(pw))) || /^\d{1,5}$/.test(pw)) continue;
      spans.push({ start: at[0], end: at[1], type: 'PASSWORD', rule: 'url-password', replacement: PLACEHOLDER.PASSWORD });
    }
  }
}

let shared: SecretDetector | undefined;

/** The secrets in `text` with the default rules and options. */
export function findSecrets(text: string, options?: SecretOptions): Span[] {
  if (options) return new SecretDetector(SECRET_RULES, options).find(text);
  return (shared ??= new SecretDetector()).find(text);
}
