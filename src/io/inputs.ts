import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { InputError } from '../core/errors.js';
import { globToRegExp, isGlob } from './glob.js';
import { compareBytes } from './order.js';
import type { InputFile } from './types.js';

export interface ExpandOptions {
  /** Sources are named relative to this folder when given. */
  root?: string;
  /** Which files a directory input picks up (by file name). */
  accept: (name: string) => boolean;
  /** For messages: "JSONL", "Parquet". */
  kind: string;
}

function toSlash(p: string): string {
  return p.split(path.sep).join('/');
}

async function walk(dir: string, out: string[]): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true });
  for (const e of entries) {
    if (e.name === '.git' || e.name.startsWith('.')) continue; // hidden files and our own temporaries
    const full = path.join(dir, e.name);
    if (e.isDirectory()) await walk(full, out);
    else if (e.isFile() || e.isSymbolicLink()) out.push(full);
  }
}

/**
 * Resolve file / directory / glob inputs into a sorted, de-duplicated file list.
 * Source names: relative to `root` when given; else a directory input's files are relative to
 * the directory, a glob's to its fixed leading folder, and a file is named by its base name.
 * Two inputs with the same source name are an error (ids would collide).
 */
export async function expandInputs(inputs: string | readonly string[], opts: ExpandOptions): Promise<InputFile[]> {
  const list = typeof inputs === 'string' ? [inputs] : [...inputs];
  if (list.length === 0) throw new InputError('(input)', `no ${opts.kind} input given`);
  const found: { abs: string; base: string }[] = [];
  for (const given of list) {
    if (isGlob(given)) {
      const parts = given.split('/');
      const fixed: string[] = [];
      while (parts.length > 1 && !isGlob(parts[0])) fixed.push(parts.shift() as string);
      const baseDir = fixed.length === 0 ? '.' : fixed.join('/') || '/';
      const re = globToRegExp(parts.join('/'));
      const files: string[] = [];
      try {
        await walk(path.resolve(baseDir), files);
      } catch (err) {
        throw new InputError(given, `cannot list ${baseDir}: ${(err as Error).message}`);
      }
      const matched = files.filter((f) => re.test(toSlash(path.relative(path.resolve(baseDir), f))));
      if (matched.length === 0) throw new InputError(given, `no ${opts.kind} files match`);
      for (const f of matched) found.push({ abs: f, base: path.resolve(baseDir) });
      continue;
    }
    let st;
    try {
      st = await stat(given);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      throw new InputError(given, code === 'ENOENT' ? 'no such file or directory' : (err as Error).message);
    }
    if (st.isDirectory()) {
      const files: string[] = [];
      await walk(path.resolve(given), files);
      const picked = files.filter((f) => opts.accept(path.basename(f)));
      if (picked.length === 0) throw new InputError(given, `no ${opts.kind} files in directory`);
      for (const f of picked) found.push({ abs: f, base: path.resolve(given) });
    } else {
      found.push({ abs: path.resolve(given), base: path.dirname(path.resolve(given)) });
    }
  }
  const bySource = new Map<string, InputFile>();
  for (const f of found) {
    const rel = toSlash(path.relative(opts.root !== undefined ? path.resolve(opts.root) : f.base, f.abs));
    const prev = bySource.get(rel);
    if (prev) {
      if (prev.absPath === f.abs) continue;
      throw new InputError(f.abs, `same source name "${rel}" as ${prev.absPath}; set the reader's root option`);
    }
    let st;
    try {
      st = await stat(f.abs);
    } catch (err) {
      throw new InputError(rel, (err as Error).message);
    }
    bySource.set(rel, { path: rel, absPath: f.abs, bytes: st.size, mtimeMs: st.mtimeMs });
  }
  return [...bySource.values()].sort((a, b) => compareBytes(a.path, b.path));
}
