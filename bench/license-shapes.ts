/**
 * How the licence matcher reads the SPDX texts in the shapes copies take: as published, with
 * their blanks filled in, as a C or shell comment above code, without their title line, under a
 * README, as HTML, cut (first 60% or 80% of the words, last 70%), re-wrapped into one line, with
 * two sentences of a project's own added between its sentences, without its title and
 * disclaimer of warranty, or with that disclaimer reworded in a project's own words; two short
 * licences one after the other (`pairs`: each must be read, and nothing else);
 * and how the notice rules read each licence's SPDX name in a grant ("Licensed under the X.",
 * "The contents of this file are subject to the X (the "License")"). A text counts as read when
 * the detector's expression is its id (or an id with the same text). Prints the failures of
 * each shape per licence with `-v`. Not a test: a tool for finding general weaknesses.
 *
 *   node dist/bench/license-shapes.js [shape,shape...] [-v]
 */
import { createRequire } from 'node:module';
import { loadCorpus } from '../src/licenses/corpus.js';
import { detectText } from '../src/licenses/detect.js';
import { expressionKey, normalizeExpression } from '../src/licenses/expression.js';
import { licenseWords } from '../src/licenses/normalize.js';

const require = createRequire(import.meta.url);

const PROSE = '# widgetlib\n\nA small library for parsing widgets. It has no dependencies.\n\n## Usage\n\nCall parse() with a string; it returns a tree. Contributions are welcome.';
const PROSE_AFTER = '## Authors\n\nWritten by Jane Doe with help from the community. Thanks to everyone who sent patches.';

function wrap(text: string, width: number): string {
  return text
    .split(/\n\s*\n/)
    .map((paragraph) => {
      const lines: string[] = [];
      let line = '';
      for (const word of paragraph.split(/\s+/).filter(Boolean)) {
        if (line && `${line} ${word}`.length > width) [lines[lines.length], line] = [line, word];
        else line = line ? `${line} ${word}` : word;
      }
      if (line) lines.push(line);
      return lines.join('\n');
    })
    .join('\n\n');
}

const fill = (t: string): string =>
  t
    .replace(/<(?:year|yyyy)>|\[(?:year|yyyy)\]/gi, '2003')
    .replace(/<[a-z][a-z ]{0,40}>/gi, 'Acme Widgets, Inc.')
    .replace(/\[(?:name of copyright owner|fullname|name|owner|copyright holder)\]/gi, 'Acme Widgets, Inc.');

const cut = (t: string, from: number, to: number): string => {
  const parts = fill(t).split(/(\s+)/);
  return parts.slice(Math.floor(parts.length * from), Math.floor(parts.length * to)).join('');
};

const commented = (t: string, prefix: string): string =>
  wrap(fill(t), 70)
    .split('\n')
    .map((l) => `${prefix}${l}`.trimEnd())
    .join('\n');

/** Sentences of a project's own, as copies add them between a licence's clauses. */
const ADDED = [
  'This notice applies to every file in the widget distribution unless a file says otherwise.',
  'Questions about these terms may be sent to the maintainers at the address given in the README file of this package.',
];

/** The text with the two sentences above put between its own, at a third and two thirds of it. */
function withAdded(t: string): string {
  const sentences = t.split(/(?<=[.;:])\s+/);
  ADDED.forEach((s, k) => sentences.splice(Math.floor((sentences.length * (k + 1)) / (ADDED.length + 1)) + k, 0, s));
  return sentences.join('\n');
}

/**
 * A paragraph that disclaims warranty and liability and grants or asks nothing ("THIS SOFTWARE
 * IS PROVIDED ... AS IS", "IN NO EVENT SHALL ... BE LIABLE"): what copies leave out or reword.
 */
const isDisclaimer = (p: string): boolean => /warrant/i.test(p) && /\bas[ -]is\b|liab|damage/i.test(p) && !/permission|redistribution|granted|hereby|permitted|you may|must\b/i.test(p);

/** A disclaimer in a project's own words. */
const OWN_DISCLAIMER = 'This software comes with no warranty of any kind. Its authors accept no liability for any harm that comes from using it.';

/**
 * The text without its first line when a blank line follows it (a title, where it has one: a
 * title names the licence whatever the rest says) and with its disclaimer paragraphs replaced by `by` (removed when
 * empty); null when it has none.
 */
function disclaimerReplaced(t: string, by: string): string | null {
  const paragraphs = fill(t)
    .replace(/^\s*[^\n]{0,80}\n[ \t]*\n/, '')
    .split(/\n\s*\n/);
  if (!paragraphs.some(isDisclaimer)) return null;
  const out: string[] = [];
  for (const p of paragraphs)
    if (!isDisclaimer(p)) out.push(p);
    else if (by && out[out.length - 1] !== by) out.push(by);
  return out.join('\n\n');
}

/** Shapes return null where they do not apply (a licence without a disclaimer paragraph). */
const SHAPES: Record<string, (t: string, name: string) => string | null> = {
  raw: (t) => t,
  filled: fill,
  comment: (t) =>
    `/*\n${wrap(fill(t), 70)
      .split('\n')
      .map((l) => ` * ${l}`)
      .join('\n')}\n */\n\nint main(void) { return 0; }\n`,
  hashes: (t) =>
    `${wrap(fill(t), 60)
      .split('\n')
      .map((l) => `# ${l}`)
      .join('\n')}\n\nimport os\n`,
  notitle: (t) => fill(t).replace(/^\s*[^\n]{0,80}\n/, ''),
  readme: (t) => `${PROSE}\n\n## License\n\n${fill(t)}\n\n${PROSE_AFTER}`,
  html: (t) =>
    `<html><body>${fill(t)
      .split(/\n\s*\n/)
      .map((p) => `<p>${p.replace(/"/g, '&quot;')}</p>`)
      .join('\n')}</body></html>`,
  head60: (t) => cut(t, 0, 0.6),
  head80: (t) => cut(t, 0, 0.8),
  tail70: (t) => cut(t, 0.3, 1),
  oneline: (t) => fill(t).replace(/\s+/g, ' '),
  slashes: (t) => `${commented(t, '// ')}\n\npackage main\n`,
  lisp: (t) => `${commented(t, ';; ')}\n\n(defun main () nil)\n`,
  dnl: (t) => `${commented(t, 'dnl ')}\n\nAC_INIT([widget], [1.0])\n`,
  head40: (t) => cut(t, 0, 0.4),
  added: (t) => withAdded(fill(t)),
  clauses: (t) => disclaimerReplaced(t, ''),
  reworded: (t) => disclaimerReplaced(t, OWN_DISCLAIMER),
  grant: (t, name) => `Licensed under the ${name}.`,
  subject: (t, name) => `The contents of this file are subject to the ${name} (the "License"); you may not use this file except in compliance with the License.`,
};

const args = process.argv.slice(2);
const verbose = args.includes('-v');
const shapes = args.find((a) => !a.startsWith('-'))?.split(',') ?? [...Object.keys(SHAPES), 'pairs'];
const full = require('spdx-license-list/full') as Record<string, { licenseText: string; name: string }>;
const current = new Set(require('spdx-license-ids') as string[]);
const sameText = new Map<string, string[]>();
for (const l of loadCorpus().licenses) for (const id of [l.id, ...l.aliases]) sameText.set(id, [l.id, ...l.aliases]);
/** How a wrong answer is wrong: nothing found, the licence plus others (a spurious extra), or another licence. */
function kind(got: string | null, ids: string[]): 'none' | 'extra' | 'other' {
  if (got === null) return 'none';
  const parts = got.split(/\s+(?:AND|OR|WITH)\s+|[()]/).filter(Boolean);
  return parts.length > 1 && parts.some((p) => ids.includes(p)) ? 'extra' : 'other';
}

/**
 * Ids whose text in this shape is the same words as each licence's (BSD-3-Clause and a variant
 * that differs from it only in its disclaimer are one text without it): either answer is right.
 */
function sameShapedText(shape: string): Map<string, string[]> {
  const byWords = new Map<string, string[]>();
  const key = new Map<string, string>();
  for (const [id, { licenseText, name }] of Object.entries(full)) {
    const shaped = SHAPES[shape](licenseText, name);
    if (!current.has(id) || !sameText.has(id) || shaped === null) continue;
    const k = licenseWords(shaped).join(' ');
    key.set(id, k);
    byWords.set(k, [...(byWords.get(k) ?? []), ...sameText.get(id)!]);
  }
  return new Map([...key].map(([id, k]) => [id, byWords.get(k)!]));
}

/**
 * Short licences that bundles put one after another (a package's own licence, then a vendored
 * one's), with the near relatives that share most of their words (BSD's clause counts, MIT's
 * variants): each ordered pair of two different texts must read as both, no more, no fewer.
 */
const PAIRED =
  'MIT ISC BSD-2-Clause BSD-3-Clause BSD-4-Clause BSD-4-Clause-UC 0BSD Zlib X11 MIT-0 BSD-2-Clause-Patent BSD-3-Clause-Attribution BSD-3-Clause-Clear BSD-3-Clause-LBNL BSD-1-Clause PostgreSQL NCSA curl Libpng HPND Unlicense WTFPL BSL-1.0 Apache-1.1 OpenSSL-standalone SSLeay-standalone Beerware JSON UPL-1.0 MIT-CMU'.split(
    ' ',
  );

function pairs(): void {
  const failures: string[] = [];
  const kinds = { none: 0, extra: 0, other: 0 };
  let cases = 0;
  for (const a of PAIRED)
    for (const b of PAIRED) {
      if (a === b) continue;
      cases++;
      const got = detectText(`${full[a].licenseText}\n\n${full[b].licenseText}`)?.expression ?? null;
      // SPDX's OpenSSL is its two standalone parts one after the other: either answer is right
      const both = [`${a} AND ${b}`, ...(new Set([a, b, 'OpenSSL-standalone', 'SSLeay-standalone']).size === 2 ? ['OpenSSL'] : [])];
      if (both.some((e) => expressionKey(got) === expressionKey(e))) continue;
      const parts = got?.split(/\s+(?:AND|OR|WITH)\s+|[()]/).filter(Boolean) ?? [];
      const k = got === null ? 'none' : parts.includes(a) && parts.includes(b) ? 'extra' : 'other';
      kinds[k]++;
      failures.push(`${a} + ${b} -> ${got} [${k}]`);
    }
  console.log(`pairs: ${cases - failures.length}/${cases} read as both licences (none ${kinds.none}, extra licences ${kinds.extra}, other ${kinds.other})`);
  if (verbose) for (const f of failures) console.log(`  ${f}`);
}

for (const shape of shapes) {
  if (shape === 'pairs') {
    pairs();
    continue;
  }
  const failures: string[] = [];
  const kinds = { none: 0, extra: 0, other: 0 };
  const same = sameShapedText(shape);
  let cases = 0;
  for (const [id, { licenseText, name }] of Object.entries(full)) {
    if (!current.has(id) || !sameText.has(id)) continue;
    const shaped = SHAPES[shape](licenseText, name);
    if (shaped === null) continue;
    cases++;
    const got = detectText(shaped)?.expression ?? null;
    const ids = same.get(id)!;
    if (got !== null && (ids.includes(got) || expressionKey(got) === expressionKey(normalizeExpression(id)))) continue;
    const k = kind(got, ids);
    kinds[k]++;
    failures.push(`${id} -> ${got} [${k}]`);
  }
  console.log(`${shape}: ${cases - failures.length}/${cases} read as their licence (none ${kinds.none}, extra licences ${kinds.extra}, other ${kinds.other})`);
  if (verbose) for (const f of failures) console.log(`  ${f}`);
}
