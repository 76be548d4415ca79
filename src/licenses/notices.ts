/**
 * Licence notices: the short sentences that grant a licence by name instead of quoting it
 * ("Licensed under the Apache License, Version 2.0", "either version 2 of the License, or (at
 * your option) any later version", "released under the MIT license"). The full-text matcher
 * cannot see them (they are a few words against a whole licence), so a small set of rules
 * reads them from the normalised words (see normalize.ts: lowercase, no punctuation, version
 * numbers kept as `2.1`).
 */

import { findNameNotices } from './names.js';

export interface NoticeMatch {
  /** SPDX id */
  id: string;
  /** False for a GNU licence named without a version ("a copy of the GNU General Public License"). */
  versioned?: boolean;
  /** A family named without its variant ("the BSD license"): any text of the family is the one it names. */
  family?: string;
  /** Character offset in the normalised text: orders notices and finds "X or Y" pairs. */
  at: number;
  end: number;
}

/**
 * `words`: every match holds one of them, so a text without any (a native substring search) is
 * not scanned by the pattern, several times slower per character. Substrings, not whole words:
 * the patterns' `\b` is JavaScript's, which a non-ASCII letter or a version dot also satisfies.
 */
type Rule = { pattern: RegExp; id: (m: RegExpExecArray) => string | null; words: string[]; family?: string };

const V = '(?:version |v ?|ver )?';

/**
 * GNU family and version: `gnu lesser general public license ... version 2.1 ... any later version`;
 * also as people misname it ("GNU Lesser Public License", "GNU Public License", "Lesser GPL",
 * "GNU Affero GPLv3") and abbreviate it with its version after "license" ("the GNU GPL license version 2").
 */
const GNU =
  /\b(?:(?<gnu>gnu )?(?<q1>lesser |library |affero )?general public license|gnu (?<q2>lesser |library |affero )?public license|(?<q3>lesser |library )public license|gnu (?<free>free )documentation license|(?<q4>lesser |library |affero )?(?<abbr>agpl|lgpl|gpl|gfdl|fdl)(?:(?: license version | license v ?| ?v ?| version | ver | |)(?<version>\d(?:\.\d)?))?(?<later> or (?:at your \w+ )?(?:any )?(?:later|newer|higher|above|greater|subsequent)(?: version)?|\+)?\b)/g;

/** Every GNU match holds one of these (see Rule.words). */
const GNU_HINTS = ['public license', 'documentation license', 'gpl', 'fdl'];

type GnuFamily = 'GPL' | 'LGPL' | 'AGPL' | 'GFDL';

function gnuId(family: GnuFamily, version: string | undefined, later: boolean): string | null {
  const v = version === undefined ? undefined : version.includes('.') ? version : `${version}.0`;
  const known: Record<string, string[]> = { GPL: ['1.0', '2.0', '3.0'], LGPL: ['2.0', '2.1', '3.0'], AGPL: ['3.0'], GFDL: ['1.1', '1.2', '1.3'] };
  if (v !== undefined && !known[family].includes(v)) return null;
  const fallback = { GPL: '1.0', LGPL: '2.0', AGPL: '3.0', GFDL: '1.1' }[family]; // the first version of each
  return `${family}-${v ?? fallback}-${later || v === undefined ? 'or-later' : 'only'}`;
}

/** "or later" as written: "or (at your option) any later version", "and later", "or any subsequent version". */
const LATER = String.raw`(?: ?or at your \w+| ?or| ?and or| ?and)?(?: under the terms of)? ?(?:any )?(?:later|newer|higher|above|greater|subsequent)(?: versions?)?`;
/** The licence's abbreviation beside its name or version: "General Public License (GPL)", "version 2 ("GPLv2")". */
const ABBREVIATION = String.raw`(?: (?:a|l)?gpl(?: ?v?\d(?:\.\d)?)?)?`;
/**
 * A few words between the version and "or (at your option) any later version": "version 2 as
 * published by the Free Software Foundation, or ...", "version 1.2 (local copy, original location)
 * or ..."; never another licence's name or version.
 */
const ASIDE = String.raw`(?: (?!license\b|licence\b|version\b|(?:a|l)?gpl)[\w.]+){1,7}?(?= or at your \w+ (?:any )?later)`;
/**
 * After a GNU licence's name: its version, and whether any later version is offered; "version 3
 * the License, or ..." (its "of" dropped, a common slip) still offers the later ones.
 */
const AFTER_NAME = new RegExp(
  String.raw`^(?: (?:a|l)?gpl(?: ?v?(?<abbreviated>\d(?:\.\d)?))?)?(?: as published by the free software foundation)?${ABBREVIATION}(?: either| in| only)? ?(?:version |ver |v ?)?(?<version>\d(?:\.\d)?)?(?<later>(?: dated(?: \w+){1,3}?(?= or| and)|${ASIDE})?${ABBREVIATION}(?:(?: of)? the license)?${LATER})?`,
);

/** A GNU notice: the version within a few words after (or just before) the licence's name. */
function gnuNotices(text: string, out: NoticeMatch[]): void {
  for (const m of text.matchAll(GNU)) {
    const at = m.index;
    const g = m.groups!;
    const named = m[0].endsWith(' license');
    const qualifier = named ? (g.q1 ?? g.q2 ?? g.q3 ?? g.free) : g.q4 && g.abbr === 'gpl' ? g.q4 : g.abbr;
    const family: GnuFamily = /^(?:free|g?fdl)/.test(qualifier ?? '') ? 'GFDL' : qualifier?.startsWith('l') ? 'LGPL' : qualifier?.startsWith('a') ? 'AGPL' : 'GPL';
    let version: string | undefined = g.version;
    let later = Boolean(g.later);
    let end = at + m[0].length;
    if (named) {
      const after = AFTER_NAME.exec(text.slice(end, end + 160));
      const before = /(?:version |v)(\d(?:\.\d)?)(?: or later| or any later version)? of the (?:gnu )?$/.exec(text.slice(Math.max(0, at - 60), at));
      version = after?.groups!.version ?? after?.groups!.abbreviated ?? before?.[1];
      later = Boolean(after?.groups!.later) || Boolean(before?.[0].includes('later'));
      end += after?.[0].length ?? 0;
    }
    // a bare abbreviation without a version is a mention ("avoid GPL contamination", "GPL-compatible")
    // unless it is granted ("under the GPL", "License: GPL", "GPL licensed")
    if (!named && version === undefined && !bareGrant(text, at, end)) continue;
    // "Lesser" names the LGPL from 2.1 on: unversioned, it means 2.1 or any later version
    const id = gnuId(family, version ?? (qualifier === 'lesser ' ? '2.1' : undefined), later || version === undefined);
    if (!id) continue;
    // "version 2.1 of the License, or (at your option) version 3": either version, each alone
    const other = !later && version !== undefined ? SECOND_VERSION.exec(text.slice(end, end + 80)) : null;
    const second = other && gnuId(family, other[1], ANY_LATER.test(text.slice(end + other[0].length, end + other[0].length + 60)));
    if (second && second !== id) {
      out.push({ id, at, end, versioned: true }, { id: second, at: end + other.index + other[0].length - other[1].length, end: end + other[0].length, versioned: true });
    } else out.push({ id, at, end, versioned: version !== undefined });
  }
}

/** After a GNU name and its version, a second version offered instead (not "any later version"): "or version 3", "or v3", "or v.3". */
const SECOND_VERSION = /^(?: of the license)? or (?:at your option )?(?:version |v ?)?(\d(?:\.\d)?)\b(?!\.\d)/;
/** ... and after it, any later version: of the FSF's, not one "accepted by" a project's proxy (KDE's). */
const ANY_LATER = /^ or (?:at your option )?(?:any )?later(?! version accepted| version approved| accepted| approved)/;

/** Words before (or right after) a bare `GPL` that make it a grant, not a mention. */
const BARE_BEFORE = /(?:^|\b(?:under|license|licensed|released|distributed|covered|terms of|gnu|version of|the|and|or))(?: the| a| gnu)? ?$/;
const BARE_AFTER = /^ (?:license|licenses|licensed)\b/;

function bareGrant(text: string, at: number, end: number): boolean {
  const before = text.slice(Math.max(0, at - 30), at);
  return BARE_BEFORE.test(before) || /\bdual\b/.test(before) || BARE_AFTER.test(text.slice(end, end + 12));
}

const GNU_ID = /^(A?GPL|LGPL|GFDL)-(\d\.\d)-(only|or-later)$/;
/** How far (characters of normalised text) a version named apart may follow its licence's name. */
const NAME_TO_VERSION = 60;

/**
 * One GNU licence is usually named several times in one notice: with its version once, then
 * without ("You should have received a copy of the GNU General Public License"). An unversioned
 * name counts only when no name of the same family has a version; a version named once with
 * "or later" and once without is the "or later" one.
 */
function mergeGnu(notices: NoticeMatch[]): NoticeMatch[] {
  const family = (n: NoticeMatch) => GNU_ID.exec(n.id)?.[1];
  const versioned = new Set(notices.filter((n) => n.versioned === true).map(family));
  const kept = notices.flatMap((n, i) => {
    if (n.versioned === true) {
      // the name, then its version a few words on ("under the terms of the GNU General Public
      // License, in which case the provisions of the GPL2 apply"): one notice from the name, so
      // the grant before the name is the version's
      const prev = notices[i - 1];
      return prev?.versioned === false && family(prev) === family(n) && n.at - prev.end <= NAME_TO_VERSION ? [{ ...n, at: prev.at }] : [n];
    }
    return n.versioned === false && versioned.has(family(n)) ? [] : [n];
  });
  // several unversioned names of one family ("the GNU Lesser General Public License ... being LGPL
  // licensed") are one licence: the most specific ("Lesser" is 2.1 on, a bare LGPL any version)
  const unversioned = new Map<string, string>();
  for (const n of kept) if (n.versioned === false && GNU_ID.test(n.id)) unversioned.set(family(n)!, [unversioned.get(family(n)!) ?? '', n.id].sort().pop()!);
  for (const [i, n] of kept.entries()) if (n.versioned === false && GNU_ID.test(n.id)) kept[i] = { ...n, id: unversioned.get(family(n)!)! };
  const later = new Set(
    kept
      .map((n) => GNU_ID.exec(n.id))
      .filter((m) => m?.[3] === 'or-later')
      .map((m) => `${m![1]}-${m![2]}`),
  );
  return kept.map((n) => {
    const m = GNU_ID.exec(n.id);
    return m && later.has(`${m[1]}-${m[2]}`) ? { ...n, id: `${m[1]}-${m[2]}-or-later` } : n;
  });
}

const RULES: Rule[] = [
  {
    // ("Apache Public License 2.0": a misnaming people write, as they do "GNU Public License")
    pattern: new RegExp(`\\bapache (?:software |public )?license,? ${V}2(?:\\.0)?\\b|\\bapache ${V}2(?:\\.0)? license\\b|\\bapache 2\\.0\\b|\\bapache (?:public )?license\\b(?! ${V}1)`, 'g'),
    id: () => 'Apache-2.0',
    words: ['apache'],
  },
  { pattern: new RegExp(`\\bapache (?:software |public )?license,? ${V}1\\.1\\b`, 'g'), id: () => 'Apache-1.1', words: ['apache'] },
  {
    pattern:
      /\b(?:mit(?: x11)? license|mit licence|mit licensed|(?:under|license|licensed under|licensed) (?:the )?mit\b(?! (?:press|university|no attribution))|(?:under|governed by) an? mit style license)/g,
    id: () => 'MIT',
    words: ['mit'],
  },
  // the version line of Mozilla's licence block ("Version: MPL 1.1/GPL 2.0/LGPL 2.1"): the block's
  // tri-licence, whose text offers the GPL 2 and the LGPL 2.1 "or later"
  { pattern: /\bmpl 1\.1 or gpl 2\.0 or lgpl 2\.1\b/g, id: () => 'MPL-1.1 OR GPL-2.0-or-later OR LGPL-2.1-or-later', words: ['mpl'] },
  // the Eclipse Foundation's header for projects under both its licences ("made available under
  // the terms of the Eclipse Public License v1.0 and Eclipse Distribution License v1.0 which
  // accompany this distribution"): such projects are dual-licensed, the recipient picks one
  {
    pattern: new RegExp(`\\beclipse public license,? ${V}(1\\.0|2\\.0) and (?:the )?eclipse distribution license,? ${V}1\\.0\\b`, 'g'),
    id: (m) => `EPL-${m[1]} OR BSD-3-Clause`,
    words: ['eclipse'],
  },
  // Perl modules: "under the same terms as Perl itself", Perl's own choice of licences (CPAN's
  // generated LICENSE files: "the same terms as the Perl 5 programming language system itself")
  { pattern: /\bsame terms as (?:the )?perl\b/g, id: () => 'Artistic-1.0-Perl OR GPL-1.0-or-later', words: ['perl'] },
  // the clause count as people write it: "BSD 3-Clause", "3-clause BSD", "BSD (3 clause)", "BSD3", "BSD License (3-clause)"
  {
    pattern: /\b(?:bsd 3 clause|3 clause bsd|bsd license 3 clause|bsd ?3(?![\w.])|new bsd|bsd new|modified bsd license|revised bsd license)\b/g,
    id: () => 'BSD-3-Clause',
    words: ['bsd'],
  },
  {
    pattern: /\b(?:bsd 2 clause|2 clause bsd|bsd license 2 clause|bsd ?2(?![\w.])|simplified bsd|freebsd license)\b/g,
    id: () => 'BSD-2-Clause',
    words: ['bsd', 'freebsd'],
  },
  { pattern: new RegExp(`\\bmozilla public license,? ${V}(1\\.0|1\\.1|2\\.0)\\b|\\bmpl ${V}(1\\.0|1\\.1|2\\.0)\\b`, 'g'), id: (m) => `MPL-${m[1] ?? m[2]}`, words: ['mozilla', 'mpl'] },
  { pattern: new RegExp(`\\beclipse public license,? ${V}(1\\.0|2\\.0)\\b|\\bepl ${V}(1\\.0|2\\.0)\\b`, 'g'), id: (m) => `EPL-${m[1] ?? m[2]}`, words: ['eclipse', 'epl'] },
  {
    pattern: new RegExp(`\\bcommon development and distribution license(?: cddl)?,? ${V}(1\\.0|1\\.1)\\b|\\bcddl ${V}(1\\.0|1\\.1)\\b`, 'g'),
    id: (m) => `CDDL-${m[1] ?? m[2]}`,
    words: ['common', 'cddl'],
  },
  // the OpenSolaris header grants the CDDL by name alone ("subject to the terms of the Common
  // Development and Distribution License (the "License")"; "either the GPL ... or the Common
  // Development and Distribution License"): its first version, as ScanCode reads it
  { pattern: /\b(?:under|terms of|subject to|or) (?:the )?common development and distribution license(?! (?:cddl )?(?:version |v ?)?1\.1)\b/g, id: () => 'CDDL-1.0', words: ['common'] },
  { pattern: new RegExp(`\\bboost software license,? ${V}1\\.0\\b`, 'g'), id: () => 'BSL-1.0', words: ['boost'] },
  { pattern: new RegExp(`\\bartistic license,? ${V}2\\.0\\b`, 'g'), id: () => 'Artistic-2.0', words: ['artistic'] },
  { pattern: /\bisc license\b/g, id: () => 'ISC', words: ['isc'] },
  { pattern: new RegExp(`\\bacademic free license,? ${V}(1\\.1|1\\.2|2\\.0|2\\.1|3\\.0)\\b`, 'g'), id: (m) => `AFL-${m[1]}`, words: ['academic'] },
  { pattern: new RegExp(`\\bnetscape public license,? ${V}(1\\.0|1\\.1)\\b`, 'g'), id: (m) => `NPL-${m[1]}`, words: ['netscape'] },
  { pattern: /\bruby (?:s )?license\b/g, id: () => 'Ruby', words: ['ruby'] },
  { pattern: /\b(?:the unlicense|unlicense license)\b/g, id: () => 'Unlicense', words: ['unlicense'] },
  // CC0 has one version, so the bare name is specific enough where a grant names it ("copied under CC0")
  { pattern: /\b(?:cc0 1\.0|creative commons zero|cc0 license)\b|\b(?:under|terms of|licensed|released|dedicated to) (?:the |a )?cc0\b/g, id: () => 'CC0-1.0', words: ['cc0', 'creative'] },
  { pattern: /\bzlib(?: libpng)? license\b(?! with acknowledge?ment)/g, id: () => 'Zlib', words: ['zlib'] },
  // the headers of zlib's and libpng's own source files point to the licence in their main header
  // ("For conditions of distribution and use, see copyright notice in zlib.h"), as other projects' copies do
  // (minizip's: "License: Same as ZLIB")
  { pattern: /\b(?:copyright notice in zlib h|see zlib h for (?:copyright|conditions)|same (?:license|terms) as zlib|license same as zlib)\b/g, id: () => 'Zlib', words: ['zlib'] },
  { pattern: /\bdisclaimer and license in png h\b/g, id: () => 'Libpng', words: ['png'] },
  { pattern: /\b(?:zero clause bsd|bsd zero clause|0 clause bsd)\b/g, id: () => '0BSD', words: ['zero', '0 clause'] },
  // the Unlicense's opening sentence, which projects quote alone as their notice
  { pattern: /\bfree and unencumbered software released into the public domain\b/g, id: () => 'Unlicense', words: ['unencumbered'] },
  { pattern: /\bpython software foundation license\b/g, id: () => 'PSF-2.0', words: ['python'] },
  // iMatix's Standard Function Library names its licence by the title of its text
  { pattern: /\bsfl license agreement\b/g, id: () => 'iMatix', words: ['sfl'] },
  // "under the same terms as Ruby (itself)": Ruby's own licence, the usual grant of Ruby libraries
  { pattern: /\bsame (?:license )?terms as ruby\b/g, id: () => 'Ruby', words: ['ruby'] },
  // the Go authors' file header: Go's LICENSE is BSD-3-Clause
  { pattern: /\bgoverned by a bsd style license that can be found in the license file\b/g, id: () => 'BSD-3-Clause', words: ['governed'] },
  // a bare "BSD licensed" / "under the BSD license" (no clause count): the 3-clause (new) BSD,
  // as ScanCode reads it; the numbered and named forms above start earlier and win; "or" offers
  // it beside another licence's grant ("under the LGPL, MPL or BSD license"), and so does "and"
  // with the plural that joins names into one grant ("dual licensed under the MIT and BSD licenses");
  // CMake's modules grant theirs as "Distributed under the OSI-approved BSD License" (its 3-clause text)
  {
    pattern: /\bbsd licensed\b|\b(?:under|licensed under|terms of|or) (?:the |a )?(?:osi approved )?bsd license\b|\b(?:or|and) (?:the )?bsd licenses\b/g,
    id: () => 'BSD-3-Clause',
    words: ['bsd'],
    family: 'BSD',
  },
  // Perl's own notice ("under the terms of either the GNU General Public License or the Artistic
  // License, as specified in the README file"): Perl's choice, as "same terms as Perl itself"
  { pattern: /\bgnu general public license or the artistic license\b/g, id: () => 'Artistic-1.0-Perl OR GPL-1.0-or-later', words: ['artistic'] },
  // "the Perl Artistic License": Perl's own Artistic text, as Perl modules name it beside the GPL
  { pattern: /\bperl artistic license\b/g, id: () => 'Artistic-1.0-Perl', words: ['artistic'] },
  // the Eclipse Distribution License is the BSD-3-Clause text (SPDX and ScanCode read it so)
  { pattern: new RegExp(`\\beclipse distribution license,? ${V}1\\.0\\b|\\bedl ${V}1\\.0\\b`, 'g'), id: () => 'BSD-3-Clause', words: ['eclipse', 'edl'] },
  // Debian's name for the MIT licence (copyright files, `License: Expat`)
  { pattern: /\blicense expat$|\blicense expat\b(?! \w+ (?:parser|xml))|\bexpat license\b/gm, id: () => 'MIT', words: ['expat'] },
];

/** Notices found in normalised text, in text order, overlapping ones dropped. */
export function findNotices(text: string): NoticeMatch[] {
  const words = new Set(text.split(' '));
  const out: NoticeMatch[] = findNameNotices(text, words);
  if (GNU_HINTS.some((h) => text.includes(h))) gnuNotices(text, out);
  for (const rule of RULES) {
    if (!rule.words.some((w) => text.includes(w))) continue;
    for (const m of text.matchAll(rule.pattern)) {
      const id = rule.id(m);
      if (id) out.push({ id, at: m.index, end: m.index + m[0].length, ...(rule.family ? { family: rule.family } : {}) });
    }
  }
  out.sort((a, b) => a.at - b.at || b.end - a.end);
  const kept: NoticeMatch[] = [];
  for (const n of out) if (!kept.length || n.at >= kept[kept.length - 1].end) kept.push(n);
  return mergeGnu(kept);
}
