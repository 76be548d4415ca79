import { z } from 'zod';
import { swhContentId, xxh3ContentId, type ContentIdMode } from '../../core/hashing.js';
import { PROVENANCE_COLUMNS, type ColumnSpec, type DataRecord } from '../../core/record.js';
import { contentIdSchema, decodeUtf8, excluded } from '../common.js';
import { contiguousRange } from '../order.js';
import type { InputFile, InputSlice, ReadItem } from '../types.js';

/** What a `directory` input reads, on a filesystem (directory.ts) or under an s3:// prefix (directory-s3.ts). */
export const directoryReaderOptionsSchema = z.strictObject({
  /** Files larger than this are excluded with reason `too_large`. Default 10 MiB: The Stack v2 kept files under 10 MiB. */
  maxBytes: z
    .number()
    .int()
    .positive()
    .default(10 * 1024 * 1024),
  /** Only files matching one of these globs (a pattern without `/` matches the file name). */
  include: z.array(z.string()).default([]),
  /** Files and directories matching one of these globs are not part of the input. */
  exclude: z.array(z.string()).default([]),
  /**
   * How `repo` is found. `auto`: nearest package.json with a name (name@version), else the
   * nearest directory holding `.git`, else the top-level directory. `package`/`git`/`top`
   * use only that rule (falling back to `top`).
   */
  repoFrom: z.enum(['auto', 'package', 'git', 'top']).default('auto'),
  /** How `content_id` is made: swh (git blob sha1: the id code is traced by), xxh3, or none. */
  contentId: contentIdSchema,
});
export type DirectoryReaderOptions = z.input<typeof directoryReaderOptionsSchema>;

export const DIRECTORY_COLUMNS: ColumnSpec[] = [
  ...PROVENANCE_COLUMNS,
  { name: 'path', type: 'string' },
  { name: 'repo', type: 'string' },
  { name: 'size', type: 'int64' },
  { name: 'content', type: 'string' },
];

export function directoryColumns(contentId: ContentIdMode): ColumnSpec[] {
  return contentId === 'none' ? DIRECTORY_COLUMNS.filter((c) => c.name !== 'content_id') : DIRECTORY_COLUMNS;
}

/** A NUL byte within a file's first this many bytes makes it binary (The Stack v2, git). */
export const BINARY_SNIFF_BYTES = 8192;

/** Contiguous ranges of the sorted list, balanced by bytes (keeps packages together). */
export function directorySlices(files: InputFile[], rank: number, worldSize: number, maxBytes: number): InputSlice[] {
  // Weigh a file by the work it costs: an oversize file is only excluded, never read, and
  // every file costs a syscall or two however small it is.
  const [a, b] = contiguousRange(
    files.map((f) => (f.bytes > maxBytes ? 0 : f.bytes) + 4096),
    rank,
    worldSize,
  );
  return files.slice(a, b).map((file) => ({ file }));
}

/** A file's bytes as a record, or its exclusion: binary (a NUL early on) or not UTF-8. */
export function fileItem(rel: string, bytes: Buffer, contentId: ContentIdMode, repo: () => string): ReadItem {
  const nul = bytes.subarray(0, BINARY_SNIFF_BYTES).indexOf(0);
  if (nul >= 0) return excluded(rel, rel, null, 'binary', bytes.length, `NUL byte at offset ${nul}`);
  const content = decodeUtf8(bytes);
  if (content === null) return excluded(rel, rel, null, 'invalid_utf8', bytes.length, 'not valid UTF-8');
  const record: DataRecord = {
    id: rel,
    source: rel,
    source_row: null,
    ...(contentId === 'none' ? {} : { content_id: contentId === 'swh' ? swhContentId(bytes) : xxh3ContentId(bytes) }),
    path: rel,
    repo: repo(),
    size: bytes.length,
    content,
  };
  return { record };
}

/** `name@version` of a package.json's text, or null when it names no package (e.g. `{"type":"module"}` markers in dist/). */
export function packageName(text: string): string | null {
  try {
    const pkg = JSON.parse(text) as { name?: unknown; version?: unknown };
    if (typeof pkg.name !== 'string' || pkg.name === '') return null;
    return typeof pkg.version === 'string' && pkg.version !== '' ? `${pkg.name}@${pkg.version}` : pkg.name;
  } catch {
    return null;
  }
}

/** What RepoFinder asks of the tree: the package a folder's package.json names, whether the folder holds `.git`. */
export interface RepoProbes {
  packageAt(dir: string): string | null;
  gitAt(dir: string): boolean;
}

/** The package or repository a file belongs to (the `repoFrom` option), from the nearest folder up that says. */
export class RepoFinder {
  private readonly pkgCache = new Map<string, string | null>();
  private readonly gitCache = new Map<string, string | null>();

  constructor(
    private readonly how: DirectoryReaderOptions['repoFrom'],
    /** the input root's own name: the repo of files directly in it */
    private readonly rootName: string,
    private readonly probes: RepoProbes,
  ) {}

  repoOf(relPath: string): string {
    const slash = relPath.lastIndexOf('/');
    const dir = slash < 0 ? '' : relPath.slice(0, slash);
    const how = this.how ?? 'auto';
    if (how === 'auto' || how === 'package') {
      const pkg = this.nearest(dir, this.pkgCache, (d) => this.probes.packageAt(d));
      if (pkg !== null) return pkg;
    }
    if (how === 'auto' || how === 'git') {
      const git = this.nearest(dir, this.gitCache, (d) => (this.probes.gitAt(d) ? (d === '' ? this.rootName : d) : null));
      if (git !== null) return git;
    }
    return slash < 0 ? this.rootName : relPath.slice(0, relPath.indexOf('/'));
  }

  private nearest(dir: string, cache: Map<string, string | null>, probe: (d: string) => string | null): string | null {
    const cached = cache.get(dir);
    if (cached !== undefined) return cached;
    let found = probe(dir);
    if (found === null && dir !== '') {
      const slash = dir.lastIndexOf('/');
      found = this.nearest(slash < 0 ? '' : dir.slice(0, slash), cache, probe);
    }
    cache.set(dir, found);
    return found;
  }
}
