import { readFileSync } from 'node:fs';
import { parse as parseToml } from 'smol-toml';
import { goRegExp } from './go-regex.js';
import type { RuleAllowlist, SecretRule } from './rules.js';

/**
 * Secret rules brought as data: a gitleaks configuration (`gitleaks.toml`: `[[rules]]` with
 * `id`, `regex`, `secretGroup`, `entropy`, `keywords` and `[[rules.allowlists]]`, plus global
 * `[[allowlists]]`), or the same in JSON (an object with `rules`, or a bare array of rules such as
 * ../shared/data/code/gitleaks-rules.json). Rules keep gitleaks' meaning: the secret is the
 * `secretGroup`, else the first capture group that matched, else the whole match; a match whose
 * secret has `entropy` or less bits per character is dropped; an allowlist drops a match when its
 * `regexes` match the secret (or the match, or the line, as `regexTarget` says) or the secret
 * contains one of its `stopwords` (any one with `condition = "OR"`, the default; all given
 * kinds with `"AND"`).
 *
 * thresher reads contents, not paths or commits: rules with only a `path`, and allowlists with only
 * `paths` or `commits`, cannot apply and are listed in `ignored`; a rule with both a `path` and a
 * `regex` runs its regex on every file.
 */

export interface LoadedRules {
  rules: SecretRule[];
  /** `[extend] useDefault = true`: the built-in rules stay, the file's add to them. */
  useDefault: boolean;
  /** What could not apply, one line each (`rule-id: why`). */
  ignored: string[];
}

type Table = Record<string, unknown>;

const isTable = (v: unknown): v is Table => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A field's value when it has the wanted type; throws naming the record otherwise. */
function field<T>(record: Table, key: string, kind: 'string' | 'number' | 'boolean' | 'strings', where: string): T | undefined {
  const v = record[key];
  if (v === undefined || v === null) return undefined;
  const ok = kind === 'strings' ? Array.isArray(v) && v.every((s) => typeof s === 'string') : typeof v === kind;
  if (!ok) throw new Error(`${where}: "${key}" must be ${kind === 'strings' ? 'a list of strings' : `a ${kind}`}`);
  return v as T;
}

function regexOf(source: string, where: string, flags = ''): RegExp {
  try {
    return goRegExp(source, flags);
  } catch (e) {
    throw new Error(`${where}: regex cannot be used (${(e as Error).message})`);
  }
}

/** One allowlist table; null when it only names paths or commits (listed in `ignored`). */
function allowlistOf(t: Table, where: string, ignored: string[]): RuleAllowlist | null {
  const regexes = (field<string[]>(t, 'regexes', 'strings', where) ?? []).map((r, i) => regexOf(r, `${where}.regexes[${i}]`));
  const stopwords = (field<string[]>(t, 'stopwords', 'strings', where) ?? []).map((s) => s.toLowerCase());
  const target = field<string>(t, 'regexTarget', 'string', where) ?? 'secret';
  if (!['secret', 'match', 'line'].includes(target)) throw new Error(`${where}: regexTarget must be secret, match or line, not "${target}"`);
  const condition = (field<string>(t, 'condition', 'string', where) ?? 'OR').toUpperCase();
  if (condition !== 'OR' && condition !== 'AND') throw new Error(`${where}: condition must be OR or AND, not "${condition}"`);
  const elsewhere = ['paths', 'commits'].filter((k) => Array.isArray(t[k]) && (t[k] as unknown[]).length > 0);
  if (regexes.length === 0 && stopwords.length === 0) {
    if (elsewhere.length) ignored.push(`${where}: an allowlist of ${elsewhere.join(' and ')} only (thresher reads contents)`);
    return null;
  }
  if (elsewhere.length && condition === 'OR') ignored.push(`${where}: its ${elsewhere.join(' and ')} (thresher reads contents; its regexes and stopwords apply)`);
  // AND over kinds thresher cannot test would never hold: such an allowlist never applies
  if (condition === 'AND' && elsewhere.length) {
    ignored.push(`${where}: condition AND with ${elsewhere.join(' and ')} (thresher reads contents)`);
    return null;
  }
  return { regexes, regexTarget: target as RuleAllowlist['regexTarget'], stopwords, condition };
}

/** A rule's allowlists: `[[rules.allowlists]]`, or the older single `[rules.allowlist]`. */
function allowlistsOf(t: Table, where: string, ignored: string[]): RuleAllowlist[] {
  const raw = [...(Array.isArray(t.allowlists) ? t.allowlists : []), ...(isTable(t.allowlist) ? [t.allowlist] : [])];
  return raw.flatMap((a, i) => {
    if (!isTable(a)) throw new Error(`${where}.allowlists[${i}]: must be a table`);
    return allowlistOf(a, `${where}.allowlists[${i}]`, ignored) ?? [];
  });
}

function ruleOf(t: unknown, index: number, file: string, global: RuleAllowlist[], ignored: string[]): SecretRule | null {
  const at = `${file}: rules[${index}]`;
  if (!isTable(t)) throw new Error(`${at}: a rule must be a table`);
  const id = field<string>(t, 'id', 'string', at);
  if (!id) throw new Error(`${at}: a rule needs an "id"`);
  const where = `${file}: rule "${id}"`;
  const source = field<string>(t, 'regex', 'string', where);
  if (!source) {
    ignored.push(`${id}: ${t.path ? 'a path-only rule (thresher reads contents)' : 'no regex'}`);
    return null;
  }
  const keywords = (field<string[]>(t, 'keywords', 'strings', where) ?? []).map((k) => k.toLowerCase());
  const nonAscii = keywords.find((k) => [...k].some((ch) => ch.charCodeAt(0) > 127));
  if (nonAscii) throw new Error(`${where}: keyword "${nonAscii}" is not ASCII`);
  const secretGroup = field<number>(t, 'secretGroup', 'number', where);
  const entropy = field<number>(t, 'entropy', 'number', where);
  return {
    id,
    description: field<string>(t, 'description', 'string', where) ?? id,
    keywords,
    regex: regexOf(source, where, 'dg'),
    ...(secretGroup ? { secretGroup } : { firstGroup: true }),
    ...(entropy ? { entropy, entropyInclusive: true } : {}),
    allowlists: [...allowlistsOf(t, where, ignored), ...global],
  };
}

/** Rules from a configuration's text; `file` names it in errors. */
export function parseGitleaksConfig(text: string, file: string): LoadedRules {
  let doc: unknown;
  try {
    doc = /\.json$/i.test(file) ? JSON.parse(text) : parseToml(text);
  } catch (e) {
    throw new Error(`${file}: not valid ${/\.json$/i.test(file) ? 'JSON' : 'TOML'} (${(e as Error).message.split('\n')[0]})`);
  }
  const top: Table = Array.isArray(doc) ? { rules: doc } : isTable(doc) ? doc : {};
  if (!Array.isArray(top.rules)) throw new Error(`${file}: no rules (expected [[rules]] tables, or a JSON list of rules)`);
  const ignored: string[] = [];
  const globals = [...(Array.isArray(top.allowlists) ? top.allowlists : []), ...(isTable(top.allowlist) ? [top.allowlist] : [])];
  const global = globals.flatMap((a, i) => (isTable(a) ? (allowlistOf(a, `${file}: allowlists[${i}]`, ignored) ?? []) : []));
  const rules = top.rules.map((r, i) => ruleOf(r, i, file, global, ignored)).filter((r): r is SecretRule => r !== null);
  const seen = new Set<string>();
  for (const r of rules) {
    if (seen.has(r.id)) throw new Error(`${file}: rule "${r.id}" is defined twice`);
    seen.add(r.id);
  }
  const extend = isTable(top.extend) ? top.extend : {};
  return { rules, useDefault: extend.useDefault === true, ignored };
}

/** Rules from a gitleaks configuration file (`.toml`, or `.json`). */
export function loadGitleaksRules(file: string): LoadedRules {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new Error(`${file}: cannot read the secret rules file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  return parseGitleaksConfig(text, file);
}
