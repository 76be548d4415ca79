/**
 * MetaCLIP 2 language routing: which metadata a text is matched against, from the label a
 * language identifier gave it. The table (label → metadata language) ships as data,
 * `data/lid176-routing.tsv`, with the rule behind each line in its header; a user's table
 * replaces it whole.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { InputError, ThresherError } from '../core/errors.js';

/** The metadata language of texts whose label is empty, unknown, or names no metadata. */
export const OTHER = 'other';

/** The shipped table for fastText lid.176's labels. */
export const SHIPPED_ROUTING = fileURLToPath(new URL('../../../src/metaclip/data/lid176-routing.tsv', import.meta.url));

export type RoutingTable = ReadonlyMap<string, string>;

/** `label<TAB>language` lines (`#` comments, blank lines skipped), or a JSON object label → language. */
export function parseRoutingTable(text: string, file = '<routing>'): Map<string, string> {
  const table = new Map<string, string>();
  const add = (label: string, language: string, row?: number): void => {
    if (label === '' || language === '') throw new InputError(file, 'a label and its language must not be empty', row === undefined ? {} : { row });
    if (table.has(label)) throw new InputError(file, `label ${JSON.stringify(label)} listed twice`, row === undefined ? {} : { row });
    table.set(label, language);
  };
  if (text.trimStart().startsWith('{')) {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      throw new InputError(file, `not valid JSON: ${(err as Error).message}`);
    }
    for (const [label, language] of Object.entries(value as Record<string, unknown>)) {
      if (typeof language !== 'string') throw new InputError(file, `label ${JSON.stringify(label)}: the language must be a string`);
      add(label, language);
    }
    return table;
  }
  text.split('\n').forEach((raw, row) => {
    const line = raw.replace(/\r$/, '');
    if (line.trim() === '' || line.startsWith('#')) return;
    const fields = line.split('\t');
    if (fields.length !== 2) throw new InputError(file, 'expected "label<TAB>language"', { row });
    add(fields[0].trim(), fields[1].trim(), row);
  });
  return table;
}

export function loadRoutingTable(file: string = SHIPPED_ROUTING): Map<string, string> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new InputError(file, `cannot read routing table: ${(err as Error).message}`);
  }
  return parseRoutingTable(text, file);
}

/** How a text reached its metadata. */
export type RouteKind = 'label' | 'other' | 'fallback' | 'none';

export interface Route {
  /** the metadata language used, or null when the text has none to match against */
  language: string | null;
  /** label: its label's language; other: the `other` metadata; fallback: fallback_language; none: no metadata */
  via: RouteKind;
}

/**
 * Routing of one run. Precedence for a text with label L:
 *   1. the table's language for L (L itself when the table lacks L), if it has metadata;
 *   2. else `other`, if `other` has metadata (empty labels go here too);
 *   3. else `fallback_language`, if set;
 *   4. else nothing: the text matches no entry and is counted under `other`.
 * `other` metadata and `fallback_language` together are refused: both would claim the same texts.
 */
export class LanguageRouter {
  constructor(
    private readonly table: RoutingTable,
    private readonly metadataLanguages: ReadonlySet<string>,
    private readonly fallback?: string,
  ) {
    if (fallback !== undefined) {
      if (!metadataLanguages.has(fallback)) throw new ThresherError(`fallback_language ${JSON.stringify(fallback)} has no metadata (languages: ${[...metadataLanguages].join(', ')})`);
      if (metadataLanguages.has(OTHER)) throw new ThresherError(`fallback_language and "${OTHER}" metadata both take the texts no metadata language claims: give one of them`);
    }
  }

  /** Pure: callers on a hot path cache by label (stages/metaclip/routing.ts does). */
  route(value: unknown): Route {
    const label = typeof value === 'string' ? value : '';
    if (label !== '') {
      const language = this.table.get(label) ?? label;
      if (language !== OTHER && this.metadataLanguages.has(language)) return { language, via: 'label' };
    }
    if (this.metadataLanguages.has(OTHER)) return { language: OTHER, via: 'other' };
    if (this.fallback !== undefined) return { language: this.fallback, via: 'fallback' };
    return { language: null, via: 'none' };
  }
}

/**
 * align_lid_to_wiki's grouping of Wikipedia editions into metadata languages: an edition with
 * "_" goes to the part before it, kept only if that is a language of the table (the reference
 * leaves such variants out otherwise); an edition without "_" that no label maps to goes to
 * `other`. Returns null for a variant left out. `targets`: the table's languages (`routingTargets`).
 */
export function metadataLanguageOfEdition(edition: string, targets: ReadonlySet<string>): string | null {
  const underscore = edition.indexOf('_');
  if (underscore > 0) {
    const key = edition.slice(0, underscore);
    return targets.has(key) && key !== OTHER ? key : null;
  }
  return targets.has(edition) && edition !== OTHER ? edition : OTHER;
}

/** The metadata languages a table routes to. */
export function routingTargets(table: RoutingTable): Set<string> {
  return new Set(table.values());
}
