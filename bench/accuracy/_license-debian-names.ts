/**
 * Debian's short licence names (DEP-5, https://dep-team.pages.debian.net/deps/dep5/ "License
 * specification") as SPDX expressions, for the Debian copyright bench (_license-debian.ts).
 *
 * How a name is read, in order:
 * - GNU names with a version: `GPL-2` is version 2 only, `GPL-2+` (or `GPL-2.0+`) version 2 or
 *   later, as DEP-5 defines the `+`; `LGPL-2.1+`, `AGPL-3`, `GFDL-1.3+` alike. A GNU name without
 *   a version (`GPL`, `LGPL`) is skipped: DEP-5 gives it no version and maintainers use it loosely.
 * - the DEP-5 names that differ from SPDX ids (TABLE below: `Expat` is MIT, `BSD-3-clause` is
 *   BSD-3-Clause, `Zope-2.1` is ZPL-2.1, `CC0` is CC0-1.0, `OpenLDAP-2.8` is OLDAP-2.8), a bare
 *   major version (`Apache-2` is Apache-2.0);
 * - a name that is an SPDX licence id in any case (`ISC`, `curl`, `ZLIB`, `PostgreSQL`);
 * - `X with Y exception` when Y is an exception SPDX lists for X (EXCEPTIONS);
 * - `A or B`, `A and B` (one operator kind per name), each part as above; DEP-5's `Artistic`
 *   is Perl's Artistic licence only in Perl's own pair (`GPL-1+ or Artistic`, which DEP-5 gives
 *   as the spelled-out form of `Perl`), since alone it could be either SPDX text (1.0 or 1.0-Perl).
 * Everything else is skipped: `public-domain`, `BSD-like`, `other`, `permissive`, names a package
 * made up (`BSD-3-google`, `OldBoost2`), unversioned `Apache`/`Artistic`/`BSL`/`MPL`, names with
 * commas or parentheses, exceptions SPDX has no general id for (OpenSSL, FLOSS), and Debian's
 * `Autoconf exception`, which stands for any of SPDX's four Autoconf exceptions.
 */
import { createRequire } from 'node:module';
import { knownId, normalizeExpression } from '../../src/licenses/expression.js';

const require = createRequire(import.meta.url);

/** DEP-5 names (lower case) that are not SPDX ids, → SPDX. */
const TABLE: Record<string, string> = {
  expat: 'MIT',
  'bsd-2-clause': 'BSD-2-Clause',
  'bsd-3-clause': 'BSD-3-Clause',
  'bsd-4-clause': 'BSD-4-Clause',
  // "BSD-3" is how many maintainers shorten BSD-3-clause; the clause count leaves no doubt
  'bsd-2': 'BSD-2-Clause',
  'bsd-3': 'BSD-3-Clause',
  'bsd-4': 'BSD-4-Clause',
  cc0: 'CC0-1.0',
  'zope-2.1': 'ZPL-2.1',
  'zope-2.0': 'ZPL-2.0',
  'zope-1.1': 'ZPL-1.1',
  'openldap-2.8': 'OLDAP-2.8',
  perl: 'Artistic-1.0-Perl OR GPL-1.0-or-later',
};

const GNU = /^(A?GPL|LGPL|GFDL)v?-?(\d(?:\.\d)?)(?:\.0)?(\+|-or-later|-only)?$/i;

/** Versions the GNU families have (a `GPL-4` is a typo, not a licence). */
const GNU_VERSIONS: Record<string, string[]> = { GPL: ['1.0', '2.0', '3.0'], LGPL: ['2.0', '2.1', '3.0'], AGPL: ['1.0', '3.0'], GFDL: ['1.1', '1.2', '1.3'] };

function gnu(name: string): string | null {
  const m = GNU.exec(name);
  if (!m) return null;
  const family = m[1].toUpperCase();
  const version = m[2].includes('.') ? m[2] : `${m[2]}.0`;
  if (!GNU_VERSIONS[family].includes(version)) return null;
  return `${family}-${version}-${m[3] === '+' || m[3]?.toLowerCase() === '-or-later' ? 'or-later' : 'only'}`;
}

let licenseIds: Map<string, string> | undefined;

/** Current SPDX licence ids by lower case (not exceptions, not deprecated ids). */
function spdxId(name: string): string | undefined {
  licenseIds ??= new Map((require('spdx-license-ids') as string[]).map((id) => [id.toLowerCase(), id]));
  return licenseIds.get(name.toLowerCase());
}

/** One licence name without exception or operator, or null. */
function single(name: string): string | null {
  const lower = name.toLowerCase();
  if (Object.hasOwn(TABLE, lower)) return TABLE[lower];
  const fromGnu = gnu(name);
  if (fromGnu) return fromGnu;
  const direct = spdxId(name);
  if (direct) return direct;
  // a bare major version: `Apache-2`, `MPL-2`, `Artistic-2`
  const major = /^(.+)-(\d)$/.exec(name);
  return major ? (spdxId(`${major[1]}-${major[2]}.0`) ?? null) : null;
}

/** DEP-5 exception names (lower case) → the SPDX exception, per licence family and version. */
const EXCEPTIONS: Record<string, (licence: string) => string | null> = {
  // Bison's exception under GPL-3 is its 2.2 text (the 1.24 one predates GPLv3); under GPL-2 it may be either
  bison: (l) => (/^GPL-3\.0/.test(l) ? 'Bison-exception-2.2' : null),
  libtool: (l) => (/^GPL-/.test(l) ? 'Libtool-exception' : null),
  'linux-syscall-note': (l) => (/^GPL-2\.0/.test(l) ? 'Linux-syscall-note' : null),
  llvm: (l) => (l === 'Apache-2.0' ? 'LLVM-exception' : null),
  classpath: (l) => (/^GPL-2\.0/.test(l) ? 'Classpath-exception-2.0' : null),
  gcc: (l) => (/^GPL-3\.0/.test(l) ? 'GCC-exception-3.1' : /^GPL-2\.0/.test(l) ? 'GCC-exception-2.0' : null),
  font: (l) => (/^GPL-/.test(l) ? 'Font-exception-2.0' : null),
};

/** `X` or `X with Y exception`. */
function term(part: string): string | null {
  const m = /^(.+?)\s+with\s+(.+?)\s+exception$/i.exec(part);
  if (!m) return single(part);
  const licence = single(m[1]);
  const exception = licence && !licence.includes(' ') ? EXCEPTIONS[m[2].toLowerCase()]?.(licence) : null;
  return licence && exception ? `${licence} WITH ${exception}` : null;
}

/** The SPDX expression of a DEP-5 licence name, or null when it cannot be read without doubt. */
export function debianToSpdx(raw: string): string | null {
  const name = raw.trim().replace(/\s+/g, ' ');
  if (name === '' || /[,()]/.test(name)) return null;
  const parts = name.split(/ (or|and) /i);
  const operators = new Set(parts.filter((_, i) => i % 2 === 1).map((o) => o.toLowerCase()));
  if (operators.size > 1) return null;
  const names = parts.filter((_, i) => i % 2 === 0);
  // Perl's pair: `Artistic` beside `GPL-1+` is Perl's Artistic licence (DEP-5's spelling of `Perl`)
  const perlPair = operators.has('or') && names.length === 2 && names.some((n) => /^artistic(?:-1(?:\.0)?)?$/i.test(n)) && names.some((n) => gnu(n) === 'GPL-1.0-or-later');
  const mapped = names.map((n) => (perlPair && /^artistic/i.test(n) ? 'Artistic-1.0-Perl' : term(n)));
  if (mapped.some((m) => m === null)) return null;
  const op = operators.has('or') ? ' OR ' : ' AND ';
  const expression = mapped.map((m) => (m!.includes(' OR ') && op === ' AND ' ? `(${m})` : m)).join(op);
  return normalizeExpression(expression) ?? (knownId(expression) ? expression : null);
}
