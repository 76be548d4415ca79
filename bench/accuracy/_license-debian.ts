/**
 * Licence texts and notices as projects really write them, labelled by Debian's maintainers: the
 * machine-readable copyright files (DEP-5, `Format: .../copyright-format/1.0/`) installed under
 * /usr/share/doc/PACKAGE/copyright on the machine that runs the bench. Read at run time, never
 * copied into the repository; the bench skips with a message when there are none.
 *
 * Each `License:` field with a body (a stand-alone License paragraph, which gives the text of a
 * name the Files paragraphs use, or a Files paragraph's own text) is a case: the body is the
 * text, its short name (mapped to SPDX by _license-debian-names.ts; names without a certain SPDX
 * reading are skipped and counted) the label. DEP-5 continuation lines start with a space and
 * ` .` is an empty line. Debian's pointer to its own copy of the licence ("On Debian systems, the
 * complete text ... /usr/share/common-licenses/GPL-2") is Debian's, not the project's: sentences
 * holding it are taken out, and a body that was only such a pointer is dropped. Identical texts
 * (lower case, letters and digits) are one case; a text two packages label differently is
 * dropped and counted. Split, like the other sets, by a hash (splitOf) of the normalised text.
 *
 * Kinds, by the label: `multi` (several licences, or a licence WITH an exception), `text` (one
 * licence, the body at least half as many words as its SPDX text) and `notice` (one licence, a
 * shorter body: a grant or a header that names the licence).
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { expressionKey, licensesOf, parseExpression } from '../../src/licenses/expression.js';
import { debianToSpdx } from './_license-debian-names.js';
import { splitOf, type Split } from './_license-data.js';
import { runLicensecheck } from './_licensecheck.js';
import { withReviewedLabels } from './_license-reviewed.js';

const require = createRequire(import.meta.url);

export const DOC_ROOT = '/usr/share/doc';
const DEP5 = /^Format:\s*\S*copyright-format\/1\.0/im;

/** One deb822 paragraph: field name (lower case) → value, continuation lines joined by `\n`. */
type Paragraph = Map<string, string>;

/** The paragraphs of a DEP-5 file; in values, continuation lines lose their leading space and ` .` is an empty line. */
export function parseDep5(text: string): Paragraph[] {
  const out: Paragraph[] = [];
  let current: Paragraph | undefined;
  let field: string | undefined;
  for (const line of text.replace(/\r\n?/g, '\n').split('\n')) {
    if (line.trim() === '') {
      current = undefined;
      field = undefined;
      continue;
    }
    if (line.startsWith('#')) continue; // deb822 comment
    if (/^[ \t]/.test(line)) {
      if (current && field) current.set(field, `${current.get(field)}\n${line.trim() === '.' ? '' : line.slice(1)}`);
      continue;
    }
    const m = /^([^:\s][^:]*):[ \t]*(.*)$/.exec(line);
    if (!m) continue;
    if (!current) out.push((current = new Map()));
    field = m[1].toLowerCase();
    current.set(field, m[2].trimEnd());
  }
  return out;
}

/** A sentence that points to Debian's copy of the licence instead of stating it. */
const POINTER = /\/usr\/share\/common-licenses|\bdebian (?:gnu\/linux |gnu\/\w+ )?systems?\b/i;
/** Sentence ends (a stop then space) and paragraph breaks, kept as separators. */
const SENTENCES = /((?<=[.!?]['"`’)]?)\s+|\n[ \t]*\n)/;
/** Fewer words than this left after the pointer: the body was only a pointer. */
const MIN_WORDS = 8;

/** The body without Debian's pointer sentences. */
export function withoutPointers(body: string): string {
  const parts = body.split(SENTENCES);
  let out = '';
  for (let i = 0; i < parts.length; i += 2) if (!POINTER.test(parts[i])) out += parts[i] + (parts[i + 1] ?? '');
  return out.trim();
}

const wordCount = (s: string): number => s.match(/[a-z0-9]+/gi)?.length ?? 0;
const normalised = (s: string): string =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();

export type Kind = 'text' | 'notice' | 'multi';

export interface DebianCase {
  /** `package:paragraph:short name` of the first copy found */
  name: string;
  /** a hash of the normalised text: names the case whatever packages a system has installed */
  textKey: string;
  debianName: string;
  text: string;
  expected: string;
  kind: Kind;
  split: Split;
}

let referenceWords: Map<string, number> | undefined;

/** Words in the SPDX text of a licence id, or undefined. */
function spdxWords(id: string): number | undefined {
  if (!referenceWords) {
    const full = require('spdx-license-list/full') as Record<string, { licenseText: string }>;
    referenceWords = new Map(Object.entries(full).map(([k, v]) => [k, wordCount(v.licenseText)]));
  }
  return referenceWords.get(id) ?? referenceWords.get(id.replace(/-(?:only|or-later)$/, ''));
}

function kindOf(expected: string, text: string): Kind {
  const node = parseExpression(expected);
  if (!node || !('license' in node) || node.exception || licensesOf(node).length !== 1) return 'multi';
  const reference = spdxWords(expected);
  return reference !== undefined && wordCount(text) >= 0.5 * reference ? 'text' : 'notice';
}

/** Every package folder whose copyright file is DEP-5, by the real file (packages may share one through a link). */
function dep5Files(root: string): Map<string, string[]> {
  const byFile = new Map<string, string[]>();
  let names: string[];
  try {
    names = readdirSync(root).sort();
  } catch {
    return byFile;
  }
  for (const name of names) {
    const file = path.join(root, name, 'copyright');
    if (!statSync(file, { throwIfNoEntry: false })?.isFile()) continue;
    const real = realpathSync(file);
    if (!byFile.has(real) && !DEP5.test(readFileSync(real, 'utf8').slice(0, 400))) continue;
    byFile.set(real, [...(byFile.get(real) ?? []), name]);
  }
  return byFile;
}

export interface DebianCases {
  cases: DebianCase[];
  stats: Record<string, unknown>;
}

/** The labelled, deduplicated cases of the DEP-5 files under `root`. */
export function debianCases(root = DOC_ROOT): DebianCases {
  const files = dep5Files(root);
  const unmapped = new Map<string, number>();
  const byText = new Map<string, DebianCase | null>();
  let bodies = 0;
  let pointerOnly = 0;
  let duplicates = 0;
  let conflicts = 0;
  for (const [file, packages] of files) {
    parseDep5(readFileSync(file, 'utf8')).forEach((p, index) => {
      const value = p.get('license');
      const at = value?.indexOf('\n') ?? -1;
      if (value === undefined || at < 0) return;
      const debianName = value.slice(0, at).trim();
      const text = withoutPointers(value.slice(at + 1));
      bodies++;
      if (wordCount(text) < MIN_WORDS) return void pointerOnly++;
      const expected = debianToSpdx(debianName);
      if (!expected) return void unmapped.set(debianName, (unmapped.get(debianName) ?? 0) + 1);
      const key = normalised(text);
      const seen = byText.get(key);
      if (seen === undefined) {
        byText.set(key, {
          name: `${packages[0]}:${index}:${debianName}`,
          textKey: createHash('sha256').update(key).digest('hex').slice(0, 16),
          debianName,
          text,
          expected,
          kind: kindOf(expected, text),
          split: splitOf(key),
        });
      } else if (seen === null || expressionKey(seen.expected) === expressionKey(expected)) duplicates++;
      else {
        byText.set(key, null); // two labels for one text: neither can be trusted
        conflicts++;
      }
    });
  }
  const cases = [...byText.values()].filter((c): c is DebianCase => c !== null);
  const topUnmapped = [...unmapped.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 25)
    .map(([n, k]) => `${n} (${k})`);
  const stats = {
    copyright_files: files.size,
    package_folders: [...files.values()].reduce((n, p) => n + p.length, 0),
    license_bodies: bodies,
    dropped: {
      pointer_only: pointerOnly,
      duplicate_texts: duplicates,
      texts_with_two_labels: conflicts,
      names_without_spdx_reading: [...unmapped.values()].reduce((a, b) => a + b, 0),
      most_common_unread_names: topUnmapped,
    },
  };
  return { cases, stats };
}

/** The system the copyright files came from (the figure is of that installation). */
export function systemName(): string {
  try {
    return /^PRETTY_NAME="?([^"\n]*)/m.exec(readFileSync('/etc/os-release', 'utf8'))?.[1] ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

/** licensecheck's answers on the cases' texts, written one per file to a temporary folder. */
export function licensecheckAnswers(cases: DebianCase[]): { answers: (string | null)[]; seconds: number } | null {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'thresher-debian-'));
  try {
    const files = cases.map((c, i) => {
      const file = path.join(dir, `${i}.txt`);
      writeFileSync(file, c.text);
      return file;
    });
    const run = runLicensecheck(files);
    return run && { answers: files.map((f) => run.answers.get(f) ?? null), seconds: run.seconds };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Tuning cases whose Debian label is not what the text says, or names a family where SPDX has the
 * text's own id (found in tuning failures; held-out failures are not read). They stay counted as
 * failures. Names are package:paragraph:short name on the system in `system`.
 */
const LABEL_QUESTIONS: Record<string, string> = {
  'bash:12:Latex2e': "Latex2e-translated-notice's wording ('may be stated in a translation approved by the Foundation') with a paragraph on processing the file through TeX; not SPDX's Latex2e text",
  'bash:14:BSD-4-clause-UC': "clause 3 (the advertising clause) reads '<removed>': what is left is BSD-3-Clause's text",
  'dirmngr:21:BSD-3-clause':
    "clause 1 is Ts'o's ('the entire permission notice in its entirety, including the disclaimer of warranties'), SPDX's BSD-3-Clause-Tso; only the disclaimer keeps BSD-3-Clause's words",
  'e2fsprogs:39:BSD-3-Clause': "word for word SPDX's BSD-3-Clause-Tso",
  'libblas3:5:BSD-3-clause': "word for word SPDX's BSD-3-Clause-Open-MPI (BSD-3-Clause with a paragraph on patents)",
  'libde265-0:9:BSD-4-clause': "the University of California's text, SPDX's BSD-4-Clause-UC",
  'libhdf5-103-1:1:BSD-3-clause': "HDF5's own licence (SPDX HDF5) followed by LBNL's (BSD-3-Clause-LBNL)",
  'libipt2:3:Expat': 'the text is BSD-3-Clause, not Expat',
  'libjsr305-java:4:CC-BY-SA-3.0': "the text is 'Attribution 3.0 Unported', CC-BY-3.0 (no ShareAlike)",
  'libopenjp2-7:48:BSD-3': 'the third clause is the advertising clause and there is no non-endorsement clause: not BSD-3-Clause (no SPDX text has exactly these three clauses)',
  'libplexus-classworlds-java:5:Apache-1.1': "the Classworlds licence, SPDX's Plexus (an Apache-1.1-style text)",
  'libsasl2-2:33:FSFULLR': "with the warranty paragraph: SPDX's FSFULLRWD",
  'libsasl2-2:48:OpenSSL': "the OpenSSL part alone, without SSLeay's: SPDX's OpenSSL-standalone (SPDX's OpenSSL is both)",
  'libsndfile1:54:NTP': 'not NTP: no supporting-documentation or name clause (an HPND-style notice)',
  'less:2:GPL-3+': "the notice names no version ('a copy of the GNU General Public License')",
  'libio-html-perl:5:GPL-3+': "the notice says 'either version 2, or (at your option) any later version'",
  'libsndfile1:47:LGPL-2+': "the notice says 'either version 2 of the License.', no 'or later'",
  'linux-libc-dev:12:LGPL-2.1': "the notice says 'or (at your option) any later version'",
  'libpulse0:1:LGPL-2.1+': "a discussion quoting upstream: the client library is LGPL, 'the server part ... GPL licensed'; both are granted",
  'python3-httplib2:8:LGPL-2.1+': "the notice says 'version 2.1 of the License.', no 'or later'",
};

const FAILURES_SHOWN = 40;

interface Outcome {
  c: DebianCase;
  got: string | null;
}

/** Counts per split; failures of the tuning half only (held-out texts are not to be read). */
function score(outcomes: Outcome[], withFailures: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const split of ['held_out', 'tuning'] as const) {
    const part = outcomes.filter((o) => o.c.split === split);
    const wrong = part.filter((o) => expressionKey(o.got) !== expressionKey(o.c.expected));
    const accuracy = part.length ? Number(((part.length - wrong.length) / part.length).toFixed(4)) : null;
    out[split] = { cases: part.length, correct: part.length - wrong.length, accuracy };
    if (split === 'tuning' && withFailures)
      (out[split] as Record<string, unknown>).failures = wrong.slice(0, FAILURES_SHOWN).map((o) => ({ name: o.c.name, debian: o.c.debianName, expected: o.c.expected, got: o.got }));
  }
  return out;
}

/** Ours (`detect`) and licensecheck on the Debian cases, per kind; skipped when there are no DEP-5 files. */
export function evaluateDebian(detect: (text: string) => string | null, root = DOC_ROOT): Record<string, unknown> {
  const { cases, stats } = debianCases(root);
  if (cases.length === 0) return { skipped: `no DEP-5 copyright files (Format: .../copyright-format/1.0/) under ${root}/*/copyright` };
  const cpu0 = process.cpuUsage();
  const ours = cases.map((c) => detect(c.text));
  const cpu = process.cpuUsage(cpu0);
  const lc = licensecheckAnswers(cases);
  const kinds: Record<string, unknown> = {};
  for (const kind of ['text', 'notice', 'multi'] as const) {
    const at = cases.flatMap((c, i) => (c.kind === kind ? [i] : []));
    const reviewed = (answers: (string | null)[]) =>
      withReviewedLabels(
        at.map((i) => ({ name: cases[i].textKey, expected: cases[i].expected, got: answers[i], split: cases[i].split })),
        'debian',
      );
    kinds[kind] = {
      ours: score(
        at.map((i) => ({ c: cases[i], got: ours[i] })),
        true,
      ),
      licensecheck: lc
        ? score(
            at.map((i) => ({ c: cases[i], got: lc.answers[i] })),
            false,
          )
        : { skipped: 'licensecheck is not installed' },
      ...(kind === 'multi' ? {} : { held_out_with_reviewed_labels: { ours: reviewed(ours), licensecheck: lc ? reviewed(lc.answers) : undefined } }),
    };
  }
  return {
    note: "License fields with a body in the DEP-5 copyright files under /usr/share/doc (read at run time), labelled by their Debian short name mapped to SPDX; Debian's pointer sentences to /usr/share/common-licenses removed; identical texts once; split by a hash of the normalised text. text: one licence, at least half its SPDX text's words; notice: one licence, shorter; multi: several licences or an exception",
    system: systemName(),
    ...stats,
    cases: cases.length,
    single_license_texts: kinds.text,
    notices: kinds.notice,
    multi: kinds.multi,
    seconds: { ours_cpu: Number(((cpu.user + cpu.system) / 1e6).toFixed(3)), licensecheck_wall: lc ? Number(lc.seconds.toFixed(3)) : null },
    label_questions: LABEL_QUESTIONS,
  };
}
