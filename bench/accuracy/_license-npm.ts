/**
 * The issue's own comparison with Debian's licensecheck ("96.5% on a set of npm LICENSE texts"):
 * the LICENSE files of the installed npm packages that declare ONE SPDX licence in their
 * package.json, that licence as the label. Split, like the other sets, by a hash of the package
 * name (all versions of a package fall in the same half); a package with several LICENSE files is
 * left out, since its one label does not say which file is which. Labels are the packages' own word: a
 * file that is truly another licence than the one declared (a package shipping a dependency's
 * licence) counts as a miss for both tools, and the disagreements are listed to audit.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { knownId, normalizeExpression } from '../../src/licenses/expression.js';
import { declaredLicense } from '../../src/licenses/manifests.js';
import { filesUnder, splitOf, type Split } from './_license-data.js';

/** Every installed package folder (with a package.json naming it) under a node_modules. */
export function packages(nodeModules: string, out: string[] = []): string[] {
  let names: string[];
  try {
    names = readdirSync(nodeModules).sort();
  } catch {
    return out;
  }
  for (const name of names) {
    if (name.startsWith('.')) continue;
    const dir = path.join(nodeModules, name);
    if (name.startsWith('@')) packages(dir, out);
    else if (statSync(path.join(dir, 'package.json'), { throwIfNoEntry: false })) {
      out.push(dir);
      packages(path.join(dir, 'node_modules'), out);
    }
  }
  return out;
}

/** A LICENSE file as npm packages name it: LICENSE, LICENCE, LICENSE.md, LICENSE-MIT, license.txt. */
const LICENSE_FILE = /^licen[cs]e(?:[.-][\w.-]*)?$/i;

export interface NpmLicenseCase {
  /** package name/relative file, the package name deciding the split */
  name: string;
  file: string;
  expected: string;
  split: Split;
}

/** The package name in package.json (the folder's path as a fallback). */
function packageName(dir: string, root: string): string {
  try {
    const name = (JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: unknown }).name;
    if (typeof name === 'string' && name) return name;
  } catch {
    // the declared licence below reads the same file and skips the package
  }
  return path.relative(root, dir);
}

/** The LICENSE file at the root of each package under `nodeModules` that declares one SPDX id and ships one. */
export function npmLicenseCases(nodeModules: string): NpmLicenseCase[] {
  const out: NpmLicenseCase[] = [];
  const seen = new Set<string>();
  for (const dir of packages(nodeModules)) {
    const raw = declaredLicense('package.json', readFileSync(path.join(dir, 'package.json'), 'utf8'));
    const declared = raw === null ? null : normalizeExpression(raw);
    if (declared === null || !knownId(declared)) continue; // one licence, no operators
    const name = packageName(dir, nodeModules);
    // several LICENSE files (LICENSE.MIT beside LICENSE.Apache): the label says not which is which
    const files = filesUnder(dir).filter((f) => !f.includes('/') && LICENSE_FILE.test(f));
    if (files.length !== 1) continue;
    const key = `${name}/${files[0]}\0${readFileSync(path.join(dir, files[0]), 'utf8')}`;
    if (seen.has(key)) continue; // the same package and file installed twice
    seen.add(key);
    out.push({ name: `${name}/${files[0]}`, file: path.join(dir, files[0]), expected: declared, split: splitOf(name) });
  }
  return out;
}
