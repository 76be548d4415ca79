/**
 * Debian's `licensecheck` as the peer to compare with: run once over a list of files (whole
 * files: `--lines 0`; SPDX-style names: `--shortname-scheme spdx`), its names mapped to SPDX.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { normalizeExpression } from '../../src/licenses/expression.js';

export const LICENSECHECK = '/usr/bin/licensecheck';

/**
 * licensecheck's names that are not SPDX ids → SPDX. Unversioned GNU names mean "any version"
 * (as ScanCode reads them); names it has no SPDX form for (`mit_osf`, `public-domain`) stay
 * as they are and count as wrong. After this table, what still does not parse goes through
 * spdx-correct (normalizeExpression), which helps licensecheck where it can.
 */
const NAMES: Record<string, string> = {
  GPL: 'GPL-1.0-or-later',
  'GPL-1': 'GPL-1.0-only',
  'GPL-1+': 'GPL-1.0-or-later',
  'GPL-2': 'GPL-2.0-only',
  'GPL-2+': 'GPL-2.0-or-later',
  'GPL-3': 'GPL-3.0-only',
  'GPL-3+': 'GPL-3.0-or-later',
  LGPL: 'LGPL-2.0-or-later',
  'LGPL-2': 'LGPL-2.0-only',
  'LGPL-2+': 'LGPL-2.0-or-later',
  'LGPL-2.1+': 'LGPL-2.1-or-later',
  'LGPL-3': 'LGPL-3.0-only',
  'LGPL-3+': 'LGPL-3.0-or-later',
  AGPLv3: 'AGPL-3.0-only',
  'AGPL-3': 'AGPL-3.0-only',
  'AGPL-3+': 'AGPL-3.0-or-later',
  EUPL: 'EUPL-1.2',
  CDDL: 'CDDL-1.0',
  MPL: 'MPL-1.1',
  UNKNOWN: '',
};

/** One licensecheck answer (`GPL-2+ and/or MIT`, `X with Y exception`) as an SPDX expression, or null. */
export function licensecheckToSpdx(answer: string): string | null {
  const s = answer.replace(/^\*No copyright\*\s*/, '').trim();
  const mapped = s
    .replace(/ with (\S+) exception/g, ' WITH $1')
    .split(/ and\/or | or /)
    .map((part) => {
      const [lic, exc] = part.split(' WITH ');
      const id = NAMES[lic] ?? lic;
      return id && exc ? `${id} WITH ${exc}` : id;
    })
    .filter(Boolean);
  if (mapped.length === 0) return null;
  // `and/or` says only that both were seen: read it as both apply (AND), `or` as a choice
  const joined = s.includes(' or ') && !s.includes('and/or') ? mapped.join(' OR ') : mapped.join(' AND ');
  return normalizeExpression(joined) ?? joined;
}

export interface LicensecheckRun {
  answers: Map<string, string | null>;
  seconds: number;
  /** Wall time of one run on a single tiny file: the start-up cost in `seconds`. */
  startupSeconds: number;
}

function runOnce(files: string[]): { out: string; seconds: number } {
  const t0 = performance.now();
  const out = execFileSync(LICENSECHECK, ['--check', '.*', '--lines', '0', '--shortname-scheme', 'spdx', '--', ...files], { encoding: 'utf8', maxBuffer: 64 << 20 });
  return { out, seconds: (performance.now() - t0) / 1000 };
}

/** licensecheck over all `files` in one process; null when it is not installed. */
export function runLicensecheck(files: string[]): LicensecheckRun | null {
  if (!existsSync(LICENSECHECK) || files.length === 0) return null;
  const { out, seconds } = runOnce(files);
  const answers = new Map<string, string | null>();
  for (const line of out.split('\n')) {
    const at = line.lastIndexOf(': ');
    if (at < 0) continue;
    const file = line.slice(0, at);
    if (files.includes(file)) answers.set(file, licensecheckToSpdx(line.slice(at + 2)));
  }
  return { answers, seconds, startupSeconds: runOnce([files[0]]).seconds };
}
