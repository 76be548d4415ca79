import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { detectFile, type Evidence } from '../../src/licenses/detect.js';
import { FolderTable, resolveFolder, resolveFolders } from '../../src/licenses/directories.js';
import { governedDir, isLicenseLike, isReadme } from '../../src/licenses/files.js';
import { declaredLicense, isManifest } from '../../src/licenses/manifests.js';
import { REPO_ROOT } from '../helpers/cli.js';
import { needsShared, sharedPath } from '../helpers/shared.js';

test('licence-like names: any case and extension, not source code; LICENSES/ folders', () => {
  for (const p of ['LICENSE', 'license.md', 'LiCeNsE.TxT', 'COPYING', 'COPYING.LESSER', 'LICENSE-MIT', 'MIT-LICENSE.txt', 'NOTICE', 'UNLICENSE', 'licence.html', 'a/b/LICENSES/MIT.txt', 'PATENTS'])
    assert.ok(isLicenseLike(p), p);
  for (const p of ['license.js', 'src/licenses.ts', 'notice.py', 'README.md', 'index.js', 'licensed-content.json']) assert.ok(!isLicenseLike(p), p);
  assert.ok(isReadme('README.md') && isReadme('readme') && !isReadme('readme.js'));
  assert.equal(governedDir('pkg/LICENSES/MIT.txt'), 'pkg');
  assert.equal(governedDir('pkg/LICENSE'), 'pkg');
  assert.equal(governedDir('LICENSE'), '');
});

test('manifests: package.json, composer, Cargo, pyproject, setup.cfg, gemspec, pom, DESCRIPTION', () => {
  assert.equal(declaredLicense('package.json', '{"license":"MIT"}'), 'MIT');
  assert.equal(declaredLicense('a/package.json', '{"licenses":[{"type":"MIT"},{"type":"Apache-2.0"}]}'), 'MIT OR Apache-2.0');
  assert.equal(declaredLicense('composer.json', '{"license":["MIT","GPL-3.0-only"]}'), 'MIT OR GPL-3.0-only');
  assert.equal(declaredLicense('Cargo.toml', '[package]\nname = "x"\nlicense = "MIT/Apache-2.0"\n'), 'MIT OR Apache-2.0');
  assert.equal(declaredLicense('pyproject.toml', '[project]\nlicense = {text = "BSD-3-Clause"}\n'), 'BSD-3-Clause');
  assert.equal(declaredLicense('pyproject.toml', '[project]\nclassifiers = [\n  "License :: OSI Approved :: MIT License",\n]\n'), 'MIT');
  assert.equal(declaredLicense('setup.cfg', '[metadata]\nlicense = Apache-2.0\nlicense_files = LICENSE\n'), 'Apache-2.0');
  assert.equal(declaredLicense('x.gemspec', "Gem::Specification.new do |s|\n  s.licenses = ['MIT', 'Ruby']\nend\n"), 'MIT OR Ruby');
  assert.equal(declaredLicense('pom.xml', '<licenses><license><name>Apache License, Version 2.0</name></license></licenses>'), 'Apache License, Version 2.0');
  assert.equal(declaredLicense('DESCRIPTION', 'Package: x\nLicense: GPL-2 | GPL-3\n'), 'GPL-2 OR GPL-3');
  assert.ok(isManifest('sub/Cargo.toml') && !isManifest('Cargo.lock'));
  assert.equal(declaredLicense('package.json', 'not json'), null);
});

const ev = (expression: string, file: string, tier: Evidence['tier']): Evidence => ({ expression, file, method: 'x', score: 1, tier });

test('folders: the strongest kind of evidence decides; several files of it all apply; LGPL-3.0 ships with the GPL', () => {
  assert.equal(resolveFolder([ev('MIT', 'LICENSE', 'text'), ev('Apache-2.0', 'package.json', 'manifest')])?.expression, 'Apache-2.0');
  assert.equal(resolveFolder([ev('MIT', 'LICENSE-MIT', 'text'), ev('Apache-2.0', 'LICENSE-APACHE', 'text')])?.expression, 'Apache-2.0 AND MIT');
  assert.equal(resolveFolder([ev('GPL-3.0-only', 'COPYING', 'text'), ev('LGPL-3.0-only', 'COPYING.LESSER', 'text')])?.expression, 'LGPL-3.0-only');
  assert.equal(resolveFolder([ev('MIT', 'README.md', 'readme'), ev('ISC', 'LICENSE', 'text')])?.expression, 'ISC');
  const table = new FolderTable(
    resolveFolders([
      ['', ev('MIT', 'LICENSE', 'text')],
      ['vendor/gpl', ev('GPL-2.0-only', 'vendor/gpl/COPYING', 'text')],
    ]),
  );
  assert.equal(table.lookup('src/deep/er')?.license.expression, 'MIT');
  assert.equal(table.lookup('vendor/gpl/src')?.license.expression, 'GPL-2.0-only');
  assert.equal(table.lookup('vendor')?.folder, '');
  assert.equal(new FolderTable(new Map()).lookup('a/b'), undefined);
});

test('detectFile on real licence files of installed packages (names decide what is read)', () => {
  const nm = path.join(REPO_ROOT, 'node_modules');
  const detect = (rel: string) => detectFile(rel, readFileSync(path.join(nm, rel), 'utf8'));
  assert.equal(detect('typescript/LICENSE.txt')?.expression, 'Apache-2.0');
  assert.equal(detect('yaml/LICENSE')?.expression, 'ISC');
  assert.equal(detect('commander/LICENSE')?.expression, 'MIT');
  // Apache-2.0 with its appendix: not ECL-2.0 (Apache's terms with changes), which shares a few more bigrams than Apache without the appendix
  assert.equal(detect('playwright-core/LICENSE')?.expression, 'Apache-2.0');
  assert.equal(detect('zod/package.json')?.method, 'manifest');
  assert.equal(detect('typescript/lib/typescript.js'), null, 'not licence-like: never read');
});

test('licensee fixtures: a licence file per fixture gives the expected licence', needsShared, () => {
  const dir = sharedPath('data', 'code', 'licensee-fixtures', 'spec', 'fixtures');
  const cases: [string, string][] = [
    ['mit/LICENSE.txt', 'MIT'],
    ['bsd-3-lists/LICENSE.BULLETS', 'BSD-3-Clause'],
    ['gpl-2.0_markdown/LICENSE.md', 'GPL-2.0-only'],
    ['lgpl/COPYING.lesser', 'LGPL-3.0-only'],
    ['cc-by-sa-mdlinks/License.md', 'CC-BY-SA-4.0'],
    ['html/license.html', 'EPL-1.0'],
    ['crlf-license/LICENSE', 'GPL-3.0-only'],
    ['apache-with-readme-notice/LICENSE.header', 'Apache-2.0'],
  ];
  for (const [rel, expected] of cases) assert.equal(detectFile(rel, readFileSync(path.join(dir, rel), 'utf8'))?.expression, expected, rel);
});
