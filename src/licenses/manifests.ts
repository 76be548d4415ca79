import { baseName } from './files.js';

/**
 * The licence a package manifest declares, as written (normalised later by expression.ts).
 * Formats: package.json (npm), composer.json, Cargo.toml, pyproject.toml, setup.cfg, setup.py,
 * *.gemspec, pom.xml, *.nuspec and R's DESCRIPTION. Several licences listed in one manifest
 * are alternatives (npm's legacy `licenses`, composer, RubyGems and Maven document it so).
 * TOML, Ruby and Python are read with line patterns, not parsers: only the licence field matters.
 */

type Reader = (content: string) => string | null;

/** Trove classifiers (`License :: OSI Approved :: MIT License`) → SPDX, the common ones. */
const CLASSIFIERS: Record<string, string> = {
  'mit license': 'MIT',
  'apache software license': 'Apache-2.0',
  'bsd license': 'BSD-3-Clause',
  'isc license (iscl)': 'ISC',
  'mozilla public license 2.0 (mpl 2.0)': 'MPL-2.0',
  'gnu general public license v2 (gplv2)': 'GPL-2.0-only',
  'gnu general public license v2 or later (gplv2+)': 'GPL-2.0-or-later',
  'gnu general public license v3 (gplv3)': 'GPL-3.0-only',
  'gnu general public license v3 or later (gplv3+)': 'GPL-3.0-or-later',
  'gnu lesser general public license v3 (lgplv3)': 'LGPL-3.0-only',
  'gnu lesser general public license v2 or later (lgplv2+)': 'LGPL-2.0-or-later',
  'gnu affero general public license v3': 'AGPL-3.0-only',
  'python software foundation license': 'PSF-2.0',
  'the unlicense (unlicense)': 'Unlicense',
  'public domain': 'LicenseRef-Public-Domain',
};

const alternatives = (list: string[]) => (list.length === 0 ? null : list.length === 1 ? list[0] : list.map((l) => (/\s/.test(l) ? `(${l})` : l)).join(' OR '));

function licenseEntry(v: unknown): string | null {
  if (typeof v === 'string') return v;
  if (v && typeof v === 'object' && typeof (v as { type?: unknown }).type === 'string') return (v as { type: string }).type;
  return null;
}

function fromJson(content: string): string | null {
  let doc: unknown;
  try {
    doc = JSON.parse(content);
  } catch {
    return null;
  }
  if (!doc || typeof doc !== 'object') return null;
  const { license, licenses } = doc as { license?: unknown; licenses?: unknown };
  const list = [license, licenses].flatMap((v) => (Array.isArray(v) ? v : [v])).map(licenseEntry);
  return alternatives(list.filter((l): l is string => l !== null));
}

function fromClassifiers(content: string): string | null {
  const found = [...content.matchAll(/License :: (?:OSI Approved :: )?([^"'\n]+?)\s*["',\n]/g)].map((m) => CLASSIFIERS[m[1].toLowerCase()]);
  return alternatives([...new Set(found.filter((f): f is string => f !== undefined))]);
}

/** `license = "MIT"` or `license = { text = "MIT" }` (TOML), `license = MIT` (setup.cfg). */
function fromKeyValue(content: string): string | null {
  const m = /^\s*license(?:[-_]expression)?\s*=\s*(?:\{\s*text\s*=\s*)?(?:"([^"\n]+)"|'([^'\n]+)'|([^\s"'{][^\n]*))/m.exec(content);
  const value = m ? (m[1] ?? m[2] ?? m[3]).trim() : null;
  return value ?? fromClassifiers(content);
}

function fromSetupPy(content: string): string | null {
  const m = /\blicense\s*=\s*["']([^"'\n]+)["']/.exec(content);
  return m ? m[1] : fromClassifiers(content);
}

function fromCargo(content: string): string | null {
  const v = fromKeyValue(content);
  return v ? v.replace(/\s*\/\s*/g, ' OR ') : null; // Cargo's old `MIT/Apache-2.0`
}

function fromGemspec(content: string): string | null {
  const list = /\.licenses?\s*=\s*\[?([^\]\n]+)\]?/.exec(content);
  if (!list) return null;
  return alternatives([...list[1].matchAll(/["']([^"']+)["']/g)].map((m) => m[1]));
}

function fromXml(tag: RegExp): Reader {
  return (content) => alternatives([...content.matchAll(tag)].map((m) => m[1].trim()).filter(Boolean));
}

function fromDescription(content: string): string | null {
  const m = /^License:\s*([^\n]+)/m.exec(content);
  if (!m) return null;
  const value = m[1].replace(/\+\s*file\s+LICEN[CS]E/gi, '').trim();
  return value.replace(/\s*\|\s*/g, ' OR ');
}

const BY_NAME: Record<string, Reader> = {
  'package.json': fromJson,
  'composer.json': fromJson,
  'cargo.toml': fromCargo,
  'pyproject.toml': fromKeyValue,
  'setup.cfg': fromKeyValue,
  'setup.py': fromSetupPy,
  'pom.xml': fromXml(/<license>\s*<name>([^<]+)<\/name>/g),
  description: fromDescription,
};

function readerFor(path: string): Reader | undefined {
  const name = baseName(path).toLowerCase();
  if (Object.hasOwn(BY_NAME, name)) return BY_NAME[name];
  if (name.endsWith('.gemspec')) return fromGemspec;
  if (name.endsWith('.nuspec')) return fromXml(/<license\s+type="expression"\s*>([^<]+)<\/license>/g);
  return undefined;
}

export function isManifest(path: string): boolean {
  return readerFor(path) !== undefined;
}

/** The licence the manifest at `path` declares, as written, or null. */
export function declaredLicense(path: string, content: string): string | null {
  const read = readerFor(path);
  return read ? read(content) : null;
}
