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
  /\b(?:under|licen[cs]ed|released|distributed|redistributed|distributable|available|published|provided|offered|covered by|governed by|terms of|conditions of|subject to|dual|dually|choice|alternatively|licen[cs]e|licen[cs]es|licen[cs]ing|spdx)(?: (?:the|a|an|this|its|your|either|both|one of|any of|version \S+ of|gnu|terms of|terms and conditions of|conditions of))* ?$/;

/** A name that is itself a grant: "licensed under the MIT", "MIT licensed", "license MIT". */
const GRANT_IN = /^(?:under|licen[cs]ed|licen[cs]e)\b|\blicen[cs]ed$/;
const GRANT_AFTER = /^ (?:licen[cs]ed|licen[cs]es? applies|applies)\b/;

/** How far before a name its grant may start, in characters of normalised text. */
const REACH = 80;

/** Whether the notice at [at, end) of `text` grants its licence rather than mentions it. */
export function isGrant(text: string, n: Pick<NoticeMatch, 'at' | 'end'>): boolean {
  const before = text.slice(Math.max(0, n.at - REACH), n.at);
  // a grant ends where its sentence began: the words right before the name must reach it
  return GRANT_BEFORE.test(before) || GRANT_IN.test(text.slice(n.at, n.end)) || GRANT_AFTER.test(text.slice(n.end, n.end + 20));
}

/** A name at the very start of the text is its title ("Mozilla Public License Version 2.0 ..."). */
const isTitle = (text: string, n: NoticeMatch): boolean => /^(?:the )?$/.test(text.slice(0, n.at).trim());

/** A name right after a granted one, joined by "or"/"and", is granted with it ("under the MIT or GPL licenses"). */
const JOINED = /^(?:(?!\b(?:means|see|unlike|than|not|no)\b).){0,80}$/;
const joined = (gap: string): boolean => (gap.trim() === '' || /\b(?:or|and)\b/.test(gap)) && JOINED.test(gap);

/**
 * The notices that count. When the file already has a licence (a text found, a notice that
 * grants one, or a licence title heading it), the other names count only as grants; a file
 * that only names licences, none granted, keeps them all (a bare list, as before).
 */
export function grantedNotices(text: string, notices: NoticeMatch[], hasText: boolean): NoticeMatch[] {
  const granted: NoticeMatch[] = [];
  for (const n of notices) {
    const prev = granted[granted.length - 1];
    if (isGrant(text, n) || (prev && joined(text.slice(prev.end, n.at)))) granted.push(n);
  }
  const title = notices.length > 0 && isTitle(text, notices[0]) ? notices[0] : undefined;
  if (!hasText && granted.length === 0 && !title) return notices;
  return notices.filter((n) => n === title || granted.includes(n));
}
