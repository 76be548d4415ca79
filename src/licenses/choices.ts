import { furtherOr, gapBefore, offeredAsSecondary } from './grants.js';
import type { NoticeMatch } from './notices.js';

/**
 * How the licences a file's notices name combine: all apply (`AND`), or the recipient picks one
 * (`OR`). Notices are read in lists: names side by side (a comma or slash list, normalised away),
 * or joined by "or"/"and". A list is a choice when it says so: "or" between its names, "dual",
 * "tri" or "multi" licensing, "either", "at your option", "any of the following", "alternatively".
 * Everything else (names in separate sentences, "and" without a choice word) applies together.
 */

/** Words before a list (within BEFORE characters of its first name) that make it a choice ("the following licenses as alternatives"). */
const CHOICE_BEFORE = /\b(?:dual|dually|tri|triple|multi|multiple|either|choice|alternatively|alternatives)\b|\b(?:any|one or more|one|each) of the following\b/;
const BEFORE = 80;
/** "At your option" and the ways licences word it, in normalised text. */
const AT_OPTION = String.raw`at (?:your|the licensee s|the user s|the recipient s) (?:option|choice|discretion)`;
/** Words right after a list's last name that make it a choice ("GPL 2.0/LGPL 2.1/MPL 1.1 tri-license", "(at your choice)"). */
const CHOICE_AFTER = new RegExp(String.raw`^(?: licen[cs]es?| licen[cs]ed)? (?:(?:dual|dually|tri|triple|multi) ?licen[cs]|${AT_OPTION})`);
/**
 * In a list opened as a choice ("multi licensed ... any of the following licenses"), the words
 * between two names may be each item's abbreviation and URL; they may not be a sentence of their
 * own ("Dual licensed under MIT or GPL. The documentation is under ..."): no verb or grant there.
 */
const SENTENCE_WORDS = /\b(?:is|are|be|was|were|under|licensed|released|distributed|except|however|but|files?|documentation|docs|this|these|which|that|it|its|they|we|you)\b/;
/** A name that comes with a grant of its own ("under the MIT license") opens another sentence's grant. */
const OWN_GRANT = /^(?:under|licen[cs]ed|released|distributed)\b/;
/** How far apart two names of a choice list may be, with nothing but items' labels and URLs between. */
const LIST_GAP = 120;
/** "At your option" after a name, past its own label and URL ("the MIT license <LICENSE-MIT or URL>, at your option"). */
const OPTION = new RegExp(String.raw`\b${AT_OPTION}\b`);
const OPTION_REACH = 80;

/** Whether "at your option" closes the list at notice `n`, nothing but a label or URL between. */
function optionFollows(text: string, n: NoticeMatch): boolean {
  const after = text.slice(n.end, n.end + OPTION_REACH);
  const m = OPTION.exec(after);
  return m !== null && !SENTENCE_WORDS.test(after.slice(0, m.index));
}

/** Whether notice `n` continues the list whose last name is `prev`, and whether that join says "or". */
function join(text: string, prev: NoticeMatch, n: NoticeMatch, choice: boolean, alreadyOr: boolean): { joined: boolean; or: boolean } {
  const gap = gapBefore(text, prev, n);
  // "... Alternatively, this file may be used under the terms of ...": a choice, as ScanCode reads it
  // (the sentence that names the next licence: the first one's disclaimer may stand between them)
  if (/\balternatively\b/.test(text.slice(Math.max(prev.end, n.at - 120), n.at))) return { joined: true, or: true };
  // ... and so is EPL-2.0's offer of its Secondary Licenses beside it
  if (offeredAsSecondary(text, n.at)) return { joined: true, or: true };
  if (gap.trim() === '') return { joined: true, or: false };
  const or = /\bor\b/.test(gap);
  const and = /\band\b/.test(gap);
  if (gap.length < 60 && or && (!and || choice)) return { joined: true, or: true };
  // "the Apache License, Version 2.0 <LICENSE-APACHE or URL> or the MIT license <...>, at your
  // option": the first name's file and URL stand in the gap, the choice word after the last name
  if (or && gap.length < LIST_GAP && !SENTENCE_WORDS.test(gap) && optionFollows(text, n)) return { joined: true, or: true };
  if (gap.length < 30 && and && choice) return { joined: true, or: false };
  if (choice && gap.length < LIST_GAP && !SENTENCE_WORDS.test(gap) && !OWN_GRANT.test(text.slice(n.at, n.end))) return { joined: true, or: false };
  // a further "or" carries a choice already made ("either A or B ... or, for software, C")
  if (alreadyOr && furtherOr(gap)) return { joined: true, or: true };
  return { joined: false, or: false };
}

interface List {
  ids: string[];
  first: NoticeMatch;
  last: NoticeMatch;
  or: boolean;
}

/** Notices in lists, in text order. */
function lists(text: string, notices: NoticeMatch[]): List[] {
  const out: List[] = [];
  for (const n of notices) {
    const list = out[out.length - 1];
    const choice = list !== undefined && (opensChoice(text, list.first) || opensChoice(text, list.last));
    const j = list ? join(text, list.last, n, choice, list.or) : { joined: false, or: false };
    if (list && j.joined) {
      list.ids.push(...n.id.split(' OR '));
      list.last = n;
      // a join inside a list opened as a choice makes it one, whatever joins it
      list.or ||= j.or || choice;
    } else out.push({ ids: n.id.split(' OR '), first: n, last: n, or: n.id.includes(' OR ') });
  }
  return out;
}

const opensChoice = (text: string, n: NoticeMatch): boolean => CHOICE_BEFORE.test(text.slice(Math.max(0, n.at - BEFORE), n.at));

const isChoice = (text: string, list: List): boolean => list.or || opensChoice(text, list.first) || CHOICE_AFTER.test(text.slice(list.last.end, list.last.end + 40));

/**
 * The choices a file's notices offer among licences whose texts it holds ("available under either
 * the modified BSD license or the Academic Free License version 2.1; both texts are reproduced
 * below", a dual-licence line above both texts): each list that is a choice, names at least one
 * licence whose text is there (`texts`), and names only licences that are there (a text, or a
 * notice that grants it: `granted`).
 */
export function textChoices(text: string, notices: NoticeMatch[], texts: ReadonlySet<string>, granted: ReadonlySet<string>): string[][] {
  const out: string[][] = [];
  for (const list of lists(text, notices)) {
    const ids = [...new Set(list.ids)];
    if (ids.length < 2 || !ids.some((id) => texts.has(id)) || !ids.every((id) => texts.has(id) || granted.has(id))) continue;
    if (isChoice(text, list)) out.push(ids);
  }
  return out;
}

/**
 * The notices as one SPDX expression: each list that is a choice as `A OR B`, every other name on
 * its own, all of them joined by AND. A licence that is one of the alternatives is not also
 * required on its own (the notice names it twice).
 */
export function noticeExpression(text: string, notices: NoticeMatch[]): string | null {
  const groups: string[][] = [];
  for (const list of lists(text, notices)) {
    if (isChoice(text, list)) groups.push(list.ids);
    else groups.push(...list.ids.map((id) => [id]));
  }
  const choices = groups.map((g) => [...new Set(g)]);
  const inChoice = new Set(choices.filter((g) => g.length > 1).flat());
  const parts = [...new Set(choices.filter((g) => g.length > 1 || !inChoice.has(g[0])).map((g) => (g.length > 1 ? `(${g.join(' OR ')})` : g[0])))];
  if (parts.length === 0) return null;
  if (parts.length === 1) return parts[0].replace(/^\((.*)\)$/, '$1');
  return parts.join(' AND ');
}
