import { createRequire } from 'node:module';
import { knownId, normalizeExpression } from './expression.js';

/**
 * Licences referred to by URL ("see http://www.apache.org/licenses/LICENSE-2.0",
 * "https://opensource.org/licenses/BSD-3-Clause", "creativecommons.org/licenses/by-sa/4.0/"),
 * which a file header often gives instead of a licence name. Read from the raw text (the words
 * of a URL lose its hyphens and slashes once normalised), by two kinds of evidence:
 *
 * - the SPDX list's own URL for each licence (`spdx-license-list`'s `url`), compared without
 *   scheme, `www.`, an `.html`/`.txt`/`.php` ending, `-standalone`, `/legalcode` or a final `/`
 *   (a URL several licences share counts for the one whose id begins all the others':
 *   MPL-2.0 before MPL-2.0-no-copyleft-exception, GPL-2.0-only before GPL-2.0-or-later);
 * - the URL schemes that spell an id: `opensource.org/licenses/<id>`, `spdx.org/licenses/<id>`,
 *   `creativecommons.org/licenses/<kind>/<version>` and `/publicdomain/zero/1.0`, and
 *   `gnu.org/licenses/<gpl|lgpl|agpl|fdl>-<version>`.
 */

const require = createRequire(import.meta.url);

const URL = /\bhttps?:\/\/[^\s<>"'()[\]{}]+|\b(?:www\.)?(?:opensource\.org|spdx\.org|creativecommons\.org|gnu\.org|apache\.org)\/[^\s<>"'()[\]{}]+/gi;

/** A URL as the tables compare it. */
function canonical(url: string): string {
  return url
    .toLowerCase()
    .replace(/^https?:\/\//, '')
    .replace(/^www\./, '')
    .replace(/[.,;:]+$/, '')
    .replace(/\/+$/, '')
    .replace(/\/legalcode(?:\.[a-z]+)?$/, '')
    .replace(/\.(?:html?|txt|php|en)$/, '')
    .replace(/-standalone$/, '')
    .replace(/\/+$/, '');
}

const baseId = (id: string): string => id.replace(/-(?:only|or-later)$/, '');

let byUrl: Map<string, string> | undefined;

/** The SPDX list's URLs → id; a URL several licences share goes to the id that begins the others', or to none. */
function listUrls(): Map<string, string> {
  if (byUrl) return byUrl;
  const list = require('spdx-license-list') as Record<string, { url?: string }>;
  const current = new Set(require('spdx-license-ids') as string[]);
  const groups = new Map<string, string[]>();
  for (const [id, { url }] of Object.entries(list)) {
    if (!url || !current.has(id)) continue;
    const key = canonical(url);
    groups.set(key, [...(groups.get(key) ?? []), id]);
  }
  byUrl = new Map();
  for (const [key, ids] of groups) {
    const sorted = [...ids].sort((a, b) => a.length - b.length || (a.endsWith('-only') ? -1 : 1));
    const first = sorted[0];
    if (sorted.every((id) => id === first || id.startsWith(baseId(first)))) byUrl.set(key, first);
  }
  return byUrl;
}

const GNU_URL = /^gnu\.org\/licenses\/(?:old-licenses\/)?(gpl|lgpl|agpl|fdl)-(\d\.\d)$/;
const CC_URL = /^creativecommons\.org\/licenses\/(by(?:-nc)?(?:-sa|-nd)?)\/(\d\.\d)$/;

/**
 * Pages that state a project's licence, which its file headers cite instead of a name (curl's:
 * "licensed as described in the file COPYING ... also available at https://curl.se/docs/copyright.html").
 */
const PROJECT_PAGES: Record<string, string> = {
  'curl.se/docs/copyright': 'curl',
  'curl.haxx.se/docs/copyright': 'curl',
};

/** The licence one URL names, or null. */
export function urlLicense(url: string): string | null {
  const key = canonical(url);
  const listed = listUrls().get(key) ?? PROJECT_PAGES[key];
  if (listed) return listed;
  const id = /^(?:opensource\.org\/licenses?|spdx\.org\/licenses)\/([\w.+-]+)$/.exec(key)?.[1];
  if (id) return knownId(id) ? normalizeExpression(knownId(id)!) : null;
  const gnu = GNU_URL.exec(key);
  if (gnu) return normalizeExpression(`${gnu[1] === 'fdl' ? 'GFDL' : gnu[1].toUpperCase()}-${gnu[2]}`);
  const cc = CC_URL.exec(key);
  if (cc) return knownId(`CC-${cc[1]}-${cc[2]}`) ?? null;
  if (key === 'creativecommons.org/publicdomain/zero/1.0') return 'CC0-1.0';
  return null;
}

/** The distinct licences the URLs of a text name, in text order. */
export function urlLicenses(text: string): string[] {
  if (!text.includes('.org') && !text.includes('://')) return [];
  const out: string[] = [];
  for (const m of text.matchAll(URL)) {
    const id = urlLicense(m[0]);
    if (id && !out.includes(id)) out.push(id);
  }
  return out;
}

/**
 * Words right before a URL that make it the grant of the licence it names ("released to the public
 * domain, as explained at <CC0's URL>", "licensed under <URL>", "dedicated ... see <URL>"): a notice
 * like a name, counted beside the file's other licences, not only as the last resort. The grant and
 * the URL are in one sentence (no full stop between them).
 */
const GRANTED_BY = /\b(?:released|licen[cs]ed|distributed|available|dedicated|waived|offered)\b([^.!?]{0,60}?)\b(?:at|under|in|see|per|by|from)\s*$/i;

/** A licence the sentence names as a source or a comparison ("derived from the X license available at <URL>"), not as a grant. */
const NOT_GRANTED = /\b(?:derived from|based on|adapted from|modell?ed on|compatible with|similar to|unlike)\b/i;

/** The licences of URLs that a grant names (see GRANTED_BY), in text order. */
export function grantedUrlLicenses(text: string): string[] {
  if (!text.includes('.org') && !text.includes('://')) return [];
  const out: string[] = [];
  for (const m of text.matchAll(URL)) {
    const before = text.slice(Math.max(0, m.index - 100), m.index).replace(/\s+/g, ' ');
    // (a licence named between the grant and the URL is the grant: "released under the MIT License; see <URL>")
    const grant = GRANTED_BY.exec(before);
    if (!grant || NOT_GRANTED.test(before) || /\blicen[cs]e\b/i.test(grant[1])) continue;
    const id = urlLicense(m[0]);
    if (id && !out.includes(id)) out.push(id);
  }
  return out;
}
