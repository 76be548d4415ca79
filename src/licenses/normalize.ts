/**
 * Licence text normalisation after the SPDX matching guidelines
 * (https://spdx.github.io/spdx-spec/v2.3/license-matching-guidelines-and-templates/): what the
 * guidelines say to ignore is removed, so two copies of a licence that differ only there give
 * the same word sequence.
 *
 * - case (2.1.4): everything is lowercased;
 * - whitespace (2.1.3), punctuation, quotes, hyphens and dashes (2.1.5-2.1.7): words are runs of
 *   letters and digits, with the dots inside version numbers kept (`2.1`), so punctuation and
 *   layout never count;
 * - markup (2.1.2): HTML tags and entities, Markdown links (the URL goes, the text stays),
 *   comment leaders and emphasis (`//`, `*`, `#`, `;`, `--`, `>`, `|`, `_`, Fortran's `c`) at the start of each line;
 * - bullets and list numbering (2.1.8) at the start of a line: `1.`, `(a)`, `iv.`, `*`, `-`, `•`;
 * - copyright notices (2.1.10): lines that are a copyright statement, and `all rights reserved`;
 * - template variables: `<<var;...>>` regions go; `<placeholder>`s of the plain texts become one word;
 * - varietal spellings (2.1.11): the guidelines' equivalent words (British/American pairs,
 *   `licence` → `license`, "copyright owner" = "copyright holder") and compounds written with or
 *   without a hyphen or space (`noninfringement` = `non-infringement`, `sublicense` = `sub-license`);
 * - `http` and `https` are the same word.
 */

/**
 * `\n`, `\r`, `\t` written out in a string literal (a licence kept in a JSON field or a JS
 * string): a line break, not the letter glued to the next word ("\nPermission" is no `npermission`).
 */
const ESCAPES = /\\[nrt]/g;
/** `<<var;...>>` and `<<beginOptional>>`-style markers of the SPDX templates. */
const TEMPLATE_MARKERS = /<<[^>]*>>/g;
/**
 * A `<placeholder>` of a licence template or a licence copied with its blanks unfilled
 * (`<organization>`, `<copyright holder>`, `<year>`): letters and spaces, not an HTML tag name.
 * It becomes one word, PLACEHOLDER, so the word diff sees a replaced stretch there (a name
 * left blank), not a name gone missing (see diff.ts).
 */
const PLACEHOLDERS = /<([a-z][a-z ]{0,40})>/g;
const HTML_TAGS = new Set(
  'a b i u p q s br hr li ol ul em tt dd dl dt th td tr h1 h2 h3 h4 h5 h6 pre div span code body html head title table strong small big sub sup center font blockquote cite'.split(' '),
);
export const PLACEHOLDER = 'tplvar';

/**
 * HTML/XML tags and `<placeholder>`s (`<year>`, `<copyright holders>`); ≤ 80 characters, one line.
 * Not a comment: `<!-- ... -->` on one line is where HTML and XML files keep their licence notice
 * (its markers are punctuation, dropped with the rest).
 */
const TAGS = /<(?!!--)[^<>\n]{0,80}>/g;
const ENTITIES = /&(?:[a-z]{2,8}|#\d{1,5});/g;
/** `[text](url)` → `text`; the text may wrap onto the next line (a licence re-wrapped in a comment). */
const MARKDOWN_LINKS = /\[([^\]]{0,300})\]\([^)\n]*\)/g;
// The patterns below run over the whole lowercased text, line by line through the `m` flag
// (one native pass each instead of a loop over lines): `[ \t]` never crosses a line end.

/** Comment leaders and quoting at the start of a line, repeated. */
const LEADERS = /^(?:[ \t]*(?:\/\/+|\/\*+|\*+\/?|#+|;+|--+|%+|>+|\|+|!+|_+|"|'|rem[ \t]|dnl[ \t]|@rem[ \t]|::|c(?=[ \t]|$)))+/gm;
/** One bullet or list number at the start of a line (after the comment leaders). */
const BULLET = /^[ \t]*(?:\(?(?:\d{1,3}|[a-z]|[ivx]{1,5})[.)](?=\s)|\([a-z0-9]{1,4}\)|[*•·◦▪‣+–-](?=\s))/gm;
/**
 * A copyright statement line: `Copyright (c) 2020 Someone`, `(C) 2001 ...`, `© ...`. Not a line
 * that only starts with the word inside a sentence ("copyright notice, this list of ..."). A
 * one-line header often goes on with its grant ("(c) 2012 Foo. Licensed under the MIT license",
 * "Copyright 2005 Foo. This file is distributed under ...", "copyright by Foo - free software
 * under the terms of the LGPL 2.1"): the statement ends where such a
 * sentence begins, and the grant is kept for the notice rules.
 */
/** Where a grant begins after a copyright statement on the same line. */
const GRANT_START = String.raw`(?<=all rights reserved\.?)|\b(?:licen[cs]ed|released|distributed|dual|permission (?:is|to)|redistribution and use|freedom to|grants? (?:you|to|the|permission|reproduction|use)|use of this|you (?:may|can)|free software(?![^a-z]*foundation)|under the (?:terms|conditions)\b|this (?:file|program|library|software|code|work|source|module|package|project|script|configure script|documentation)\b)`;
/** Words after "copyright" at a line start that make it a sentence wrapped there, not a statement. */
const COPYRIGHT_IN_SENTENCE = String.raw`notices?|holders?|owners?|and\b|or\b|is\b|are\b|was\b|were\b|in\b|to\b|of\b|for\b|on\b|may\b|shall\b|will\b|must\b|has\b|have\b|claimed|claims?\b|law|statement|license|licence|protection|infringement|interest|status|,|\.`;
/**
 * A statement is at most this many characters: a longer "line" is a file whose line breaks were
 * lost (a licence run into one line after its copyright line), and what follows is the text.
 */
const STATEMENT_CHARS = 200;
const COPYRIGHT_LINE = new RegExp(String.raw`^[ \t]*(?:copyright\b(?![ \t]*(?:${COPYRIGHT_IN_SENTENCE}))|\(c\)|©|all rights reserved)(?:(?!${GRANT_START}).){0,${STATEMENT_CHARS}}`, 'gm');
const RIGHTS_RESERVED = /all rights reserved\.?/g;
/** `GPLv2+`, `GPL-2.0+`, `LGPL 2.1+`: a version with a plus is "or later" (punctuation is dropped next). */
const OR_LATER_PLUS = /(\d)\+(?![\d+])/g;
/** `GPL (>= 2)`, R's DESCRIPTION style: version 2 or later. */
const OR_LATER_GTE = /\(\s*>=\s*(\d+(?:\.\d+)*)\s*\)/g;
/**
 * Licence names joined by a slash offer a choice ("MPL 1.1/GPL 2.0/LGPL 2.1", "a dual BSD/GPLv2
 * license", "GPL/LGPL"), as `MIT/Apache-2.0` is in an expression: the slash becomes "or", which
 * the notice rules read as one. Only between abbreviations people write (with a version), so
 * paths and URLs (`licenses/gpl-2.0`) and compound names (`MIT/X11`) keep their slash dropped.
 */
const ABBREVIATIONS = String.raw`(?:a|l)?gpl|mpl|epl|cddl|mit|bsd|apache|artistic|afl|asl|isc|osl`;
// the slash first: the scan stops only at slashes, then looks back for the name before it
const SLASH_CHOICE = new RegExp(String.raw`\/(?<=(?:^|[\s(,;:"'/])(?:${ABBREVIATIONS})(?:[ -]?v?\d+(?:\.\d+)*\+?)?[ \t]?\/)[ \t]?(?=(?:${ABBREVIATIONS})(?:v?\d|(?![a-z])))`, 'gm');
/** `v.2.1`, `ver.3`: the abbreviation and its version are two words, as in `v 2.1` (else `v.2.1` is one). */
const VERSION_ABBREVIATION = /\b(v|ver)\.(?=\d)/g;
/**
 * Letters and digits, with version dots (`2.1`). Non-ASCII letters by ranges (Latin-1 letters,
 * Latin Extended to Greek Extended, CJK and the rest below the surrogates) rather than `\p{L}`,
 * which is several times slower; the General Punctuation block (dashes, quotes) is left out.
 */
const WORDS = /[a-z0-9\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u1fff\u2c00-\ud7ff\uf900-\ufdff\ufe70-\ufeff\uff10-\uffef]+(?:\.\d+)*/g;

/** British → American and other equivalent spellings (SPDX "equivalent words", the common ones). */
const VARIETAL = new Map<string, string>(
  Object.entries({
    licence: 'license',
    licences: 'licenses',
    licenced: 'licensed',
    licencing: 'licensing',
    sublicence: 'sublicense',
    sublicences: 'sublicenses',
    acknowledgement: 'acknowledgment',
    acknowledgements: 'acknowledgments',
    analogue: 'analog',
    authorise: 'authorize',
    authorised: 'authorized',
    behaviour: 'behavior',
    centre: 'center',
    favour: 'favor',
    offence: 'offense',
    organisation: 'organization',
    organisations: 'organizations',
    practise: 'practice',
    recognise: 'recognize',
    recognised: 'recognized',
    whilst: 'while',
    // the rest of the SPDX guidelines' equivalent words (equivalentwords.txt)
    analyse: 'analyze',
    artefact: 'artifact',
    authorisation: 'authorization',
    calibre: 'caliber',
    cancelled: 'canceled',
    capitalisations: 'capitalizations',
    catalogue: 'catalog',
    categorise: 'categorize',
    emphasised: 'emphasized',
    favourite: 'favorite',
    fulfil: 'fulfill',
    fulfilment: 'fulfillment',
    initialise: 'initialize',
    judgement: 'judgment',
    labelling: 'labeling',
    labour: 'labor',
    maximise: 'maximize',
    modelled: 'modeled',
    modelling: 'modeling',
    optimise: 'optimize',
    organise: 'organize',
    programme: 'program',
    realise: 'realize',
    signalling: 'signaling',
    utilisation: 'utilization',
    wilful: 'willful',
    https: 'http',
  }),
);

/** Compounds written with or without a hyphen: the unhyphenated form becomes two words. */
const COMPOUNDS = new Map<string, [string, string]>(
  Object.entries({
    nonexclusive: ['non', 'exclusive'],
    noninfringement: ['non', 'infringement'],
    noncommercial: ['non', 'commercial'],
    sublicensable: ['sub', 'licensable'],
    sublicense: ['sub', 'license'],
    sublicenses: ['sub', 'licenses'],
    sublicensed: ['sub', 'licensed'],
    sharealike: ['share', 'alike'],
    noderivatives: ['no', 'derivatives'],
    noderivs: ['no', 'derivs'],
    percent: ['per', 'cent'],
  }) as [string, [string, string]][],
);

/** The words of a licence text (or any text) as the matcher compares them. */
export function licenseWords(text: string): string[] {
  const cleaned = text
    .toLowerCase()
    .replace(/\r\n?/g, '\n')
    .replace(/^\uFEFF/, '')
    .replace(ESCAPES, ' ')
    .replace(TEMPLATE_MARKERS, ' ')
    .replace(MARKDOWN_LINKS, '$1')
    .replace(PLACEHOLDERS, (tag, name: string) => (HTML_TAGS.has(name.trim()) ? ' ' : ` ${PLACEHOLDER} `))
    .replace(TAGS, ' ')
    .replace(ENTITIES, ' ')
    .replace(LEADERS, '')
    .replace(COPYRIGHT_LINE, '')
    .replace(BULLET, ' ')
    .replace(RIGHTS_RESERVED, ' ')
    .replace(SLASH_CHOICE, ' or ')
    .replace(OR_LATER_PLUS, '$1 or later ')
    .replace(OR_LATER_GTE, ' $1 or later ')
    .replace(VERSION_ABBREVIATION, '$1 ');
  const words = cleaned.match(WORDS) ?? [];
  const out: string[] = [];
  for (const word of words) {
    const w = VARIETAL.get(word) ?? word;
    const pair = COMPOUNDS.get(w);
    if (pair) out.push(pair[0], pair[1]);
    // "copyright owner" is "copyright holder" (SPDX equivalent words)
    else if ((w === 'owner' || w === 'owners') && out[out.length - 1] === 'copyright') out.push(w === 'owner' ? 'holder' : 'holders');
    else out.push(w);
  }
  return out;
}

/** The normalised text as one string (words joined by single spaces): for exact comparison and notices. */
export function normalizeLicenseText(text: string): string {
  return licenseWords(text).join(' ');
}
