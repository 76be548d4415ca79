/**
 * Which files can say what licence a folder is under, by name only (cheap: every file of a
 * pool passes here, and only the few that match are read as licence text).
 *
 * Licence-like files as The Stack v2 selects them: a name whose stem (any case, any extension
 * that is not source code) is or contains, as a separate part, `license`/`licence`, `copying`,
 * `copyright`, `notice`, `legal`, `unlicense`, `patents` or `copyleft` (LICENSE, LICENSE.md,
 * COPYING.LESSER, LICENSE-MIT, MIT-LICENSE.txt, NOTICE, UNLICENSE), and every file in a
 * `LICENSES/` folder (the REUSE layout, where the file name is the SPDX id). READMEs are a last
 * resort: read only when a folder has nothing better.
 */
import picomatch from 'picomatch';

const LICENSE_STEM = /(?:^|[-_. ])(?:licen[cs]es?|copying|copyright|notice|legal|unlicense|patents|copyleft)(?:$|[-_. ])/i;
const README = /^readme(?:$|[-_.])/i;
/** Extensions of code and data: `license.js` or `notice.py` is a program, not a licence text. */
const CODE_EXTENSIONS = new Set(
  'js mjs cjs ts tsx jsx py pyc rb go rs c h cc cpp hpp java kt scala cs php pl pm sh bash swift m mm json yml yaml toml xml lock map css scss less vue svelte d.ts snap png jpg gif svg ico'.split(
    ' ',
  ),
);

function extension(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot <= 0 ? '' : name.slice(dot + 1).toLowerCase();
}

/** `path`'s last component. */
export function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** `path`'s folder ('' for the root). */
export function dirName(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? '' : path.slice(0, slash);
}

export function isLicenseLike(path: string): boolean {
  const name = baseName(path);
  if (CODE_EXTENSIONS.has(extension(name))) return false;
  return LICENSE_STEM.test(name) || /(?:^|\/)licen[cs]es\/[^/]+$/i.test(path);
}

export function isReadme(path: string): boolean {
  const name = baseName(path);
  return README.test(name) && !CODE_EXTENSIONS.has(extension(name));
}

/** The folder a licence file speaks for: its own, or the parent of a `LICENSES/` folder. */
export function governedDir(path: string): string {
  const dir = dirName(path);
  return /^licen[cs]es$/i.test(baseName(dir)) ? dirName(dir) : dir;
}

/** A test for the files a user excludes from evidence: any base-name glob matches, any case. */
export function skipFiles(globs: readonly string[]): (path: string) => boolean {
  if (globs.length === 0) return () => false;
  const matches = picomatch([...globs], { nocase: true, dot: true });
  return (path) => matches(baseName(path));
}
