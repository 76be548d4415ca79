import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import path from 'node:path';
import { runUserQuery } from '../../src/explore/query.js';
import { startExplorer, type Explorer } from '../../src/serve/server.js';
import { thresher } from '../helpers/cli.js';
import { makeFixtureRelease } from '../explore/fixture.js';

const fixture = await makeFixtureRelease();
const release = fixture.release.dir;
const SECRET = 'the content of a file outside the release';
const outside = path.join(fixture.dir, 'outside.txt');
writeFileSync(outside, SECRET);

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A raw HTTP request: the path goes out exactly as written (no client-side normalisation of `..`). */
function raw(explorer: Explorer, rawPath: string, options: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {}): Promise<Answer> {
  const u = new URL(explorer.url);
  return new Promise((resolve, reject) => {
    const req = request({ host: u.hostname, port: u.port, path: rawPath, method: options.method ?? 'GET', headers: { Host: u.host, ...options.headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    if (options.body !== undefined) req.write(options.body);
    req.end();
  });
}

const json = (a: Answer) => JSON.parse(a.body) as Record<string, unknown>;

test('path traversal, encoded or not, and symlinks reach no file outside the release', async () => {
  const copy = path.join(fixture.dir, 'with-link');
  cpSync(release, copy, { recursive: true });
  // the card, a listed file, replaced by a link out of the release
  rmSync(path.join(copy, 'README.md'));
  symlinkSync(outside, path.join(copy, 'README.md'));
  const explorer = await startExplorer(copy, { port: 0 });
  try {
    const attempts = [
      '/files/../../outside.txt',
      '/files/..%2f..%2foutside.txt',
      '/files/..%2F..%2F..%2F..%2Fetc%2Fpasswd',
      '/files/%2e%2e/%2e%2e/outside.txt',
      '/files/data/..%2f..%2f..%2foutside.txt',
      '/files/%2fetc%2fpasswd',
      '/files/manifest.json%00.txt',
      '/files/data%5c..%5c..%5coutside.txt',
      '/..%2f..%2foutside.txt',
      '/app.js/../../../package.json',
      '/%2e%2e/package.json',
      '/files/%E0%A4%A',
    ];
    for (const p of attempts) {
      const a = await raw(explorer, p);
      assert.ok([400, 403, 404].includes(a.status), `${p}: ${a.status}`);
      assert.ok(!a.body.includes(SECRET) && !a.body.includes('root:'), p);
    }
    const link = await raw(explorer, '/files/README.md');
    assert.equal(link.status, 403);
    assert.match(String(json(link).error), /is a symlink/);
    assert.ok(!link.body.includes(SECRET));
    // a listed regular file is served, as text
    const manifest = await raw(explorer, '/files/manifest.json');
    assert.equal(manifest.status, 200);
    assert.equal(manifest.body, readFileSync(path.join(copy, 'manifest.json'), 'utf8'));
    assert.equal(manifest.headers['x-content-type-options'], 'nosniff');
  } finally {
    await explorer.close();
  }
});

test('queries are parameterised and bounded; malformed and oversized requests are refused', async () => {
  const explorer = await startExplorer(release, { port: 0 });
  try {
    const records = (params: Record<string, string>) => raw(explorer, `/api/records?${new URLSearchParams(params)}`);
    // a value is only ever a value
    const injected = await records({ filters: JSON.stringify([{ column: 'language', op: '=', value: "x' OR '1'='1" }]) });
    assert.equal(injected.status, 200);
    assert.equal(json(injected).total, 0);
    const words = await records({ q: "') OR 1=1 --" });
    assert.equal(json(words).total, 0);
    // a column must be one of the release's
    const col = await records({ filters: JSON.stringify([{ column: 'id" FROM records; --', op: '=', value: 'x' }]) });
    assert.equal(col.status, 400);
    assert.match(String(json(col).error), /no column/);
    // the right answer to a real filter
    const js = await records({ filters: JSON.stringify([{ column: 'size', op: '>', value: '20000' }]), limit: '200' });
    const expected = (await runUserQuery(explorer.release.connection, 'SELECT count(*)::INT AS n FROM records WHERE size > 20000')).rows[0].n;
    assert.equal(json(js).total, expected);
    assert.ok((json(js).rows as { size: number }[]).every((r) => Number(r.size) > 20000));

    for (const [params, why] of [
      [{ limit: '100000' }, /limit must be a whole number from 1 to 200/],
      [{ limit: '-1' }, /limit/],
      [{ offset: '1e12' }, /offset/],
      [{ filters: '{not json' }, /filters: not valid JSON/],
      [{ filters: '{"column":"id"}' }, /expected a list/],
      [{ filters: JSON.stringify([{ column: 'id', op: 'LIKE', value: '%' }]) }, /unknown operator/],
      [{ filters: JSON.stringify(Array(13).fill({ column: 'id', op: 'null' })) }, /at most 12 filters/],
      [{ q: Array(11).fill('w').join(' ') }, /at most 10 search words/],
      [{ filters: JSON.stringify([{ column: 'id', op: '=', value: 'x'.repeat(1001) }]) }, /over 1000 characters/],
    ] as const) {
      const a = await records(params as Record<string, string>);
      assert.equal(a.status, 400, JSON.stringify(params));
      assert.match(String(json(a).error), why);
    }
    const long = await raw(explorer, `/api/records?q=${'a'.repeat(9000)}`);
    assert.equal(long.status, 414);
    assert.equal((await raw(explorer, '/api/record?id=nope')).status, 404);
    assert.equal((await raw(explorer, '/api/record')).status, 400);
    assert.equal((await raw(explorer, '/api/nothing')).status, 404);
    assert.equal((await raw(explorer, '/api/records', { method: 'DELETE' })).status, 405);
    assert.equal((await raw(explorer, '/', { method: 'POST' })).status, 405);
    // review is off unless asked for
    assert.equal((await raw(explorer, '/api/review/sample')).status, 404);
    // a page elsewhere that points its own name at this address gets nothing
    const rebound = await raw(explorer, '/api/info', { headers: { Host: `attacker.example:${new URL(explorer.url).port}` } });
    assert.equal(rebound.status, 421);
    const page = await raw(explorer, '/');
    assert.match(String(page.headers['content-security-policy']), /script-src 'self'/);
  } finally {
    await explorer.close();
  }
});

test('review decisions: bodies checked and bounded, written to the review file', async () => {
  const reviewFile = path.join(fixture.dir, 'review-api.json');
  const explorer = await startExplorer(release, { port: 0, reviewFile, labelColumn: 'language' });
  try {
    const post = (body: string | Buffer, type = 'application/json') => raw(explorer, '/api/review/decision', { method: 'POST', headers: { 'Content-Type': type }, body });
    const big = await post(Buffer.alloc(70_000, 'a'));
    assert.equal(big.status, 413);
    assert.equal((await post('{"id":')).status, 400);
    assert.equal((await post('id=x', 'application/x-www-form-urlencoded')).status, 415);
    assert.match(String(json(await post(JSON.stringify({ id: 'commander/index.js', decision: 'maybe' }))).error), /accept or reject/);
    assert.equal((await post(JSON.stringify({ id: 'no/such/file.js', decision: 'reject' }))).status, 404);
    assert.match(String(json(await post(JSON.stringify({ id: 'commander/index.js', decision: 'accept', label: 'Python' }))).error), /goes with reject/);
    const ok = await post(JSON.stringify({ id: 'commander/index.js', decision: 'reject', label: 'Python' }));
    assert.equal(ok.status, 200, ok.body);
    const file = JSON.parse(readFileSync(reviewFile, 'utf8')) as { release: { manifest_sha256: string }; decisions: Record<string, { decision: string; label?: string }> };
    assert.equal(file.release.manifest_sha256, explorer.release.manifestSha256);
    assert.deepEqual({ ...file.decisions['commander/index.js'], at: undefined }, { decision: 'reject', label: 'Python', at: undefined });
    const sample = json(await raw(explorer, '/api/review/sample?n=5&seed=7'));
    const again = json(await raw(explorer, '/api/review/sample?n=5&seed=7'));
    assert.deepEqual(sample.items, again.items, 'the same seed, the same sample');
    assert.equal((sample.items as unknown[]).length, 5);
  } finally {
    await explorer.close();
  }
});

test('beyond loopback only with a token: missing and wrong tokens are refused', async () => {
  await assert.rejects(startExplorer(release, { host: '0.0.0.0', port: 0 }), /not a loopback address: give --token too/);
  await assert.rejects(startExplorer(release, { host: '0.0.0.0', port: 0, token: 'short' }), /at least 16 characters/);
  const cli = thresher(['serve', release, '--host', '0.0.0.0']);
  assert.equal(cli.status, 1);
  assert.match(cli.stderr, /^thresher: --host 0\.0\.0\.0 is not a loopback address/);

  const token = 'a-long-secret-token-1234';
  const explorer = await startExplorer(release, { host: '0.0.0.0', port: 0, token });
  try {
    const port = new URL(explorer.url).port;
    const at = { ...explorer, url: `http://127.0.0.1:${port}/` };
    assert.equal((await raw(at, '/api/info')).status, 401);
    assert.equal((await raw(at, '/')).status, 401);
    assert.equal((await raw(at, '/files/manifest.json')).status, 401);
    assert.equal((await raw(at, '/api/info', { headers: { Authorization: 'Bearer wrong-token-wrong-token' } })).status, 401);
    assert.equal((await raw(at, '/api/info', { headers: { Cookie: 'thresher_token=a-long-secret-token-123' } })).status, 401);
    assert.equal((await raw(at, '/api/info?token=nope')).status, 401);
    assert.equal((await raw(at, '/api/info', { headers: { Authorization: `Bearer ${token}` } })).status, 200);
    const entry = await raw(at, `/?token=${token}`);
    assert.equal(entry.status, 303);
    assert.equal(entry.headers.location, '/');
    const cookie = String(entry.headers['set-cookie']).split(';')[0];
    assert.match(String(entry.headers['set-cookie']), /HttpOnly; SameSite=Strict/);
    assert.equal((await raw(at, '/api/info', { headers: { Cookie: cookie } })).status, 200);
  } finally {
    await explorer.close();
  }
});
