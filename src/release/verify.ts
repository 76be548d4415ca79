import { lstatSync, readFileSync } from 'node:fs';
import { walkTree } from '../core/walk.js';
import path from 'node:path';
import { sha256File } from '../core/hashing.js';
import type { Manifest } from './manifest.js';
import { checkCounts, checkDigest, manifestShapeProblem } from './integrity.js';
import { countRows } from './rows.js';

export interface VerifyProblem {
  file: string;
  problem: string;
}

export interface VerifyOptions {
  /**
   * Called for each warning (something verify cannot check, which does not fail it). The CLI
   * prints only problems, so by default warnings go to stderr as `WARN <file>: <warning>`.
   */
  warn?: (w: VerifyProblem) => void;
}

export interface VerifyResult {
  manifest?: Manifest;
  problems: VerifyProblem[];
  warnings: VerifyProblem[];
  checked: number;
}

/** What is in a release folder, read with lstat: symlinks are listed, never followed. */
interface Tree {
  files: Set<string>;
  dirs: string[];
  links: string[];
  others: string[];
  unreadable: { rel: string; message: string }[];
}

function scanTree(root: string): Tree {
  const tree: Tree = { files: new Set(), dirs: [], links: [], others: [], unreadable: [] };
  const unreadable = (rel: string, _abs: string, err: Error) => void tree.unreadable.push({ rel, message: err.message });
  try {
    // a symlink (dangling, looping, or to a perfect copy) is reported, not followed
    for (const e of walkTree(root, { unreadable })) {
      if (e.kind === 'symlink') tree.links.push(e.rel);
      else if (e.kind === 'dir') tree.dirs.push(e.rel);
      else if (e.kind === 'file') tree.files.add(e.rel);
      else tree.others.push(e.rel);
    }
  } catch (err) {
    tree.unreadable.push({ rel: '', message: (err as Error).message });
  }
  return tree;
}

/** `rel` and every folder above it, within the release. */
function withAncestors(rel: string): string[] {
  const parts = rel.split('/');
  return parts.map((_, i) => parts.slice(0, i + 1).join('/'));
}

/** A manifest path must name a file inside the release, in the one spelling the tree scan uses. */
function isInsideRelease(rel: string): boolean {
  return rel.length > 0 && !rel.startsWith('/') && !rel.includes('\\') && rel.split('/').every((p) => p !== '' && p !== '.' && p !== '..');
}

/**
 * Problems of the folder as a whole: symlinks and special files anywhere, files the manifest does
 * not list, and folders that hold no listed file (an added empty folder is a change to the
 * release too). Only the topmost such folder is named; files inside it are named as well.
 */
function treeProblems(dir: string, tree: Tree, listed: Set<string>): VerifyProblem[] {
  const problems: VerifyProblem[] = [];
  const at = (rel: string) => path.join(dir, ...rel.split('/'));
  for (const u of tree.unreadable) problems.push({ file: at(u.rel), problem: `unreadable folder: ${u.message}` });
  for (const rel of tree.links) problems.push({ file: at(rel), problem: 'is a symlink' });
  for (const rel of tree.others) problems.push({ file: at(rel), problem: 'not a regular file' });
  for (const rel of tree.files) if (!listed.has(rel)) problems.push({ file: at(rel), problem: 'not in the manifest' });
  const needed = new Set([...listed].flatMap((rel) => withAncestors(rel).slice(0, -1)));
  const named: string[] = [];
  for (const rel of tree.dirs) {
    if (needed.has(rel) || named.some((d) => rel.startsWith(`${d}/`))) continue;
    named.push(rel);
    problems.push({ file: at(rel), problem: 'folder holds no file listed in the manifest' });
  }
  return problems;
}

/** Size, sha256 and rows of one listed file that the scan found as a regular file. */
async function fileProblem(abs: string, f: { sha256: string; bytes: number; rows: number | null }): Promise<string | undefined> {
  const bytes = lstatSync(abs).size;
  if (bytes !== f.bytes) return `size ${bytes} bytes, manifest says ${f.bytes}`;
  if ((await sha256File(abs)) !== f.sha256) return 'sha256 differs from the manifest';
  if (f.rows === null) return undefined;
  let rows: number | null;
  try {
    rows = await countRows(abs);
  } catch (err) {
    return `unreadable: ${(err as Error).message.split('\n')[0]}`;
  }
  return rows !== f.rows ? `${rows} rows, manifest says ${f.rows}` : undefined;
}

/** Checks each file the manifest lists (the card included) against what the scan found. */
async function listedProblems(dir: string, tree: Tree, entries: { path: string; sha256: string; bytes: number; rows: number | null }[]): Promise<VerifyProblem[]> {
  const problems: VerifyProblem[] = [];
  const links = new Set(tree.links);
  const others = new Set(tree.others);
  for (const f of entries) {
    if (!isInsideRelease(f.path)) {
      problems.push({ file: path.join(dir, 'manifest.json'), problem: `lists ${JSON.stringify(f.path)}, which is not a path inside the release` });
      continue;
    }
    const abs = path.join(dir, ...f.path.split('/'));
    // A symlink at the file or above it, or a special file, is already named by treeProblems.
    if (withAncestors(f.path).some((a) => links.has(a)) || others.has(f.path)) continue;
    const problem = tree.files.has(f.path) ? await fileProblem(abs, f) : 'missing';
    if (problem) problems.push({ file: abs, problem });
  }
  return problems;
}

function readManifest(manifestPath: string): { manifest?: Manifest; problem?: string } {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(manifestPath, 'utf8'));
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'ENOENT') return { problem: 'missing: not a thresher release' };
    return { problem: e instanceof SyntaxError ? `not valid JSON (${e.message})` : `unreadable: ${e.message}` };
  }
  const shape = manifestShapeProblem(raw);
  return shape ? { problem: `not a valid manifest: ${shape}` } : { manifest: raw as Manifest };
}

const printWarning = (w: VerifyProblem) => console.error(`WARN ${w.file}: ${w.problem}`);

/**
 * Re-checks a release against its manifest: the manifest against its own digest and counts,
 * every listed file (and the card) for presence, size, sha256 and rows, and the folder for
 * anything the manifest does not account for.
 */
export async function verifyRelease(dir: string, options: VerifyOptions = {}): Promise<VerifyResult> {
  const warn = options.warn ?? printWarning;
  const manifestPath = path.join(dir, 'manifest.json');
  const { manifest, problem } = readManifest(manifestPath);
  if (!manifest) return { problems: [{ file: manifestPath, problem: problem ?? 'unreadable' }], warnings: [], checked: 0 };

  const problems: VerifyProblem[] = [];
  const warnings: VerifyProblem[] = [];
  const digest = checkDigest(manifest);
  if (digest.problem) problems.push({ file: manifestPath, problem: digest.problem });
  if (digest.warning) warnings.push({ file: manifestPath, problem: digest.warning });
  if (!manifest.card) warnings.push({ file: manifestPath, problem: 'manifest has no checksum of the card (made by an older thresher): README.md is not checked' });
  for (const p of checkCounts(manifest)) problems.push({ file: manifestPath, problem: p });

  const entries = [...manifest.files, ...(manifest.card ? [{ ...manifest.card, rows: null }] : [])];
  const listed = new Set(['manifest.json', manifest.card?.path ?? 'README.md', ...entries.map((f) => f.path)]);
  const tree = scanTree(dir);
  problems.push(...treeProblems(dir, tree, listed), ...(await listedProblems(dir, tree, entries)));
  warnings.forEach(warn);
  return { manifest, problems, warnings, checked: entries.length };
}
