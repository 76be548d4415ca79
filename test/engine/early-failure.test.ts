import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { CLI } from '../helpers/cli.js';
import { tempDir } from '../helpers/fixtures.js';

/**
 * A run that fails in its first milliseconds (here: an S3 input without credentials, found while
 * planning) used to abort the whole process now and then: the worker threads, started before the
 * plan, were terminated while still loading their module or warming up (Node 20: a fatal error
 * in require(esm), or an exception from DuckDB's addon; exit by SIGABRT, in about one run in five).
 * Every run must end with its one line and exit 1.
 */
test('a run that fails while planning exits 1 with its line, every time', () => {
  const dir = tempDir();
  const file = path.join(dir, 'p.yaml');
  writeFileSync(file, 'name: t\ninput:\n  type: jsonl\n  path: s3://no-such-bucket/pool.jsonl\nstages: []\noutput:\n  path: out\nexecution:\n  s3:\n    endpoint: http://127.0.0.1:9/\n');
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: dir, CI: 'true' };
  for (let i = 0; i < 12; i++) {
    const r = spawnSync(process.execPath, [CLI, 'run', file, '-w', '2', '-q'], { cwd: dir, env, encoding: 'utf8' });
    assert.equal(r.signal, null, `run ${i} ended by ${r.signal}: ${r.stderr.split('\n').slice(0, 3).join(' | ')}`);
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, /^thresher: s3:\/\/no-such-bucket\/pool\.jsonl: no S3 credentials/);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  }
});
