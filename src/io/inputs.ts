import type { Stats } from 'node:fs';
import { lstat, stat } from 'node:fs/promises';
import { walkTree } from '../core/walk.js';
import path from 'node:path';
import { InputError } from '../core/errors.js';
import { oneLine } from './common.js';
import { globToRegExp, isGlob } from './glob.js';
import { expandS3Input } from './storage/s3-inputs.js';
import { isS3Url } from './storage/url.js';
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

/** Entries below a folder: files (of any type) and symlinks to directories, kept apart. */
interface Walked {
  files: string[];
  dirLinks: string[];
}

async function walk(dir: string, out: Walked): Promise<void> {
  const hidden = (name: string) => name.startsWith('.'); // hidden files, .git and our own temporaries
  for (const e of walkTree(dir, { skip: hidden })) {
    if (e.kind === 'dir') continue;
    // not followed (a loop, or the same files twice), but counted whatever its name
    if (
      e.kind === 'symlink' &&
      (await stat(e.abs).then(
        (st) => st.isDirectory(),
        () => false,
      ))
    )
      out.dirLinks.push(e.abs);
    else out.files.push(e.abs); // FIFOs, sockets and devices too: describe() marks them, so they are counted
  }
}

/** What a non-regular file is, for messages: "a FIFO", "a socket", ... */
function kindOf(st: Stats): string {
  if (st.isFIFO()) return 'a FIFO';
  if (st.isSocket()) return 'a socket';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isDirectory()) return 'a directory';
  return 'not a file';
}

/**
 * Size, mtime and (for a file that must not be opened) the problem a reader reports for it.
 * Size and mtime come from the link itself when it is not followed, so the input fingerprint
 * still sees the entry change.
 */
async function describe(abs: string): Promise<Pick<InputFile, 'bytes' | 'mtimeMs' | 'problem'>> {
  let link: Stats;
  try {
    link = await lstat(abs);
  } catch (err) {
    return { bytes: 0, mtimeMs: 0, problem: { reason: 'unreadable', detail: oneLine(err) } }; // vanished since listed
  }
  const own = { bytes: link.size, mtimeMs: link.mtimeMs };
  if (link.isFile()) return own;
  if (!link.isSymbolicLink()) return { ...own, problem: { reason: 'special_file', detail: `not a regular file (${kindOf(link)})` } };
  let st: Stats;
  try {
    st = await stat(abs);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const detail = code === 'ELOOP' ? 'symlink loop (ELOOP)' : code === 'ENOENT' ? 'dangling symlink' : oneLine(err);
    return { ...own, problem: { reason: 'unreadable', detail } };
  }
  if (st.isFile()) return { bytes: st.size, mtimeMs: st.mtimeMs }; // followed, as before
  if (st.isDirectory()) return { ...own, problem: { reason: 'symlink', detail: 'symlink to a directory (not followed)' } };
  return { ...own, problem: { reason: 'special_file', detail: `symlink to ${kindOf(st)}` } };
}

/** `listed`: an object store's entry, already described by its listing (name relative to its prefix, size, time). */
type Found = { abs: string; base: string; listed?: { rel: string; bytes: number; mtimeMs: number } }[];

/** A glob: every file below its fixed leading folder whose relative path matches. */
async function expandGlob(given: string, opts: ExpandOptions): Promise<Found> {
  const parts = given.split('/');
  const fixed: string[] = [];
  while (parts.length > 1 && !isGlob(parts[0])) fixed.push(parts.shift() as string);
  const baseDir = fixed.length === 0 ? '.' : fixed.join('/') || '/';
  const base = path.resolve(baseDir);
  const re = globToRegExp(parts.join('/'));
  const walked: Walked = { files: [], dirLinks: [] };
  try {
    await walk(base, walked);
  } catch (err) {
    throw new InputError(given, `cannot list ${baseDir}: ${(err as Error).message}`);
  }
  const matches = (f: string) => re.test(toSlash(path.relative(base, f)));
  const matched = walked.files.filter(matches);
  if (matched.length === 0) throw new InputError(given, `no ${opts.kind} files match`);
  // a glob names paths, so only a directory link it names is counted (not every one below)
  return [...matched, ...walked.dirLinks.filter(matches)].map((abs) => ({ abs, base }));
}

/** A named file, or every accepted file below a named directory. */
async function expandPath(given: string, opts: ExpandOptions): Promise<Found> {
  let st;
  try {
    st = await stat(given);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new InputError(given, code === 'ENOENT' ? 'no such file or directory' : (err as Error).message);
  }
  const abs = path.resolve(given);
  if (st.isFile()) return [{ abs, base: path.dirname(abs) }];
  // named on purpose, so an error rather than an exclusion (and opening a FIFO would block)
  if (!st.isDirectory()) throw new InputError(given, `not a regular file (${kindOf(st)})`);
  const walked: Walked = { files: [], dirLinks: [] };
  await walk(abs, walked);
  const picked = walked.files.filter((f) => opts.accept(path.basename(f)));
  if (picked.length === 0) throw new InputError(given, `no ${opts.kind} files in directory`);
  // every directory link is counted: a real directory in its place would have been read
  return [...picked, ...walked.dirLinks].map((f) => ({ abs: f, base: abs }));
}

/**
 * Resolve file / directory / glob inputs into a sorted, de-duplicated file list.
 * Source names: relative to `root` when given; else a directory input's files are relative to
 * the directory, a glob's to its fixed leading folder, and a file is named by its base name.
 * Two inputs with the same source name are an error (ids would collide). Entries of a walked
 * folder that must not be opened (FIFO, socket, device, symlink loop, dangling symlink,
 * symlink to a directory) are listed with a `problem`; a named one is an InputError.
 */
export async function expandInputs(inputs: string | readonly string[], opts: ExpandOptions): Promise<InputFile[]> {
  const list = typeof inputs === 'string' ? [inputs] : [...inputs];
  if (list.length === 0) throw new InputError('(input)', `no ${opts.kind} input given`);
  const found: Found = [];
  for (const given of list) {
    if (isS3Url(given)) found.push(...(await expandS3Input(given, opts.accept, opts.kind)).map((o) => ({ abs: o.url, base: given, listed: o })));
    else found.push(...(isGlob(given) ? await expandGlob(given, opts) : await expandPath(given, opts)));
  }
  const bySource = new Map<string, InputFile>();
  for (const f of found) {
    const rel = f.listed ? f.listed.rel : toSlash(path.relative(opts.root !== undefined ? path.resolve(opts.root) : f.base, f.abs));
    const prev = bySource.get(rel);
    if (prev) {
      if (prev.absPath === f.abs) continue;
      throw new InputError(f.abs, `same source name "${rel}" as ${prev.absPath}; set the reader's root option`);
    }
    bySource.set(rel, { path: rel, absPath: f.abs, ...(f.listed ? { bytes: f.listed.bytes, mtimeMs: f.listed.mtimeMs } : await describe(f.abs)) });
  }
  return [...bySource.values()].sort((a, b) => compareBytes(a.path, b.path));
}
