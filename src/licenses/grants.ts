import { bigramAt, loadCorpus, wordIds, type LicenseCorpus } from './corpus.js';
import type { NoticeMatch } from './notices.js';

/**
 * Which notices grant a licence and which merely mention one. A licence text names others all
 * the time: the LGPL contrasts itself with "the ordinary General Public License", MPL-2.0 lists
 * its "Secondary Licenses", ECL-2.0 says it "consists of the Apache 2.0 license", a README
 * credits "software developed by the Apache Software Foundation". Each such name read as a
 * notice made a file under one licence come out as "X AND Y". A second licence needs a grant
 * ("licensed under", "under the terms of", "subject to", "dual licensed", "License: X"); a
 * mention does not make one.
 */

/** Words just before a name that grant it (normalised text: lowercase, no punctuation). */
const GRANT_BEFORE =
  /\b(?:under|licen[cs]ed|released|distributed|redistributed|distributable|available|published|provided|offered|covered by|governed by|terms of|conditions of|subject to|dual|dually|choice|alternatively|licen[cs]e|licen[cs]es|licen[cs]ing|spdx)(?: (?:the|a|an|this|its|your|either of|either|both|one of|any of|version \S+ of|gnu|terms of|terms and conditions of|conditions of))* ?$/;

/** A name that is itself a grant: "licensed under the MIT", "MIT licensed", "license MIT". */
const GRANT_IN = /^(?:under|licen[cs]ed|licen[cs]e)\b|\blicen[cs]ed$/;
const GRANT_AFTER = /^ (?:licen[cs]ed|licen[cs]es? applies|applies)\b/;

/** Word pairs after a name that are read for its own text, and how many of them must open it. */
const HEAD_PAIRS = 6;
const HEAD_HELD = 5;
/** The opening of a licence text, in words: where a heading's next words must be. */
const OPENING = 80;

/**
 * A name inside a sentence ("different from those of the Artistic License") or one that says what
 * the text is not ("Modified Apache 2.0 License") heads no text of that licence.
 */
const NOT_A_HEADING = /\b(?:of|from|to|by|with|than|as|in|on|under|and|or|is|are|was|same|modified|based on|derived from|adapted from|like|similar to)(?: the| a| an)? ?$/;

/** Per SPDX id (aliases too), the bigrams of the openings of its texts. */
const openings = new WeakMap<LicenseCorpus, Map<string, Set<number>>>();

function openingOf(corpus: LicenseCorpus, id: string): Set<number> | undefined {
  let map = openings.get(corpus);
  if (!map) {
    map = new Map();
    for (const lic of corpus.licenses)
      for (const name of [lic.id, ...lic.aliases]) {
        const set = map.get(name) ?? new Set<number>();
        for (let i = 0; i + 1 < Math.min(OPENING, lic.words.length); i++) set.add(bigramAt(lic.words, i));
        map.set(name, set);
      }
    openings.set(corpus, map);
  }
  return map.get(id);
}

/**
 * A name that heads its own licence's opening words ("The ISC License" above "Permission to use,
 * copy, modify ..." in a bundle's third-party notices, past the texts the matcher reports): the
 * licence is there, only the matcher stopped before it. A name inside another licence's text is
 * followed by that licence's words, not by the named one's opening.
 */
function headsItsText(text: string, n: Pick<NoticeMatch, 'at' | 'end' | 'id'>, corpus: LicenseCorpus): boolean {
  const opening = openingOf(corpus, n.id);
  if (!opening || NOT_A_HEADING.test(text.slice(Math.max(0, n.at - 40), n.at))) return false;
  const ids = wordIds(
    text
      .slice(n.end)
      .trimStart()
      .split(' ', HEAD_PAIRS + 1),
    corpus.vocabulary,
    new Map(),
  );
  let held = 0;
  for (let i = 0; i + 1 < ids.length; i++) if (opening.has(bigramAt(ids, i))) held++;
  return held >= HEAD_HELD;
}

/** How far before a name its grant may start, in characters of normalised text. */
const REACH = 80;

/**
 * The Eclipse Public License 2.0's notice for a file also offered under a "Secondary License"
 * (EPL-2.0's Exhibit A, filled in by Eclipse projects: "This Source Code may also be made
 * available under the following Secondary Licenses when the conditions for such availability set
 * forth in the Eclipse Public License, v. 2.0 are satisfied: GNU General Public License, version 2
 * with the GNU Classpath Exception"): the names after it are offered beside the EPL, a choice.
 */
const SECONDARY_STEM = String.raw`\bavailable under the following secondary licen[cs]es when the conditions for such availability set forth in (?:the )?`;
const SECONDARY_OFFER = new RegExp(SECONDARY_STEM + String.raw`[a-z0-9. ]{0,60}? are satisfied (?:(?:the|a|an) )?$`);
/** The licence that notice names as the first (its conditions "set forth in the Eclipse Public License"): offered too. */
const SECONDARY_OF = new RegExp(SECONDARY_STEM + '$');
/** How far before a name a secondary-licence offer may start, in characters of normalised text. */
const SECONDARY_REACH = 200;

/** Whether the name at `at` of normalised `text` is one of the Secondary Licenses such a notice offers. */
export function offeredAsSecondary(text: string, at: number): boolean {
  return SECONDARY_OFFER.test(text.slice(Math.max(0, at - SECONDARY_REACH), at));
}

/** Whether the words `lead` before a name make it the offered licence or one of its Secondary Licenses. */
const secondaryLicense = (lead: string): boolean => SECONDARY_OFFER.test(lead) || SECONDARY_OF.test(lead);

/** Whether the notice at [at, end) of `text` grants its licence rather than mentions it. */
export function isGrant(text: string, n: Pick<NoticeMatch, 'at' | 'end' | 'id'>, corpus: LicenseCorpus = loadCorpus()): boolean {
  const before = text.slice(Math.max(0, n.at - REACH), n.at);
  // a grant ends where its sentence began: the words right before the name must reach it
  return (
    GRANT_BEFORE.test(before) ||
    GRANT_IN.test(text.slice(n.at, n.end)) ||
    GRANT_AFTER.test(text.slice(n.end, n.end + 20)) ||
    secondaryLicense(text.slice(Math.max(0, n.at - SECONDARY_REACH), n.at)) ||
    headsItsText(text, n, corpus)
  );
}

/** A name at the very start of the text is its title ("Mozilla Public License Version 2.0 ..."). */
const isTitle = (text: string, n: NoticeMatch): boolean => /^(?:the )?$/.test(text.slice(0, n.at).trim());

/** A name right after a granted one, joined by "or"/"and", is granted with it ("under the MIT or GPL licenses"). */
const JOINED = /^(?:(?!\b(?:means|see|unlike|than|not|no)\b).){0,80}$/;
/** The words between two names, with the "or" a rule takes into its match ("or the BSD license"). */
export const gapBefore = (text: string, prev: Pick<NoticeMatch, 'end'>, n: Pick<NoticeMatch, 'at'>): string => text.slice(prev.end, text.startsWith('or ', n.at) ? n.at + 2 : n.at);
/**
 * A name offered by a further "or" after a granted one ("either A or B ... or, for incorporation
 * into software, C"): the "or" among the last FURTHER_OR words before the name, at most
 * FURTHER_GAP characters after the previous name.
 */
const FURTHER_GAP = 300;
const FURTHER_OR = 8;
export function furtherOr(gap: string): boolean {
  if (gap.length >= FURTHER_GAP || SENTENCE_OF_ITS_OWN.test(gap)) return false;
  const last = gap.trim().split(' ').slice(-FURTHER_OR);
  const at = last.lastIndexOf('or');
  // (not a warranty's "or fitness for a particular purpose. See the GNU General Public License")
  return at >= 0 && !MENTION_AFTER_OR.test(last.slice(at + 1).join(' '));
}
/** Words of a sentence of its own between the two names ("... you may choose which ... is distributed with ..."): no further item of the list. */
const SENTENCE_OF_ITS_OWN = /\b(?:is|are|was|were|you|we|this|these|which|that|however|except|but)\b/;
const MENTION_AFTER_OR = /\b(?:means|see|unlike|than|not|no|fitness|purpose)\b/;
const joined = (gap: string): boolean => (gap.trim() === '' || /\b(?:or|and)\b/.test(gap)) && JOINED.test(gap);

/** Words either side of a name read to tell whether it stands inside another licence's text. */
const CONTEXT = 60;
/** Share of the word pairs around a name that the titled licence's text must hold to quote it. */
const QUOTED = 0.8;

/**
 * Whether the name stands inside the text of the licence whose title heads the file (the
 * copyleft-next text's "material licensed under the GPL", EUPL's "license under the EUPL"):
 * the words around it are that licence's own, so it is a quote of that text, not a grant.
 */
function quotedIn(text: string, n: NoticeMatch, titleId: string, corpus: LicenseCorpus): boolean {
  const own = new Set(corpus.licenses.flatMap((lic, index) => ([lic.id, ...lic.aliases].includes(titleId) ? [index] : [])));
  if (own.size === 0) return false;
  const words = text
    .slice(Math.max(0, n.at - CONTEXT), n.end + CONTEXT)
    .split(' ')
    .slice(1, -1);
  const ids = wordIds(words, corpus.vocabulary, new Map());
  let held = 0;
  for (let i = 0; i + 1 < ids.length; i++) if (corpus.postings.get(bigramAt(ids, i))?.some((index) => own.has(index))) held++;
  return ids.length > 2 && held >= QUOTED * (ids.length - 1);
}

/**
 * The notices that count. When the file already has a licence (a text found, a notice that
 * grants one, or a licence title heading it), the other names count only as grants; a file
 * that only names licences, none granted, keeps them all (a bare list, as before).
 */
export function grantedNotices(text: string, notices: NoticeMatch[], hasText: boolean, corpus: LicenseCorpus = loadCorpus()): NoticeMatch[] {
  const title = notices.length > 0 && isTitle(text, notices[0]) ? notices[0] : undefined;
  const granted: NoticeMatch[] = [];
  for (const n of notices) {
    const prev = granted[granted.length - 1];
    if (title && n !== title && n.id !== title.id && quotedIn(text, n, title.id, corpus)) continue;
    if (isGrant(text, n, corpus) || (prev && (joined(gapBefore(text, prev, n)) || furtherOr(gapBefore(text, prev, n))))) granted.push(n);
  }
  if (!hasText && granted.length === 0 && !title) return notices;
  return notices.filter((n) => n === title || granted.includes(n));
}
