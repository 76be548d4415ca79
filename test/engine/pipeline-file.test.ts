import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadPipelineFile } from '../../src/pipeline/load.js';
import { PipelineError } from '../../src/core/errors.js';
import { tempDir } from '../helpers/fixtures.js';
import { thresher } from '../helpers/cli.js';

async function loadText(text: string, name = 'p.yaml'): Promise<{ error?: string; ok?: Awaited<ReturnType<typeof loadPipelineFile>> }> {
  const file = path.join(tempDir(), name);
  writeFileSync(file, text);
  try {
    return { ok: await loadPipelineFile(file) };
  } catch (err) {
    assert.ok(err instanceof PipelineError, `expected a PipelineError, got ${String(err)}`);
    return { error: (err as Error).message };
  }
}

const base = (stages: string) => `input:
  type: directory
  path: src
stages:
${stages}
output:
  path: out
`;

test('a valid pipeline loads with defaults filled', async () => {
  const { ok } = await loadText(base('  - language: {}\n  - dedup_exact:\n      priority: [path]'));
  assert.ok(ok);
  assert.equal(ok.spec.execution.tasks, 8);
  assert.equal(ok.spec.on_bad_input, 'quarantine');
  assert.deepEqual(
    ok.stages.map((s) => s.name),
    ['language', 'dedup_exact'],
  );
  assert.deepEqual((ok.stages[1].params as { priority: string[] }).priority, ['path']);
  assert.equal(ok.env.contentColumn, 'content');
});

test('an unknown stage is an error naming the line, the stage and the known ones', async () => {
  const { error } = await loadText(base('  - language: {}\n  - dedupe_exact: {}'));
  assert.ok(error);
  assert.match(error, /p\.yaml:6:5: stages\[1\]: unknown stage "dedupe_exact" \(known: .*dedup_exact/);
  assert.equal(error.split('\n').length, 1);
});

test('an unknown stage parameter is an error with its path inside the document', async () => {
  const { error } = await loadText(base('  - dedup_exact:\n      priorty: [path]'));
  assert.ok(error);
  assert.match(error, /p\.yaml:6:7: stages\[0\]\.dedup_exact: unknown key "priorty"/);
});

test('a wrong type says what was expected and what was found', async () => {
  const { error } = await loadText(base('  - dedup_exact:\n      priority: path'));
  assert.ok(error);
  assert.match(error, /p\.yaml:6:17: stages\[0\]\.dedup_exact\.priority: expected array, found the string "path"/);
});

test('unknown top-level keys and bad enum values are errors', async () => {
  const { error } = await loadText(`${base('  - language')}on_bad_input: ignore\nworkers: 3\n`);
  assert.ok(error);
  const lines = error.split('\n');
  assert.equal(lines.length, 2);
  assert.ok(lines.some((l) => /unknown key "workers"/.test(l)));
  assert.ok(
    lines.some((l) => /on_bad_input: .*(fail|quarantine)/.test(l) && /:8:15:/.test(l)),
    lines.join('\n'),
  );
});

test('malformed YAML names the file, line and column', async () => {
  const { error } = await loadText('input:\n  type: directory\n   path: [unclosed\n');
  assert.ok(error);
  assert.match(error, /p\.yaml:\d+:\d+: not valid YAML\/JSON/);
});

test('JSON pipelines work too', async () => {
  const { ok } = await loadText(JSON.stringify({ input: { type: 'jsonl', path: 'x.jsonl' }, stages: ['language'], output: { path: 'o' } }), 'p.json');
  assert.ok(ok);
  assert.equal(ok.env.contentColumn, 'text');
});

test('the CLI prints one line and exits 1 for a missing or malformed pipeline file', async () => {
  const missing = thresher(['run', '/nonexistent/pipeline.yaml']);
  assert.equal(missing.status, 1);
  assert.equal(missing.stderr.trim(), 'thresher: /nonexistent/pipeline.yaml: cannot read pipeline file (no such file)');
  const dir = tempDir();
  writeFileSync(path.join(dir, 'bad.yaml'), 'input: [\n');
  const bad = thresher(['validate', path.join(dir, 'bad.yaml')]);
  assert.equal(bad.status, 1);
  assert.equal(bad.stderr.trim().split('\n').length, 1);
  assert.match(bad.stderr, /bad\.yaml:\d+:\d+: not valid YAML/);
});

test('a stage whose required column nothing gives fails at validate, naming the stage and the line', async () => {
  const dir = tempDir();
  writeFileSync(path.join(dir, 'pool.jsonl'), '{"id": "a", "text": "a dog on a beach"}\n');
  const file = path.join(dir, 'p.yaml');
  writeFileSync(file, 'input:\n  type: jsonl\n  path: pool.jsonl\nstages:\n  - lang_id: {}\n  - metaclip_balance:\n      t: 10\noutput:\n  path: out\n');
  const v = thresher(['validate', file]);
  assert.equal(v.status, 1);
  assert.equal(
    v.stderr,
    `thresher: ${file}:6:5: stages[1].metaclip_balance: needs column "metaclip_matches", which neither the input (id, source, source_row, input_id, text) nor an earlier stage gives\n`,
  );
  const run = thresher(['run', file, '-q']);
  assert.equal(run.status, 1, 'run refuses before reading any record');
  assert.match(run.stderr, /needs column "metaclip_matches"/);
  writeFileSync(file, 'input:\n  type: directory\n  path: .\nstages:\n  - dedup_exact:\n      priority: [repo, -stars]\noutput:\n  path: ../out-elsewhere\n');
  assert.match(thresher(['validate', file]).stderr, /stages\[0\]\.dedup_exact: needs column "stars", which neither the input \(id, source, source_row, content_id, path, repo, size, content\)/);
});
