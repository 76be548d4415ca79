import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { exportRelease } from '../../src/explore/export.js';
import { grepRelease } from '../../src/explore/grep.js';
import { runUserQuery } from '../../src/explore/query.js';
import { openRelease, type OpenRelease } from '../../src/explore/release.js';
import { verifyRelease } from '../../src/release/verify.js';
import { CLI, thresher, thresherAsync } from '../helpers/cli.js';
import { makeFixtureRelease } from './fixture.js';

const fixture = await makeFixtureRelease();
const release = fixture.release.dir;

async function withRelease<T>(dir: string, fn: (r: OpenRelease) => Promise<T>): Promise<T> {
  const r = await openRelease(dir);
  try {
    return await fn(r);
  } finally {
    r.close();
  }
}

const rowsOf = async (dir: string, sql: string) => withRelease(dir, async (r) => (await runUserQuery(r.connection, sql)).rows);

test('query: SELECT and WITH over records and excluded agree with the manifest', async () => {
  const m = fixture.release.manifest;
  const [total] = await rowsOf(release, 'SELECT count(*)::INT AS n FROM records');
  assert.equal(total.n, m.counts.output_records);
  const reasons = await rowsOf(release, 'WITH r AS (SELECT reason FROM excluded) SELECT reason, count(*)::INT AS n FROM r GROUP BY 1 ORDER BY 1');
  assert.deepEqual(Object.fromEntries(reasons.map((x) => [x.reason, x.n])), m.counts.excluded);
  // Linguist's answer is in the data: every file called JavaScript has a JavaScript extension
  const js = await rowsOf(release, "SELECT path FROM records WHERE language = 'JavaScript'");
  assert.ok(js.length > 20);
  for (const { path: p } of js) assert.match(String(p), /\.(js|cjs|mjs)$/);
});

test('query refuses anything but one SELECT, and reaches no file outside the release', async () => {
  await withRelease(release, async (r) => {
    const refused = async (sql: string, why: RegExp) => assert.rejects(runUserQuery(r.connection, sql), why, sql);
    await refused('SELECT 1; SELECT 2', /2 statements; give one SELECT/);
    await refused('SELECT 1; DROP VIEW records', /2 statements/);
    await refused('DROP VIEW records', /a DROP statement/);
    await refused('CREATE TABLE t AS SELECT * FROM records', /a CREATE statement/);
    await refused(`COPY records TO '${path.join(fixture.dir, 'stolen.csv')}'`, /a COPY statement/);
    await refused(`ATTACH '${path.join(fixture.dir, 'x.db')}'`, /an ATTACH statement/);
    await refused('SET enable_external_access = true', /a SET statement/);
    await refused('INSTALL httpfs', /statement; only SELECT/);
    await refused('SELEC * FROM records', /does not parse/);
    await refused('', /empty/);
    await refused(`SELECT ${'1 + '.repeat(6000)}1`, /characters, at most 20000/);
    // a SELECT that names a file outside: DuckDB itself refuses (the instance is sealed)
    await refused("SELECT * FROM read_text('/etc/passwd')", /Permission Error/);
    await refused(`SELECT * FROM read_parquet('${path.join(release, 'data', '..', '..', '..', 'pipeline.yaml')}')`, /Permission Error/);
    await refused("SELECT * FROM glob('/*')", /Permission Error/);
    // bounded: a huge LIMIT reads only what is asked for
    const big = await runUserQuery(r.connection, 'SELECT * FROM range(100000000000) LIMIT 99999999999', { maxRows: 5, timeoutMs: 10_000 });
    assert.equal(big.rows.length, 5);
    assert.equal(big.truncated, true);
    // a statement that runs too long is stopped
    await assert.rejects(
      runUserQuery(r.connection, 'SELECT count(*) FROM range(100000) a, range(100000) b, range(1000) c WHERE a.range + b.range = c.range', { maxRows: 5, timeoutMs: 300 }),
      /still running after 0\.3 s/,
    );
  });
});

test('a symlink in a release is refused, and no file beside the listed ones is readable', async () => {
  const copy = path.join(fixture.dir, 'linked');
  cpSync(release, copy, { recursive: true });
  const secret = path.join(fixture.dir, 'secret.txt');
  writeFileSync(secret, 'not for the explorer\n');
  // an unlisted link inside the release: DuckDB may read only the listed data files
  symlinkSync(secret, path.join(copy, 'data', 'link.txt'));
  await withRelease(copy, async (r) => assert.rejects(runUserQuery(r.connection, `SELECT * FROM read_text('${path.join(copy, 'data', 'link.txt')}')`), /Permission Error/));
  // a listed data file that is a link out
  const shard = path.join(copy, fixture.release.manifest.files.find((f) => f.path.startsWith('data/'))!.path);
  rmSync(shard);
  symlinkSync(path.join(release, path.relative(copy, shard)), shard);
  await assert.rejects(openRelease(copy), /is a symlink; a release holds regular files only/);
});

test('grep: matching lines with their line numbers, within the match budget', async () => {
  await withRelease(release, async (r) => {
    const all = await grepRelease(r, 'function [a-z]+\\(', { maxMatches: 100_000 });
    assert.ok(all.matches.length > 10 && !all.truncated);
    const few = await grepRelease(r, 'function [a-z]+\\(', { maxMatches: 3 });
    assert.equal(few.matches.length, 3);
    assert.equal(few.truncated, true);
    // each match is the line of that record's content it says
    const contents = new Map((await runUserQuery(r.connection, 'SELECT id, content FROM records')).rows.map((x) => [String(x.id), String(x.content)]));
    for (const m of all.matches.slice(0, 50)) {
      const line = contents.get(m.id)!.split('\n')[m.line - 1];
      assert.match(line, /function [a-z]+\(/);
      assert.ok(line.startsWith(m.text.replace(/…$/, '')));
    }
    assert.equal((await grepRelease(r, 'AKIAZ3MBQJX7', { maxMatches: 10 })).matches.length, 0, 'redacted keys are not in the release');
    assert.ok((await grepRelease(r, 'REGION', { maxMatches: 10, ignoreCase: true })).matches.some((m) => m.path.endsWith('settings.js')));
    await assert.rejects(grepRelease(r, '(unclosed', { maxMatches: 1 }), /grep "\(unclosed":/);
    await assert.rejects(grepRelease(r, 'x', { maxMatches: 1, column: 'nope' }), /no column "nope"/);
  });
});

test('export: a verifiable release of the filtered records that names its parent and the filter', async () => {
  const where = "language = 'JavaScript' AND license_class = 'permissive'";
  const out = path.join(fixture.dir, 'js-permissive');
  const { manifest } = await exportRelease(release, { where, out });
  const v = await verifyRelease(out, { warn: () => undefined });
  assert.deepEqual(v.problems, []);
  const expected = await rowsOf(release, `SELECT id FROM records WHERE ${where}`);
  const got = await rowsOf(out, 'SELECT id FROM records');
  assert.deepEqual(got, expected, 'same records, same order');
  assert.equal(manifest.counts.output_records, expected.length);
  const parentSha = createHash('sha256')
    .update(readFileSync(path.join(release, 'manifest.json')))
    .digest('hex');
  const section = manifest.sections!.export;
  assert.deepEqual(section.data.parent, {
    name: 'explore-fixture',
    version: 'v1',
    run_id: fixture.release.manifest.run_id,
    manifest_sha256: parentSha,
    output_records: fixture.release.manifest.counts.output_records,
  });
  assert.deepEqual(section.data.filter, { where });
  assert.match(readFileSync(path.join(out, 'README.md'), 'utf8'), new RegExp(`manifest.json sha256 \`${parentSha}\``));

  // an export of an export names the export
  const out2 = path.join(fixture.dir, 'js-small');
  const second = await exportRelease(out, { where: 'size < 2000', out: out2 });
  assert.equal((second.manifest.sections!.export.data.parent as { run_id: string }).run_id, manifest.run_id);
  assert.deepEqual((await verifyRelease(out2, { warn: () => undefined })).problems, []);

  await assert.rejects(exportRelease(release, { where: 'true) UNION ALL (SELECT * FROM records', out: path.join(fixture.dir, 'bad') }), /must be one condition/);
  await assert.rejects(exportRelease(release, { where: 'true) ORDER BY (size', out: path.join(fixture.dir, 'bad') }), /must be one condition/);
  await assert.rejects(exportRelease(release, { where: 'colour = 1', out: path.join(fixture.dir, 'bad') }), /--where: Binder Error: Referenced column "colour" not found/);
  await assert.rejects(exportRelease(release, { where: 'true', out }), /already exists/);
});

test('CLI: query prints or writes results, errors are one line', () => {
  const r = thresher(['query', release, 'SELECT language, count(*)::INT AS n FROM records GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 3', '-f', 'csv']);
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout.trim().split('\n');
  assert.equal(lines[0], 'language,n');
  assert.equal(lines.length, 4);
  const out = path.join(fixture.dir, 'langs.jsonl');
  assert.equal(thresher(['query', release, 'SELECT DISTINCT language FROM records', '-o', out]).status, 0);
  assert.ok(readFileSync(out, 'utf8').includes('{"language":"JavaScript"}'));

  const bad = thresher(['query', release, 'DELETE FROM records']);
  assert.equal(bad.status, 1);
  assert.equal(bad.stderr, "thresher: query refused: a DELETE statement; only SELECT (or WITH … SELECT) over the release's views runs here\n");
  const capped = thresher(['query', release, 'SELECT id FROM records', '--max-rows', '2']);
  assert.equal(capped.stdout.trim().split('\n').length, 2);
  assert.match(capped.stderr, /stopped after 2 rows \(--max-rows\)/);
  assert.match(thresher(['query', fixture.dir, 'SELECT 1']).stderr, /not a thresher release \(no manifest\.json\)/);

  const g = thresher(['grep', release, 'module\\.exports', '-m', '2']);
  assert.equal(g.status, 0);
  assert.equal(g.stdout.trim().split('\n').length, 2);
  assert.match(g.stdout, /^[^:]+:\d+: .*module\.exports/m);
  assert.equal(thresher(['grep', release, 'no such text anywhere 1234']).status, 1);

  const dir = path.join(fixture.dir, 'ts');
  const e = thresher(['export', release, '--where', "language = 'TypeScript'", '-o', dir]);
  assert.equal(e.status, 0, e.stderr);
  assert.match(e.stdout, /\d+ of \d+ records/);
  assert.match(thresher(['verify', dir]).stdout, /OK, \d+ files match manifest\.json/);
});

test('CLI: query streams jsonl and csv: a result far larger than the heap is written whole', () => {
  // 300,000 rows of 300 characters: ~100 MB of text, which a 48 MB heap could not hold at once
  const out = path.join(fixture.dir, 'big.jsonl');
  const sql = "SELECT n::INT AS n, repeat('x', 300) AS pad FROM range(300000) t(n)";
  const run = spawnSync(process.execPath, ['--max-old-space-size=48', CLI, 'query', release, sql, '--max-rows', '300000', '-o', out], { encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  assert.equal(run.stderr, `${out}: 300000 rows\n`, 'exactly the limit: nothing more matched, so no truncation note');
  const text = readFileSync(out, 'utf8');
  const lines = text.split('\n');
  assert.equal(lines.length, 300001);
  assert.equal(lines[299999], JSON.stringify({ n: 299999, pad: 'x'.repeat(300) }));
  assert.ok(!readdirSync(fixture.dir).some((f) => f.includes('.tmp-')), 'no temporary file left');

  // csv: the header once, repeated names kept apart, and the header even when no row matches
  const csv = thresher(['query', release, 'SELECT 1 AS a, 2 AS a', '-f', 'csv']);
  assert.equal(csv.stdout, 'a,a:1\n1,2\n');
  assert.equal(thresher(['query', release, 'SELECT id, path FROM records WHERE false', '-f', 'csv']).stdout, 'id,path\n');
  // a failing query leaves no file behind
  const failed = path.join(fixture.dir, 'failed.csv');
  const bad = thresher(['query', release, "SELECT n, CASE WHEN n = 5000 THEN error('boom') END FROM range(10000) t(n)", '-o', failed]);
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /^thresher: query failed: .*boom/);
  assert.equal(existsSync(failed), false);
});

test('query and grep stop quietly when the reader closes the pipe early (| head)', async () => {
  for (const args of [
    ['query', release, 'SELECT id, n FROM records CROSS JOIN range(5000) t(n)', '-f', 'jsonl', '--max-rows', '1000000'],
    ['grep', release, '.', '-m', '1000000'],
  ]) {
    const child = thresherAsync(args);
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    // read one chunk, then close our end as `head` does
    await new Promise<void>((resolve) => child.stdout!.once('data', () => resolve()));
    child.stdout!.destroy();
    const status = await new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    assert.equal(status, 0, `${args[0]}: ${stderr}`);
    assert.doesNotMatch(stderr, /EPIPE|Unhandled|at .*\.js:\d+/, args[0]);
  }
});
