/**
 * Class names and prompt templates for zero-shot classification, from JSON files the user
 * gives (the product ships no class list): a class file is an array of names (openai/CLIP's
 * `openai_clip_imagenet_classes.json`, index = position) or `{ "classes": [{ index, wnid,
 * wnid_wn31?, clip_classname }] }`; a template file is an array of strings with `{}` where the
 * name goes (CLIP's 80 ImageNet templates).
 */
import { ThresherError } from '../../core/errors.js';
import { readFileSync } from 'node:fs';

export interface ClassInfo {
  index: number;
  name: string;
  /** ImageNet WNID (WordNet 3.0 offset, `n01440764`) when the file gives it. */
  wnid?: string;
  /** The same synset in WordNet 3.1, when the file gives it. */
  wnid31?: string;
}

interface ClassEntry {
  index?: number;
  wnid?: string;
  wnid_wn31?: string;
  clip_classname?: string;
  name?: string;
}

export function parseClassList(json: unknown, source: string): ClassInfo[] {
  const list = Array.isArray(json) ? json : (json as { classes?: unknown })?.classes;
  if (!Array.isArray(list) || list.length === 0) throw new ThresherError(`${source}: expected a non-empty array of class names, or { "classes": [...] }`);
  return list.map((entry: unknown, position) => {
    if (typeof entry === 'string') return { index: position, name: entry };
    const e = entry as ClassEntry;
    const name = e.clip_classname ?? e.name;
    if (typeof name !== 'string') throw new ThresherError(`${source}: class ${position} has no clip_classname or name`);
    return { index: e.index ?? position, name, wnid: e.wnid, wnid31: e.wnid_wn31 };
  });
}

export function readClassList(file: string): ClassInfo[] {
  return parseClassList(JSON.parse(readFileSync(file, 'utf8')), file);
}

export function readTemplates(file: string): string[] {
  const json: unknown = JSON.parse(readFileSync(file, 'utf8'));
  if (!Array.isArray(json) || json.length === 0 || !json.every((t) => typeof t === 'string')) throw new ThresherError(`${file}: expected a non-empty array of template strings`);
  return json as string[];
}

/** `LOC_synset_mapping.txt` (ImageNet devkit): one `WNID lemmas` line per class, in index order. */
export function readWnidLines(file: string): string[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .map((l) => l.trim().split(/\s+/)[0])
    .filter((w) => w !== undefined && w !== '');
}
