import { conjunction, normalizeExpression } from './expression.js';
import { exceptionAlone, exceptionRule, findExceptions, withExceptions, withoutExceptionTexts } from './exceptions.js';
import { fieldLicenses } from './fields.js';
import { isLicenseLike, isReadme } from './files.js';
import { grantedNotices } from './grants.js';
import { declaredLicense, isManifest } from './manifests.js';
import { matchWords, type MatchOptions, type TextMatch } from './match.js';
import { licenseWords } from './normalize.js';
import { noticeExpression, textChoices } from './choices.js';
import { findNotices, type NoticeMatch } from './notices.js';
import { isVariantOf } from './relatives.js';
import { laterByHeader } from './later.js';
import { grantedUrlLicenses, urlLicenses } from './urls.js';
import { readmeLicenseText } from './readme.js';

/**
 * What one file says about a licence. Evidence comes, strongest first, from
 * `SPDX-License-Identifier:` lines, package manifests, licence-like files (full texts by the
 * matcher, then notices in what no text covers) and, last, READMEs.
 */

/** How strong a kind of evidence is: a folder takes its licence from the strongest kind it has. */
export const TIERS = { spdx: 0, manifest: 1, text: 2, readme: 3 } as const;
export type Tier = keyof typeof TIERS;

export interface Evidence {
  /** Canonical SPDX expression. */
  expression: string;
  /** The file it came from (path relative to the input root or the repo). */
  file: string;
  /** `spdx-id`, `manifest`, `exact`, `dice`, `partial` (part of a licence text, see match.ts), `gapped` (a short licence's clauses with sentences added, gapped.ts) or `notice`. */
  method: string;
  /** 1 for identifiers, manifests and exact texts; the lowest Dice score of the texts otherwise. */
  score: number;
  tier: Tier;
}

const SPDX_LINE = /SPDX-License-Identifier:\s*([^\r\n]*)/g;

/** The expression of a file's `SPDX-License-Identifier:` lines (several: all apply), or null. */
export function spdxIdentifiers(content: string): string | null {
  if (!content.includes('SPDX-License-Identifier')) return null; // the cheap test every file takes
  const found: string[] = [];
  for (const m of content.matchAll(SPDX_LINE)) {
    // the value ends where the comment does: `*/`, `-->`, `#}`, a closing quote
    const value = m[1].replace(/\s*(?:\*\/|-->|#}|%>|"|'|`|\\n).*$/, '').trim();
    const expression = normalizeExpression(value);
    if (expression) found.push(expression);
  }
  return conjunction(found);
}

/**
 * SPDX's deprecated licence-with-exception ids (`GPL-2.0-with-bison-exception`), indexed as `X WITH
 * E` (corpus.ts), have the exception's text alone ("insert GPL v2 license text here"): a match of
 * one says which exception is there, not which version of X, so it attaches to the licence the
 * rest of the file names (`GPL-3.0-or-later` in its notice), and stands as `X WITH E` only when
 * the file names none the exception is written for.
 */
const isExceptionText = (t: TextMatch): boolean => t.id.includes(' WITH ');
/** The exception of such a match (`Bison-exception-2.2`). */
const exceptionOf = (t: TextMatch): string => t.id.split(' WITH ')[1];

/** The word that offers a notice's licence instead of a text's (ScanCode reads it as OR). */
const ALTERNATIVELY = /\balternatively\b/;

/**
 * Whether "alternatively" opens the sentence of a notice (its words `named`) in the whole
 * normalised text: the word may stand in the licence text's window, outside the words read for notices.
 */
function offeredInstead(all: string, named: string): boolean {
  for (let at = all.indexOf(named); at >= 0; at = all.indexOf(named, at + 1)) if (ALTERNATIVELY.test(all.slice(Math.max(0, at - 120), at))) return true;
  return false;
}

/**
 * The parts of a file's expression besides its texts' exceptions: the texts' licences, the choices
 * notices offer among them, and the notices read where no text is (`rest`), or the last resorts of
 * a file with neither (header fields, URLs). `notice` is the notices' own expression.
 */
function licenceParts(content: string, all: string, rest: string, texts: TextMatch[], textOffered: boolean): { parts: string[]; notice: string | null } {
  // an unversioned GNU name beside a licence text is a mention ("GPL-compatible"), not a grant;
  // a notice of the licence whose text is there is the text's own "How to Apply" sample, and
  // one of the licence a variant's text is named after is its title ("The Q Public License")
  const base = (id: string) => id.replace(/-(only|or-later)\b.*$/, '');
  const textLicenses = new Set(texts.flatMap((t) => [t.id, ...(t.includes ?? [])].map(base)));
  // ("released under the BSD license:" above a BSD-2-Clause text names that text)
  const ownName = (n: NoticeMatch) =>
    textLicenses.has(base(n.id)) || texts.some((t) => isVariantOf(t.id, n.id) || (n.family !== undefined && t.id.startsWith(`${n.family}-`))) || inSample(rest, n, texts);
  // (unless it is offered instead: "Alternatively, ... under the terms of the GNU General Public License")
  const names = findNotices(rest);
  const named = names.filter((n) => texts.length === 0 || ((n.versioned !== false || offeredInstead(all, rest.slice(n.at, n.end))) && !ownName(n)));
  // beside a licence (a text, a grant, a title) another one's name counts only when granted
  const granted = grantedNotices(rest, named, texts.length > 0);
  // a choice the notices offer between licences whose texts are here ("either the modified BSD
  // license or the Academic Free License", then both texts): those licences as that choice
  // (a name is granted there with the text's own one it is joined to: "either of two licenses,
  // the Apache License ... or the GNU General Public License, version 2.0 or later")
  const offerable = texts.length
    ? grantedNotices(
        rest,
        names.filter((n) => n.versioned !== false),
        true,
      )
    : [];
  // (a notice that is itself a choice, "same terms as Perl", grants each of its licences)
  const grantedIds = new Set([...granted, ...offerable].flatMap((n) => n.id.split(' OR ')));
  const offered = texts.length ? textChoices(rest, names, new Set(texts.map((t) => t.id)), grantedIds) : [];
  const inOffer = new Set(offered.flat());
  const notices = granted.filter((n) => !n.id.split(' OR ').every((id) => inOffer.has(id)));
  // a text of the base licence beside a choice that offers a variant of it is that variant's copy
  // (Perl's "a) the GNU General Public License ... or b) the Artistic License", then an Artistic 1.0 text)
  const offeredAs = (id: string) => inOffer.has(id) || [...inOffer].some((o) => isVariantOf(o, id));
  const parts = [...offered.map((ids) => ids.join(' OR ')), ...texts.map((t) => t.id).filter((id) => !offeredAs(id))];
  const notice = noticeExpression(rest, notices);
  // "Alternatively, this software may be distributed under the terms of the GPL" beside a
  // licence text, or a notice and then "ALTERNATIVELY, ... under the terms of the following
  // license" above the text: a choice between the text's licence and the notice's
  if (notice && texts.length > 0 && (textOffered || offeredInstead(all, rest.slice(notices[0].at, notices[0].end)))) parts.splice(0, parts.length, `(${conjunction(parts)}) OR (${notice})`);
  else if (notice) parts.push(notice);
  // a header field of SPDX ids (`License: ISC`), then a URL: the last resorts of a header that
  // names its licence in no sentence
  else if (texts.length === 0) {
    const fields = fieldLicenses(content);
    parts.push(...(fields.length ? fields : urlLicenses(content)));
  }
  // in a file of notices, a URL a grant names ("released to the public domain, as explained at
  // <CC0's URL>") beside the rest (inside a licence text, such a URL is that text's own reference)
  if (texts.length === 0) {
    const present = new Set(parts.flatMap((p) => p.split(/ (?:AND|OR|WITH) |[()]/)).map(base));
    for (const id of grantedUrlLicenses(content)) if (!present.has(base(id))) parts.push(id);
  }
  return { parts, notice };
}

/**
 * How far before a licence text (in words) "alternatively" offers it instead of a notice's
 * licence: the offer may go on about deleting one of the two ("If you wish to allow use of your
 * version of this file only under the terms of the GNU General Public License, ...").
 */
const OFFER_REACH = 100;

/** Whether "alternatively" stands just above one of the texts: the text is offered instead of what the notices name. */
function textOfferedInstead(words: string[], texts: TextMatch[]): boolean {
  return texts.some((t) => words.slice(Math.max(0, t.start - OFFER_REACH), t.start).includes('alternatively'));
}

/** The GNU texts' "How to Apply These Terms" introduces its sample notices so. */
const SAMPLE_INTRO = /\battach the following notices to the (?:program|library)\b/;
/** How far before a sample notice its introduction stands, in characters of normalised text. */
const SAMPLE_REACH = 500;
const gnuFamily = (id: string): string | undefined => /^(A?GPL|LGPL)-/.exec(id)?.[1];

/**
 * Whether notice `n` of `rest` is the sample in a GNU text's "How to Apply" section, whatever
 * version it names: older copies of the LGPL 2.1 show "version 2 of the License" there.
 */
function inSample(rest: string, n: NoticeMatch, texts: TextMatch[]): boolean {
  const family = gnuFamily(n.id);
  return family !== undefined && texts.some((t) => gnuFamily(t.id) === family) && SAMPLE_INTRO.test(rest.slice(Math.max(0, n.at - SAMPLE_REACH), n.at));
}

/** How a file's answer was found: its weakest text match's method, or `notice`. */
function methodOf(matched: TextMatch[], notice: string | null): string {
  if (matched.length === 0) return 'notice';
  if (matched.every((t) => t.method === 'exact') && !notice) return 'exact';
  if (matched.some((t) => t.method === 'partial')) return 'partial';
  return matched.some((t) => t.method === 'gapped') ? 'gapped' : 'dice';
}

/** Full licence texts and notices in a text, as one expression with how it was found. */
export function detectText(content: string, options: MatchOptions = {}): { expression: string; method: string; score: number } | null {
  const words = licenseWords(content);
  const matched = matchWords(words, options);
  const texts = laterByHeader(
    words,
    matched.filter((t) => !isExceptionText(t)),
  );
  // notices are read only where no licence text is: a GPL text quotes its own notice
  const covered = new Uint8Array(words.length);
  for (const t of matched) {
    covered.fill(1, t.start, t.end);
    // ... but sentences the copy added inside the text are read like any other
    for (const [from, to] of t.gaps ?? []) covered.fill(0, from, to);
  }
  // (an exception's own text that speaks of another licence is no notice of it)
  const rest = withoutExceptionTexts(words.filter((_, i) => !covered[i]).join(' '));
  const all = words.join(' ');
  const { parts, notice } = licenceParts(content, all, rest, texts, textOfferedInstead(words, texts));
  const licences = conjunction(parts.map((p) => normalizeExpression(p) ?? p));
  // "As a special exception, ...": attached to the one licence it is written for
  const exceptions = findExceptions(all);
  const withOwn = licences === null ? null : withExceptions(licences, [...exceptions, ...matched.filter(isExceptionText).map((t) => exceptionRule(exceptionOf(t)))]);
  const unattached = matched.filter((t) => isExceptionText(t) && !withOwn?.includes(`WITH ${exceptionOf(t)}`)).map((t) => t.id);
  const found = conjunction([...(withOwn ? [withOwn] : []), ...unattached]);
  if (!found) {
    // an exception written for one licence, quoted with no licence named beside it
    const alone = licences === null ? exceptionAlone(exceptions) : null;
    return alone ? { expression: alone, method: 'notice', score: 1 } : null;
  }
  const expression = withOwn ? found : withExceptions(found, exceptions);
  const method = methodOf(matched, notice);
  const score = matched.length === 0 ? 1 : Math.min(...matched.map((t) => t.score));
  return { expression, method, score: Number(score.toFixed(4)) };
}

/** The evidence a file gives about its folder, or null (most files: decided by name alone). */
export function detectFile(path: string, content: string, options: MatchOptions & { readme?: boolean } = {}, text: (content: string) => Detected = (c) => detectText(c, options)): Evidence | null {
  const manifest = isManifest(path);
  const licenseLike = !manifest && isLicenseLike(path);
  const readme = !manifest && !licenseLike && options.readme !== false && isReadme(path);
  if (!manifest && !licenseLike && !readme) return null;
  const spdx = spdxIdentifiers(content);
  if (spdx) return { expression: spdx, file: path, method: 'spdx-id', score: 1, tier: 'spdx' };
  if (manifest) {
    const declared = declaredLicense(path, content);
    const expression = declared === null ? null : normalizeExpression(declared);
    return expression ? { expression, file: path, method: 'manifest', score: 1, tier: 'manifest' } : null;
  }
  const found = text(readme ? readmeLicenseText(content) : content);
  return found ? { ...found, file: path, tier: readme ? 'readme' : 'text' } : null;
}

type Detected = ReturnType<typeof detectText>;

/** Texts of at most this many characters in all are remembered by one `evidenceReader`. */
const SEEN_MAX_CHARS = 4 * 2 ** 20;

/**
 * detectFile for the files of one task, remembering detectText's answer per distinct text.
 * Licence files repeat verbatim across a pool (every package of a monorepo ships the same
 * LICENSE: node_modules' 411 licence-like files hold 224 distinct texts), and the answer
 * depends only on the text and the options. When the texts kept pass SEEN_MAX_CHARS it starts over.
 */
export function evidenceReader(options: MatchOptions & { readme?: boolean } = {}): (path: string, content: string) => Evidence | null {
  const seen = new Map<string, Detected>();
  let seenChars = 0;
  const once = (content: string): Detected => {
    if (seen.has(content)) return seen.get(content)!;
    const found = detectText(content, options);
    if (seenChars + content.length > SEEN_MAX_CHARS) {
      seen.clear();
      seenChars = 0;
    }
    seen.set(content, found);
    seenChars += content.length;
    return found;
  };
  return (path, content) => detectFile(path, content, options, once);
}
