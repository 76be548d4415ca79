import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { appendFileSync, copyFileSync, cpSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Manifest } from '../../src/release/manifest.js';
import { makeCodeTree, tempDir, writePipeline } from '../helpers/fixtures.js';
import { thresher, type CliResult } from '../helpers/cli.js';

// One small release, made once; every case damages its own copy of it.
const dir = tempDir();
const input = makeCodeTree(dir, ['commander', 'yaml']);
const pipeline = writePipeline(dir, input, { tasks: 2 });
const made = thresher(['run', pipeline, '--workers', '2']);
const pristine = path.join(dir, 'out', 'v1');
let copies = 0;

type Json = Record<string, unknown>;

function copyRelease(): string {
  const to = path.join(dir, `copy-${++copies}`);
  cpSync(pristine, to, { recursive: true });
  return to;
}

function readManifest(release: string): Json {
  return JSON.parse(readFileSync(path.join(release, 'manifest.json'), 'utf8')) as Json;
}

function writeManifest(release: string, m: Json): void {
  writeFileSync(path.join(release, 'manifest.json'), JSON.stringify(m, null, 1) + '\n');
}

/** The documented canonical form, written out independently of src/: keys sorted at every level, no spaces. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Json).filter(([, v]) => v !== undefined);
    return `{${entries
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/** What a careful forger would do: edit the manifest, then recompute its digest. */
function reseal(m: Json): Json {
  const { digest: _old, ...rest } = m;
  void _old;
  return { ...rest, digest: createHash('sha256').update(canonical(rest)).digest('hex') };
}

function verify(release: string): CliResult {
  const r = thresher(['verify', release]);
  assert.notEqual(r.status, 70, `verify crashed: ${r.stderr}`);
  return r;
}

function assertBad(r: CliResult, file: string, problem: RegExp): void {
  assert.equal(r.status, 1, r.stdout + r.stderr);
  const lines = r.stdout.split('\n').filter((l) => l.startsWith(`BAD ${file}: `));
  assert.ok(
    lines.some((l) => problem.test(l.slice(`BAD ${file}: `.length))),
    `expected BAD ${file}: ${problem}\n${r.stdout}`,
  );
}

const manifestOf = (release: string) => readManifest(release) as unknown as Manifest;

test('setup: the release was made', () => {
  assert.equal(made.status, 0, made.stderr);
});

test('a fresh release verifies OK without warnings, and carries a digest and the card checksum', () => {
  const r = verify(pristine);
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.doesNotMatch(r.stderr, /WARN/);
  const m = readManifest(pristine);
  assert.match(String(m.digest), /^[0-9a-f]{64}$/);
  const card = m.card as { path: string; sha256: string; bytes: number };
  const readme = readFileSync(path.join(pristine, 'README.md'));
  assert.equal(card.path, 'README.md');
  assert.equal(card.bytes, readme.length);
  assert.equal(card.sha256, createHash('sha256').update(readme).digest('hex'));
  assert.deepEqual(reseal(m), m, 'digest = sha256 of the canonical form of every other field');
});

test('an edited README.md is caught', () => {
  const r = copyRelease();
  appendFileSync(path.join(r, 'README.md'), '\nAll records are hand-checked.\n');
  assertBad(verify(r), path.join(r, 'README.md'), /size|sha256/);
});

test('a same-size edit of README.md is caught', () => {
  const r = copyRelease();
  const card = readFileSync(path.join(r, 'README.md'), 'utf8');
  writeFileSync(path.join(r, 'README.md'), card.replace('records out', 'records Out'));
  assertBad(verify(r), path.join(r, 'README.md'), /sha256/);
});

test('a deleted README.md is caught', () => {
  const r = copyRelease();
  rmSync(path.join(r, 'README.md'));
  assertBad(verify(r), path.join(r, 'README.md'), /missing/);
});

test('an edited manifest field is caught by the digest', () => {
  for (const edit of [(m: Json) => (m.name = 'renamed'), (m: Json) => ((m.counts as Json).output_records = 1), (m: Json) => ((m.execution as Json).seed = 7)]) {
    const r = copyRelease();
    const m = readManifest(r);
    edit(m);
    writeManifest(r, m);
    assertBad(verify(r), path.join(r, 'manifest.json'), /digest/);
  }
});

test('a reformatted but unchanged manifest still verifies (the digest is over the content, not the bytes)', () => {
  const r = copyRelease();
  const m = readManifest(r);
  const reordered = Object.fromEntries(Object.entries(m).reverse());
  writeFileSync(path.join(r, 'manifest.json'), JSON.stringify(reordered));
  const v = verify(r);
  assert.equal(v.status, 0, v.stdout + v.stderr);
});

test('counts that do not add up are caught even when the digest is recomputed', async (t) => {
  const m0 = manifestOf(pristine);
  assert.ok(Object.keys(m0.counts.excluded).length > 0, 'the fixture excludes something');
  const cases: [string, (m: Manifest) => void, RegExp][] = [
    ['output_records', (m) => (m.counts.output_records += 1), /output_records/],
    ['input_records', (m) => (m.counts.input_records += 1), /input_records/],
    ['an exclusion', (m) => (m.counts.excluded[Object.keys(m.counts.excluded)[0]] += 1), /exclu/],
    ['a stage records_out', (m) => (m.counts.stages[1].records_out += 1), /stage|records/],
    ['the read stage records_in', (m) => (m.counts.stages[0].records_in += 1), /stage|records|input_records/],
  ];
  for (const [name, edit, problem] of cases) {
    await t.test(name, () => {
      const r = copyRelease();
      const m = manifestOf(r);
      edit(m);
      writeManifest(r, reseal(m as unknown as Json));
      assertBad(verify(r), path.join(r, 'manifest.json'), problem);
    });
  }
});

test('a data file removed together with its manifest entry is caught', () => {
  for (const resealed of [false, true]) {
    const r = copyRelease();
    const m = manifestOf(r);
    const victim = m.files.find((f) => f.path.startsWith('data/'))!;
    rmSync(path.join(r, victim.path));
    m.files = m.files.filter((f) => f !== victim);
    writeManifest(r, resealed ? reseal(m as unknown as Json) : (m as unknown as Json));
    assertBad(verify(r), path.join(r, 'manifest.json'), resealed ? /output_records/ : /digest/);
  }
});

test('an excluded file removed together with its manifest entry is caught by the counts', () => {
  const r = copyRelease();
  const m = manifestOf(r);
  const victim = m.files.find((f) => f.path.startsWith('excluded/') && (f.rows ?? 0) > 0)!;
  rmSync(path.join(r, victim.path));
  m.files = m.files.filter((f) => f !== victim);
  writeManifest(r, reseal(m as unknown as Json));
  assertBad(verify(r), path.join(r, 'manifest.json'), /excluded/);
});

test('an empty folder inside the release is caught', () => {
  const r = copyRelease();
  mkdirSync(path.join(r, 'data', 'extra', 'deeper'), { recursive: true });
  mkdirSync(path.join(r, 'empty'));
  const v = verify(r);
  assertBad(v, path.join(r, 'data', 'extra'), /no file listed in the manifest/);
  assertBad(v, path.join(r, 'empty'), /no file listed in the manifest/);
});

test('a data file replaced by a symlink to an identical copy is caught', () => {
  const r = copyRelease();
  const victim = manifestOf(r).files.find((f) => f.path.startsWith('data/'))!;
  const copy = path.join(dir, `outside-${copies}`);
  copyFileSync(path.join(r, victim.path), copy);
  rmSync(path.join(r, victim.path));
  symlinkSync(copy, path.join(r, victim.path));
  assertBad(verify(r), path.join(r, victim.path), /is a symlink/);
});

test('a folder replaced by a symlink to an identical copy is caught', () => {
  const r = copyRelease();
  const outside = path.join(dir, `outside-data-${copies}`);
  cpSync(path.join(r, 'data'), outside, { recursive: true });
  rmSync(path.join(r, 'data'), { recursive: true });
  symlinkSync(outside, path.join(r, 'data'));
  assertBad(verify(r), path.join(r, 'data'), /is a symlink/);
});

test('a dangling symlink is reported, not a crash', () => {
  const r = copyRelease();
  symlinkSync(path.join(dir, 'nowhere'), path.join(r, 'data', 'dangling.parquet'));
  assertBad(verify(r), path.join(r, 'data', 'dangling.parquet'), /is a symlink/);
});

test('a symlink loop is reported, not a crash', () => {
  const r = copyRelease();
  symlinkSync('loop-b', path.join(r, 'loop-a'));
  symlinkSync('loop-a', path.join(r, 'loop-b'));
  const v = verify(r);
  assertBad(v, path.join(r, 'loop-a'), /is a symlink/);
  assertBad(v, path.join(r, 'loop-b'), /is a symlink/);
});

test('a listed file that became a dangling symlink is reported, not a crash', () => {
  const r = copyRelease();
  const victim = manifestOf(r).files.find((f) => f.path.startsWith('data/'))!;
  rmSync(path.join(r, victim.path));
  symlinkSync(path.join(dir, 'nowhere'), path.join(r, victim.path));
  assertBad(verify(r), path.join(r, victim.path), /is a symlink/);
});

test('an older release without digest and card checksum verifies, with a warning', () => {
  const r = copyRelease();
  const m = readManifest(r);
  delete m.digest;
  delete m.card;
  writeManifest(r, m);
  const v = verify(r);
  assert.equal(v.status, 0, v.stdout + v.stderr);
  assert.match(v.stdout, /OK/);
  assert.match(v.stdout, /WARN .*manifest has no digest \(made by an older thresher\)/);
});
