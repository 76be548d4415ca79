import { closeSync, constants, fstatSync, lstatSync, openSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { InputError } from '../../core/errors.js';
import { swhContentId, xxh3ContentId } from '../../core/hashing.js';
import { PROVENANCE_COLUMNS, type ColumnSpec, type DataRecord } from '../../core/record.js';
import { badInput, contentIdSchema, excluded, oneLine, strictDecoder } from '../common.js';
import { PatternSet } from '../glob.js';
import { walkTree } from '../../core/walk.js';
import { contiguousRange } from '../order.js';
import type { BadInputPolicy, InputFile, InputSlice, ReadBatch, ReadItem, Reader } from '../types.js';
import { ContentBatches } from './content-batches.js';
import { readWhole } from './read-whole.js';
import type { EncodedStringsBuilder } from '../../core/encoded-strings.js';

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

const BINARY_SNIFF_BYTES = 8192;

/**
 * One record per file under a root. Sorted byte-wise by relative path. `.git` entries are
 * never listed. Symlinks are not followed: each is listed and excluded with reason `symlink`
 * (so counts add up); sockets, FIFOs and devices get `special_file`. A directory that cannot
 * be listed is listed itself and read as `unreadable`.
 */
export class DirectoryReader implements Reader {
  get columns(): ColumnSpec[] {
    return this.opts.contentId === 'none' ? DIRECTORY_COLUMNS.filter((c) => c.name !== 'content_id') : DIRECTORY_COLUMNS;
  }

  readonly contentColumn = 'content';
  readonly root: string;
  private readonly opts: z.output<typeof directoryReaderOptionsSchema>;
  private readonly include: PatternSet;
  private readonly exclude: PatternSet;
  private readonly pkgCache = new Map<string, string | null>();
  private readonly gitCache = new Map<string, string | null>();

  constructor(root: string, options: DirectoryReaderOptions = {}) {
    this.root = path.resolve(root);
    this.opts = directoryReaderOptionsSchema.parse(options);
    this.include = new PatternSet(this.opts.include);
    this.exclude = new PatternSet(this.opts.exclude);
  }

  async listFiles(): Promise<InputFile[]> {
    let st;
    try {
      st = await stat(this.root);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      throw new InputError(this.root, code === 'ENOENT' ? 'no such directory' : oneLine(err));
    }
    if (!st.isDirectory()) throw new InputError(this.root, 'not a directory');
    const out: InputFile[] = [];
    this.walk(out);
    const keyed = out.map((f) => ({ f, k: Buffer.from(f.path, 'utf8') }));
    keyed.sort((a, b) => Buffer.compare(a.k, b.k));
    return keyed.map((x) => x.f);
  }

  private walk(out: InputFile[]): void {
    const skip = (name: string, rel: string) => name === '.git' || this.exclude.matches(rel);
    // a folder that cannot be listed is listed as itself; read() reports it as unreadable
    const unreadable = (rel: string, abs: string) => void out.push({ path: rel, absPath: abs, bytes: 0, mtimeMs: 0 });
    try {
      for (const e of walkTree(this.root, { skip, unreadable })) {
        if (e.kind === 'dir' || (!this.include.empty && !this.include.matches(e.rel))) continue;
        try {
          const st = lstatSync(e.abs);
          out.push({ path: e.rel, absPath: e.abs, bytes: st.size, mtimeMs: st.mtimeMs });
        } catch {
          out.push({ path: e.rel, absPath: e.abs, bytes: 0, mtimeMs: 0 }); // vanished: read() reports it
        }
      }
    } catch (err) {
      throw new InputError(this.root, oneLine(err));
    }
  }

  /** Contiguous ranges of the sorted list, balanced by bytes (keeps packages together). */
  slices(files: InputFile[], rank: number, worldSize: number): InputSlice[] {
    // Weigh a file by the work it costs: an oversize file is only excluded, never read, and
    // every file costs a syscall or two however small it is.
    const cap = this.opts.maxBytes;
    const [a, b] = contiguousRange(
      files.map((f) => (f.bytes > cap ? 0 : f.bytes) + 4096),
      rank,
      worldSize,
    );
    return files.slice(a, b).map((file) => ({ file }));
  }

  /**
   * Files are read with synchronous calls: on small files a thread-pool round trip per
   * syscall costs more than the read (measured 2x slower with 16 reads in flight). Tasks
   * run in their own worker or process, so blocking one file at a time is fine.
   */
  async *read(slices: InputSlice[], policy: BadInputPolicy): AsyncIterable<ReadItem> {
    for (const slice of slices) {
      const item = this.readOne(slice.file, policy);
      yield item.record ? { record: item.record } : item;
    }
  }

  /**
   * The same records as read(), in columnar batches whose `content` keeps the file's bytes
   * beside its decoded text: stages read the text, and writers copy the bytes instead of
   * encoding the text again. A batch ends at `batchRows` files or 64 MiB of content.
   */
  async *readBatches(slices: InputSlice[], policy: BadInputPolicy, batchRows: number): AsyncIterable<ReadBatch> {
    const batches = new ContentBatches(this.columns, batchRows);
    for (const slice of slices) {
      const item = this.readOne(slice.file, policy, batches.content);
      const out = item.record ? batches.addRecord(item.record, item.bytes!, item.inPlace!) : batches.addExcluded(item.excluded!);
      if (out) yield out;
    }
    const last = batches.flush();
    if (last) yield last;
  }

  private readOne(file: InputFile, policy: BadInputPolicy, into?: EncodedStringsBuilder): ReadItem & { bytes?: Buffer; inPlace?: boolean } {
    const rel = file.path;
    const unreadable = (err: unknown, bytes: number) => badInput(policy, rel, null, 'unreadable', `unreadable: ${oneLine(err)}`, rel, bytes);
    // open without following symlinks and without blocking on FIFOs, then fstat the descriptor
    let fd: number;
    try {
      fd = openSync(file.absPath, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ELOOP' || code === 'EMLINK') {
        try {
          return excluded(rel, rel, null, 'symlink', 0, `symlink to ${readlinkSync(file.absPath)}`);
        } catch {
          return unreadable(err, file.bytes);
        }
      }
      if (code === 'ENXIO') return excluded(rel, rel, null, 'special_file', 0, 'not a regular file'); // socket
      return unreadable(err, file.bytes);
    }
    const max = this.opts.maxBytes;
    let bytes: Buffer;
    let inPlace = false;
    try {
      const st = fstatSync(fd);
      if (st.isDirectory()) {
        let why = 'cannot list directory';
        try {
          readdirSync(file.absPath);
        } catch (err) {
          why = `cannot list directory: ${oneLine(err)}`;
        }
        return badInput(policy, rel, null, 'unreadable', why, rel, 0);
      }
      if (!st.isFile()) return excluded(rel, rel, null, 'special_file', 0, 'not a regular file');
      if (st.size > max) return excluded(rel, rel, null, 'too_large', st.size, `${st.size} bytes > max_bytes ${max}`);
      const whole = readWhole(fd, st.size, max, into);
      const got = whole.bytes.length;
      inPlace = whole.inPlace;
      if (got > max) return excluded(rel, rel, null, 'too_large', got, `more than max_bytes ${max} bytes`);
      bytes = whole.bytes;
    } catch (err) {
      return unreadable(err, file.bytes);
    } finally {
      closeSync(fd);
    }
    const nul = bytes.subarray(0, BINARY_SNIFF_BYTES).indexOf(0);
    if (nul >= 0) return excluded(rel, rel, null, 'binary', bytes.length, `NUL byte at offset ${nul}`);
    let content: string;
    try {
      content = strictDecoder().decode(bytes);
    } catch {
      return excluded(rel, rel, null, 'invalid_utf8', bytes.length, 'not valid UTF-8');
    }
    const record: DataRecord = {
      id: rel,
      source: rel,
      source_row: null,
      ...(this.opts.contentId === 'none' ? {} : { content_id: this.opts.contentId === 'swh' ? swhContentId(bytes) : xxh3ContentId(bytes) }),
      path: rel,
      repo: this.repoOf(rel),
      size: bytes.length,
      content,
    };
    return { record, bytes, inPlace };
  }

  /** The package or repository a file belongs to (see the `repoFrom` option). */
  repoOf(relPath: string): string {
    const slash = relPath.lastIndexOf('/');
    const dir = slash < 0 ? '' : relPath.slice(0, slash);
    const how = this.opts.repoFrom;
    if (how === 'auto' || how === 'package') {
      const pkg = this.nearest(dir, this.pkgCache, (d) => this.packageAt(d));
      if (pkg !== null) return pkg;
    }
    if (how === 'auto' || how === 'git') {
      const git = this.nearest(dir, this.gitCache, (d) => this.gitAt(d));
      if (git !== null) return git;
    }
    return slash < 0 ? path.basename(this.root) : relPath.slice(0, relPath.indexOf('/'));
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

  // Most folders have neither a package.json nor a .git: a failed call that throws costs far
  // more than the syscall (the error object and its stack), so absence is asked without one.
  private packageAt(dir: string): string | null {
    const file = path.join(this.root, dir, 'package.json');
    if (!lstatSync(file, { throwIfNoEntry: false })) return null;
    try {
      const text = readFileSync(file, 'utf8');
      const pkg = JSON.parse(text) as { name?: unknown; version?: unknown };
      if (typeof pkg.name !== 'string' || pkg.name === '') return null; // e.g. {"type":"module"} markers in dist/
      return typeof pkg.version === 'string' && pkg.version !== '' ? `${pkg.name}@${pkg.version}` : pkg.name;
    } catch {
      return null;
    }
  }

  private gitAt(dir: string): string | null {
    try {
      if (!lstatSync(path.join(this.root, dir, '.git'), { throwIfNoEntry: false })) return null;
      return dir === '' ? path.basename(this.root) : dir;
    } catch {
      return null;
    }
  }
}
