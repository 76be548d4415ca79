import { createRequire } from 'node:module';
import { normalizeLicenseText } from './normalize.js';
import type { NoticeMatch } from './notices.js';

/**
 * Notices that name a licence by its SPDX name ("distributed under the Lucent Public License
 * Version 1.0", "Licensed under the Sleepycat License"): the long tail of the SPDX list, which
 * the hand-written rules of notices.ts do not reach. One rule per licence is made from its
 * `name` in the `spdx-license-list` package, normalised like any text (normalize.ts), with its
 * version as a slot that takes the usual spellings (`1.0`, `v1.0`, `version 1.0`, `v 1.0`, and
 * `1` for `1.0`).
 *
 * A versioned name is specific enough to count wherever it stands. A name without a version
 * ("Fair License", "Glide License") could be a phrase, so it counts only as a grant: after
 * "under", "terms of" or "subject to" (the), or as the text's first words (a title). Names that
 * spell a variant ("… - no notices-in-documentation variant", "… with Reserved Font Name"), the
 * GNU family (notices.ts reads its versions and "or later") and names two licences share are left out.
 */

const require = createRequire(import.meta.url);

interface NameRule {
  id: string;
  pattern: RegExp;
  /** A word of the name that the text must hold before the pattern is tried (its rarest-looking). */
  key: string;
  versioned: boolean;
}

/** Names that spell a variant or a combination: too specific to be written that way in a notice. */
const VARIANT = /\bvariant\b|\bwith\b|\bonly\b|\bor later\b| - |\(|\bexception\b/i;
/**
 * How people shorten a name: the edition after a version ("Creative Commons Attribution 4.0"
 * for "... 4.0 International"), the second of two names joined by a slash ("University of
 * Illinois Open Source License" for ".../NCSA ..."); a word censored with an asterisk (SPDX's
 * "F*ck") stands for the word spelt out. Those words become optional, or any letters.
 */
const EDITION = new Set(['unported', 'generic', 'international']);
const AFTER_SLASH = /\/([a-z0-9]+)/gi;
const CENSORED = /([a-z])\*([a-z])/gi;
const STAR = 'xxstarxx';
/** Words too common to gate a rule on. */
const COMMON = new Set('the a an of and or for license licence public software source open free agreement notice version v general documentation terms use data'.split(' '));
/**
 * Words that grant a name written without a version: "under", "terms of", "subject to"; a header
 * field ("License: CC BY-SA 2.0"); and "or" after another name ("either the GPL or the X License"),
 * which grants.ts then reads as joined to that name's grant.
 */
const GRANT = String.raw`(?:\b(?:under|terms(?: and conditions)? of|subject to|licen[cs]e|licen[cs]ed|or) (?:the |a |an )?|^)`;

const escape = (w: string): string => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The version number `1.0` as written: `1(?:\.0)?`. */
function versionNumber(version: string): string {
  const base = version.replace(/\.0$/, '');
  return `${escape(base)}${base === version ? '' : String.raw`(?:\.0)?`}`;
}

/**
 * The version slot for `1.0`: `(?:either )?(?:version |v ?|ver )?1(?:\.0)?`; "either" as in "the
 * LaTeX Project Public License, either version 1.3c of this license or (at your option) any later
 * version", the notice the LPPL asks for.
 */
const versionSlot = (version: string): string => `(?:either )?(?:version |v ?|ver )?${versionNumber(version)}`;

/**
 * The same name with its version written first, as notices put it ("subject to version 3.01 of
 * the PHP license", "under version 2.0 of the Mozilla Public License"): for names whose version
 * ends them (an edition word may follow), or null.
 */
function versionFirst(words: string[], at: number): string | null {
  if (at < 1 || words.slice(at + 1).some((w) => !EDITION.has(w)) || words.some((w) => w.includes(STAR))) return null;
  const name = words.slice(0, /^(?:version|v|ver)$/.test(words[at - 1]) ? at - 1 : at);
  return name.length ? String.raw`\bversion ${versionNumber(words[at].replace(/^v/, ''))} of (?:the )?${name.map(escape).join(' ')}(?![\w.])` : null;
}

/**
 * The id as an acronym people write: `EUPL-1.2` → `eupl` and `1.2`, `CC-BY-SA-4.0` → `cc by sa`
 * and `4.0`, `WTFPL` → `wtfpl`. Only upper-case ids (`Python-2.0` names a language version too,
 * and `MIT-0` has no dotted version), and at least three capitals.
 */
function acronym(id: string): { stem: string; version?: string } | null {
  const m = /^([A-Z][A-Z0-9-]*?)(?:-(\d+\.\d+(?:\.\d+)?[a-z]?))?$/.exec(id);
  if (!m || m[1].replace(/[^A-Z]/g, '').length < 3 || (!m[2] && m[1].length < 4)) return null;
  return { stem: m[1].toLowerCase().replace(/-/g, ' '), version: m[2] };
}

/** A rule for one SPDX name, or null when the name cannot be told from prose. */
function ruleFor(id: string, name: string): NameRule | null {
  if (/^gnu\b/i.test(name) || VARIANT.test(name)) return null;
  const afterSlash = new Set([...name.matchAll(AFTER_SLASH)].map((m) => m[1].toLowerCase()));
  const words = normalizeLicenseText(name.replace(CENSORED, `$1${STAR}$2`))
    .split(' ')
    .filter(Boolean);
  // the version: the last word that is a number (`1.0`, `v1.0`), possibly after `version`/`v`
  const at = words.findLastIndex((w) => /^v?\d+(?:\.\d+)*$/.test(w));
  const versioned = at >= 0;
  const short = acronym(id);
  let body = '';
  for (let i = 0; i < words.length; i++) {
    if (versioned && i === at - 1 && /^(?:version|v|ver)$/.test(words[i])) continue;
    // the acronym may stand between name and version: "European Union Public Licence (EUPL) v1.2"
    const optionalStem = short ? `(?:${escape(short.stem)} )?` : '';
    const part = i === at ? optionalStem + versionSlot(words[i].replace(/^v/, '')) : escape(words[i]).replace(STAR, '[a-z ]{0,3}');
    const optional = body !== '' && ((versioned && i > at && EDITION.has(words[i])) || afterSlash.has(words[i]));
    body += optional ? `(?: ${part})?` : `${body ? ' ' : ''}${part}`;
  }
  const named = words.filter((w, i) => i !== at && !/^\d/.test(w) && !w.includes(STAR));
  const head = named.filter((w) => !COMMON.has(w));
  // a versioned name of common words only ("Open Software License 3.0") is specific through its version
  if ((head.length === 0 && !versioned) || named.length === 0 || (!versioned && words.length < 2)) return null;
  const key = (head.length ? head : named).reduce((a, b) => (b.length > a.length ? b : a));
  // after a versioned name a different version may follow ("1.0 or 1.1"): the slot ends at a word boundary
  const first = versioned ? versionFirst(words, at) : null;
  const pattern = new RegExp(versioned ? String.raw`\b${body}(?![\w.])${first ? `|${first}` : ''}` : `${GRANT}${body}\\b`, 'g');
  return { id, pattern, key, versioned };
}

/**
 * A rule for the id as an acronym ("under the EUPL, Version 1.1", "licensed under OSL 3.0",
 * "released under the WTFPL", "the NCSA license"): only as a grant (after "under", "terms of"
 * ...) or followed by "license", since an acronym alone may be something else ("PHP 3.0").
 */
function acronymRule(id: string): NameRule | null {
  const short = acronym(id);
  if (!short) return null;
  const stem = escape(short.stem);
  const body = short.version ? `${stem} ${versionSlot(short.version)}` : stem;
  // a bare acronym of four letters may be a word or a format ("under the JSON key"): with "license" only
  const grant = short.version ? `${GRANT}${body}(?![\\w.])|` : short.stem.length > 4 ? `${GRANT}${body}\\b|` : '';
  const pattern = new RegExp(`${grant}\\b${body} license\\b`, 'g');
  const key = short.stem.split(' ').reduce((a, b) => (b.length > a.length ? b : a));
  return { id, pattern, key, versioned: short.version !== undefined };
}

let rules: NameRule[] | undefined;

/** One rule per SPDX licence whose name can be read in prose; names two licences share are dropped. */
function nameRules(): NameRule[] {
  if (rules) return rules;
  const list = require('spdx-license-list') as Record<string, { name: string }>;
  const current = new Set(require('spdx-license-ids') as string[]);
  const byPattern = new Map<string, NameRule | null>();
  for (const [id, { name }] of Object.entries(list)) {
    if (!current.has(id)) continue;
    for (const rule of [ruleFor(id, name), acronymRule(id)]) {
      if (!rule) continue;
      const key = rule.pattern.source;
      byPattern.set(key, byPattern.has(key) ? null : rule);
    }
  }
  return (rules = [...byPattern.values()].filter((r): r is NameRule => r !== null));
}

/** Notices naming a licence by its SPDX name in normalised text, in text order. */
export function findNameNotices(text: string, words: ReadonlySet<string> = new Set(text.split(' '))): NoticeMatch[] {
  const out: NoticeMatch[] = [];
  for (const rule of nameRules()) {
    if (!words.has(rule.key)) continue;
    for (const m of text.matchAll(rule.pattern)) out.push({ id: rule.id, at: m.index, end: m.index + m[0].length });
  }
  return out.sort((a, b) => a.at - b.at);
}
