import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { test } from 'node:test';
import { runInline } from '../../src/executors/inline.js';
import { readShards } from '../../src/engine/shard-reader.js';
import { licenseStage } from '../../src/stages/license.js';
import { findStage } from '../../src/stages/registry.js';
import { tempDir, writePipeline } from '../helpers/fixtures.js';
import { readManifest } from '../helpers/pools.js';

const require = createRequire(import.meta.url);
const spdx = require('spdx-license-list/full') as Record<string, { licenseText: string }>;

/**
 * A small tree: the root is MIT (a LICENSE file), `vendor/gpl-lib` is a nested package under the
 * GPL (its manifest and COPYING), one file in the root says Apache-2.0 in its own SPDX header,
 * and `docs/` has no licence of its own (inherits the root's).
 */
function makeTree(root: string): void {
  const put = (rel: string, text: string) => {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), text);
  };
  put('LICENSE', spdx.MIT.licenseText.replace('<year> <copyright holders>', '2024 Example Org'));
  put('package.json', JSON.stringify({ name: 'root-pkg', version: '1.0.0' }));
  put('src/index.js', 'export const answer = 42;\n');
  put('src/apache.js', '// SPDX-License-Identifier: Apache-2.0\nexport const x = 1;\n');
  put('docs/guide.md', '# Guide\n\nHow to use the thing.\n');
  put('vendor/gpl-lib/package.json', JSON.stringify({ name: 'gpl-lib', version: '2.0.0', license: 'GPL-3.0-only' }));
  put('vendor/gpl-lib/COPYING', spdx['GPL-3.0-only'].licenseText);
  put('vendor/gpl-lib/lib/core.js', 'module.exports = function core() { return 1; };\n');
  put('vendor/gpl-lib/lib/mit-file.js', '/* SPDX-License-Identifier: MIT */\nmodule.exports = 2;\n');
}

async function rows(release: string, prefix: 'data/' | 'excluded/'): Promise<Record<string, unknown>[]> {
  const m = readManifest(release);
  const out: Record<string, unknown>[] = [];
  for await (const r of readShards(m.files.filter((f) => f.path.startsWith(prefix)).map((f) => path.join(release, f.path)))) out.push(r);
  return out;
}

test('license: registered, params default to annotate-only', async () => {
  assert.equal(await findStage('license'), licenseStage);
  const p = licenseStage.params.parse({});
  assert.equal(p.keep, null);
  assert.equal(p.path_column, 'path');
  assert.throws(() => licenseStage.params.parse({ keep: ['free'] }));
});

test('license: root MIT, nested GPL package, SPDX headers override the folder', async () => {
  const dir = tempDir();
  const input = path.join(dir, 'tree');
  makeTree(input);
  for (const tasks of [1, 3]) {
    const pipeline = writePipeline(dir, input, { tasks, stages: '  - license: {}', output: `out-${tasks}` });
    const result = await runInline(pipeline);
    const byPath = new Map((await rows(result.dir, 'data/')).map((r) => [r.path as string, r]));
    const lic = (p: string) => [byPath.get(p)?.license, byPath.get(p)?.license_class];
    assert.deepEqual(lic('src/index.js'), ['MIT', 'permissive'], `tasks=${tasks}`);
    assert.deepEqual(lic('docs/guide.md'), ['MIT', 'permissive']);
    assert.deepEqual(lic('LICENSE'), ['MIT', 'permissive']);
    assert.deepEqual(lic('src/apache.js'), ['Apache-2.0', 'permissive']);
    // the nested package: its manifest (stronger than its COPYING) decides for everything below
    assert.deepEqual(lic('vendor/gpl-lib/lib/core.js'), ['GPL-3.0-only', 'non_permissive']);
    assert.deepEqual(lic('vendor/gpl-lib/COPYING'), ['GPL-3.0-only', 'non_permissive']);
    assert.deepEqual(lic('vendor/gpl-lib/lib/mit-file.js'), ['MIT', 'permissive']);
    const ev = JSON.parse(byPath.get('src/index.js')!.license_evidence as string) as { file: string; method: string; score: number }[];
    assert.deepEqual(ev, [{ file: 'LICENSE', method: 'exact', score: 1 }], 'the copyright line does not count');
    assert.deepEqual(JSON.parse(byPath.get('src/apache.js')!.license_evidence as string), [{ file: 'src/apache.js', method: 'spdx-header', score: 1 }]);
    assert.equal(JSON.parse(byPath.get('vendor/gpl-lib/lib/core.js')!.license_evidence as string)[0].method, 'manifest');
  }
});

test('license: keep [permissive, no_license] drops the GPL files with reason license', async () => {
  const dir = tempDir();
  const input = path.join(dir, 'tree');
  makeTree(input);
  writeFileSync(path.join(dir, 'tree', 'docs', 'unlicensed.txt'), 'no licence here\n');
  const pipeline = writePipeline(dir, input, { tasks: 2, stages: '  - license:\n      keep: [permissive, no_license]' });
  const result = await runInline(pipeline);
  const kept = (await rows(result.dir, 'data/')).map((r) => r.path as string).sort();
  assert.ok(kept.includes('vendor/gpl-lib/lib/mit-file.js'), 'an MIT header inside the GPL package is kept');
  assert.ok(!kept.includes('vendor/gpl-lib/lib/core.js'));
  const excluded = await rows(result.dir, 'excluded/');
  const gpl = excluded.filter((r) => r.reason === 'license');
  assert.deepEqual(gpl.map((r) => r.source).sort(), ['vendor/gpl-lib/COPYING', 'vendor/gpl-lib/lib/core.js', 'vendor/gpl-lib/package.json']);
  for (const r of gpl) assert.equal(r.detail, 'GPL-3.0-only (non_permissive)');
  const counters = result.stats.stages['0:license'].counters;
  assert.equal(counters['license_class:non_permissive'], 3);
  assert.equal(counters['license_from:header'], 2);
});

test("license: skip_files leaves a bundled-dependencies list out of its folder's licence", async () => {
  const dir = tempDir();
  const input = path.join(dir, 'tree');
  mkdirSync(path.join(input, 'src'), { recursive: true });
  writeFileSync(path.join(input, 'LICENSE'), spdx.MIT.licenseText);
  // Cargo-style: the licences of what the build bundles, listed beside the project's own
  writeFileSync(path.join(input, 'LICENSE-THIRD-PARTY'), `Bundled: libexample\n\n${spdx['GPL-3.0-only'].licenseText}`);
  writeFileSync(path.join(input, 'src', 'main.rs'), 'fn main() {}\n');
  const licenceOf = async (params: string, output: string) => {
    const result = await runInline(writePipeline(dir, input, { tasks: 2, stages: `  - license: ${params}`, output }));
    const main = (await rows(result.dir, 'data/')).find((r) => r.path === 'src/main.rs');
    return [main?.license, main?.license_class];
  };
  assert.deepEqual(await licenceOf('{}', 'all'), ['MIT AND GPL-3.0-only', 'non_permissive'], 'by default every licence-like file counts');
  assert.deepEqual(await licenceOf("{ skip_files: ['*third*party*'] }", 'skipped'), ['MIT', 'permissive'], 'a glob of any case');
  assert.deepEqual(await licenceOf("{ skip_files: ['NOTICE*'] }", 'other'), ['MIT AND GPL-3.0-only', 'non_permissive'], 'only matching names');
});

test('license: a folder without any evidence gives no_license; repo_column scopes folders', async () => {
  const dir = tempDir();
  const pool = path.join(dir, 'pool.jsonl');
  const mit = spdx.MIT.licenseText;
  const recs = [
    { id: 'a1', repo: 'a/one', path: 'LICENSE', text: mit },
    { id: 'a2', repo: 'a/one', path: 'src/x.py', text: 'print(1)\n' },
    { id: 'b1', repo: 'b/two', path: 'src/x.py', text: 'print(2)\n' },
  ];
  writeFileSync(pool, recs.map((r) => JSON.stringify(r)).join('\n') + '\n');
  const pipeline = path.join(dir, 'p.yaml');
  writeFileSync(
    pipeline,
    `name: t\ninput:\n  type: jsonl\n  path: ${JSON.stringify(pool)}\n  id_field: id\nstages:\n  - license:\n      repo_column: repo\noutput:\n  path: out\nexecution:\n  tasks: 2\n`,
  );
  const result = await runInline(pipeline);
  const byId = new Map((await rows(result.dir, 'data/')).map((r) => [r.id as string, r]));
  assert.equal(byId.get('a2')?.license, 'MIT');
  assert.equal(byId.get('b1')?.license, null);
  assert.equal(byId.get('b1')?.license_class, 'no_license');
});
