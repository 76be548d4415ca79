/**
 * Wikipedia title views of one language, as build_title.py aggregates Wikimedia's hourly
 * page-view dumps (`pageviews-YYYYMMDD-HH0000.gz`, lines `domain title views bytes`): the
 * domain's mobile marker `.m` removed, then its part before the first "." names the edition
 * ("-" → "_": `zh-yue` is zh_yue), titles get `_` → space, and titles with ":" (other
 * namespaces) or zero views are dropped. Views add up over all files.
 */
import { InputError } from '../../core/errors.js';
import { fileLines, readCountFile } from '../metadata.js';

/** The edition a page-view domain code belongs to: `en.m` → en, `de.b` → de, `zh-yue` → zh_yue. */
export function editionOfDomain(domain: string): string {
  return domain.replaceAll('.m', '').split('.')[0].replaceAll('-', '_');
}

function addTitle(views: Map<string, number>, rawTitle: string, count: number): void {
  const title = rawTitle.trim().replaceAll('_', ' ');
  if (count === 0 || title.includes(':')) return;
  views.set(title, (views.get(title) ?? 0) + count);
}

export async function titleViewsFromPageviews(files: readonly string[], language: string, views = new Map<string, number>()): Promise<Map<string, number>> {
  for (const file of files) {
    for await (const [row, raw] of fileLines(file)) {
      const line = raw.trim();
      if (line === '' || line.startsWith('"" ')) continue;
      const fields = line.split(' ');
      // the reference skips lines that do not split into four fields
      if (fields.length !== 4) continue;
      if (editionOfDomain(fields[0]) !== language) continue;
      const count = Number(fields[2]);
      if (!Number.isInteger(count) || count < 0) throw new InputError(file, `view count ${JSON.stringify(fields[2])} is not a whole number`, { row });
      addTitle(views, fields[1], count);
    }
  }
  return views;
}

/** `title<TAB>views` files (one language's), with the same title rules. */
export async function titleViewsFromCounts(files: readonly string[], views = new Map<string, number>()): Promise<Map<string, number>> {
  for (const file of files) for (const [title, count] of await readCountFile(file)) addTitle(views, title, count);
  return views;
}
