import { closeSync, constants, fstatSync, lstatSync, openSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { z } from 'zod';
import { InputError } from '../../core/errors.js';
import type { ColumnSpec } from '../../core/record.js';
import { badInput, excluded, oneLine } from '../common.js';
import { PatternSet } from '../glob.js';
import { compareBytes } from '../order.js';
import { changedError, describeChange, goneError, wasMeasured } from '../planned.js';
import { walkTree } from '../../core/walk.js';
import type { BadInputPolicy, InputFile, InputSlice, ListOptions, ReadBatch, ReadItem, Reader } from '../types.js';
import type { EncodedStringsBuilder } from '../../core/encoded-strings.js';
import { ContentBatches } from './content-batches.js';
import { readWhole, type WholeFile } from './read-whole.js';
import { BINARY_SNIFF_BYTES, directoryColumns, directoryReaderOptionsSchema, directorySlices, fileItem, packageName, RepoFinder, type DirectoryReaderOptions } from './directory-common.js';

export { directoryReaderOptionsSchema, DIRECTORY_COLUMNS, type DirectoryReaderOptions } from './directory-common.js';

/**
 * One record per file under a root. Sorted byte-wise by relative path. `.git` entries are
 * never listed. Symlinks are not followed: each is listed and excluded with reason `symlink`
 * (so counts add up); sockets, FIFOs and devices get `special_file`. A directory that cannot
 * be listed is listed itself and read as `unreadable`.
 */
export class DirectoryReader implements Reader {
  get columns(): ColumnSpec[] {
    return directoryColumns(this.opts.contentId);
  }

  readonly contentColumn = 'content';
  /** Each file's fstat, made anyway before it is read, is held to its listed size and mtime (see Reader). */
  readonly checksListedFiles = true;
  readonly root: string;
  private readonly opts: z.output<typeof directoryReaderOptionsSchema>;
  private readonly include: PatternSet;
  private readonly exclude: PatternSet;
  private readonly repos: RepoFinder;

  constructor(root: string, options: DirectoryReaderOptions = {}) {
    this.root = path.resolve(root);
    this.opts = directoryReaderOptionsSchema.parse(options);
    this.include = new PatternSet(this.opts.include);
    this.exclude = new PatternSet(this.opts.exclude);
    this.repos = new RepoFinder(this.opts.repoFrom, path.basename(this.root), { packageAt: (d) => this.packageAt(d), gitAt: (d) => this.gitAt(d) });
  }

  async listFiles(options: ListOptions = {}): Promise<InputFile[]> {
    let st;
    try {
      st = await stat(this.root);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      throw new InputError(this.root, code === 'ENOENT' ? 'no such directory' : oneLine(err));
    }
    if (!st.isDirectory()) throw new InputError(this.root, 'not a directory');
    const out: InputFile[] = [];
    await this.walk(out, options.background === true);
    return out.sort((a, b) => compareBytes(a.path, b.path));
  }

  /** Entries listed between two yields to the event loop in a background listing (about 10 ms of lstat). */
  private static readonly YIELD_EVERY = 1024;

  private async walk(out: InputFile[], background: boolean): Promise<void> {
    const skip = (name: string, rel: string) => name === '.git' || this.exclude.matches(rel);
    // a folder that cannot be listed is listed as itself; read() reports it as unreadable
    const unreadable = (rel: string, abs: string) => void out.push({ path: rel, absPath: abs, bytes: 0, mtimeMs: 0 });
    try {
      let n = 0;
      for (const e of walkTree(this.root, { skip, unreadable })) {
        if (background && ++n % DirectoryReader.YIELD_EVERY === 0) await new Promise(setImmediate);
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

  slices(files: InputFile[], rank: number, worldSize: number): InputSlice[] {
    return directorySlices(files, rank, worldSize, this.opts.maxBytes);
  }

  /**
   * Files are read with synchronous calls: on small files a thread-pool round trip per
   * syscall costs more than the read (measured 2x slower with 16 reads in flight). Tasks
   * run in their own worker or process, so blocking one file at a time is fine.
   */
  async *read(slices: InputSlice[], policy: BadInputPolicy): AsyncIterable<ReadItem> {
    for (const slice of slices) yield this.readOne(slice.file, policy).item;
  }

  /**
   * The same records as read(), in columnar batches whose `content` keeps the file's bytes
   * beside its decoded text: stages read the text, and writers copy the bytes instead of
   * encoding the text again. Each file is read straight into the batch's content buffer.
   */
  async *readBatches(slices: InputSlice[], policy: BadInputPolicy, batchRows: number): AsyncIterable<ReadBatch> {
    const batches = new ContentBatches(this.columns, batchRows);
    for (const slice of slices) {
      const full = slice.file.bytes <= this.opts.maxBytes ? batches.cutBefore(slice.file.bytes) : undefined;
      if (full) yield full;
      const { item, bytes, inPlace } = this.readOne(slice.file, policy, batches.content);
      const out = item.record ? batches.addRecord(item.record, bytes!, inPlace) : batches.addExcluded(item.excluded!);
      if (out) yield out;
    }
    const last = batches.flush();
    if (last) yield last;
  }

  private readOne(file: InputFile, policy: BadInputPolicy, into?: EncodedStringsBuilder): { item: ReadItem; bytes?: Buffer; inPlace: boolean } {
    const item = this.readItem(file, policy, into);
    return 'bytes' in item ? { item: fileItem(file.path, item.bytes, this.opts.contentId, () => this.repoOf(file.path)), bytes: item.bytes, inPlace: item.inPlace } : { item, inPlace: false };
  }

  /** The file's bytes, or the exclusion it gets before they are looked at. */
  private readItem(file: InputFile, policy: BadInputPolicy, into?: EncodedStringsBuilder): ReadItem | WholeFile {
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
      if (code === 'ENOENT' && wasMeasured(file)) throw goneError(file, code);
      return unreadable(err, file.bytes);
    }
    const max = this.opts.maxBytes;
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
      const change = wasMeasured(file) ? describeChange(file, st) : undefined;
      if (change) throw changedError(file, change);
      if (st.size > max) return excluded(rel, rel, null, 'too_large', st.size, `${st.size} bytes > max_bytes ${max}`);
      const whole = readWhole(fd, st.size, max, into, BINARY_SNIFF_BYTES);
      if (whole.nulAt !== undefined) return excluded(rel, rel, null, 'binary', st.size, `NUL byte at offset ${whole.nulAt}`);
      if (whole.bytes.length > max) return excluded(rel, rel, null, 'too_large', whole.bytes.length, `more than max_bytes ${max} bytes`);
      return whole;
    } catch (err) {
      if (err instanceof InputError) throw err;
      return unreadable(err, file.bytes);
    } finally {
      closeSync(fd);
    }
  }

  /** The package or repository a file belongs to (see the `repoFrom` option). */
  repoOf(relPath: string): string {
    return this.repos.repoOf(relPath);
  }

  // Most folders have neither a package.json nor a .git: a failed call that throws costs far
  // more than the syscall (the error object and its stack), so absence is asked without one.
  private packageAt(dir: string): string | null {
    const file = path.join(this.root, dir, 'package.json');
    try {
      return lstatSync(file, { throwIfNoEntry: false }) ? packageName(readFileSync(file, 'utf8')) : null;
    } catch {
      return null;
    }
  }

  private gitAt(dir: string): boolean {
    try {
      return lstatSync(path.join(this.root, dir, '.git'), { throwIfNoEntry: false }) !== undefined;
    } catch {
      return false;
    }
  }
}
