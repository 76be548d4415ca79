import { lstat, readdir, readFile, readlink, stat } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { InputError } from '../../core/errors.js';
import { swhContentId } from '../../core/hashing.js';
import { PROVENANCE_COLUMNS, type ColumnSpec, type DataRecord } from '../../core/record.js';
import { badInput, excluded, oneLine, strictDecoder } from '../common.js';
import { PatternSet } from '../glob.js';
import { contiguousRange } from '../order.js';
import type { BadInputPolicy, InputFile, InputSlice, ReadItem, Reader } from '../types.js';

export const directoryReaderOptionsSchema = z.strictObject({
  /** Files larger than this are excluded with reason `too_large`. */
  maxBytes: z.number().int().positive().default(1024 * 1024),
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
const READ_AHEAD = 16;

type Prepared = { item: ReadItem } | { error: unknown };

/**
 * One record per file under a root. Sorted byte-wise by relative path. `.git` entries are
 * never listed. Symlinks are not followed: each is listed and excluded with reason `symlink`
 * (so counts add up); sockets, FIFOs and devices get `special_file`. A directory that cannot
 * be listed is listed itself and read as `unreadable`.
 */
export class DirectoryReader implements Reader {
  readonly columns = DIRECTORY_COLUMNS;
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
    await this.walk('', out);
    const keyed = out.map((f) => ({ f, k: Buffer.from(f.path, 'utf8') }));
    keyed.sort((a, b) => Buffer.compare(a.k, b.k));
    return keyed.map((x) => x.f);
  }

  private async walk(dirRel: string, out: InputFile[]): Promise<void> {
    const dirAbs = dirRel === '' ? this.root : path.join(this.root, dirRel);
    let entries;
    try {
      entries = await readdir(dirAbs, { withFileTypes: true });
    } catch (err) {
      if (dirRel === '') throw new InputError(this.root, oneLine(err));
      // listed as itself; read() reports it as unreadable
      out.push({ path: dirRel, absPath: dirAbs, bytes: 0, mtimeMs: 0 });
      return;
    }
    for (const e of entries) {
      if (e.name === '.git') continue;
      const rel = dirRel === '' ? e.name : `${dirRel}/${e.name}`;
      if (this.exclude.matches(rel)) continue;
      const abs = path.join(dirAbs, e.name);
      if (e.isDirectory()) {
        await this.walk(rel, out);
        continue;
      }
      if (!this.include.empty && !this.include.matches(rel)) continue;
      let st;
      try {
        st = await lstat(abs);
      } catch {
        out.push({ path: rel, absPath: abs, bytes: 0, mtimeMs: 0 });
        continue;
      }
      out.push({ path: rel, absPath: abs, bytes: st.size, mtimeMs: st.mtimeMs });
    }
  }

  /** Contiguous ranges of the sorted list, balanced by bytes (keeps packages together). */
  slices(files: InputFile[], rank: number, worldSize: number): InputSlice[] {
    const [a, b] = contiguousRange(
      files.map((f) => f.bytes),
      rank,
      worldSize,
    );
    return files.slice(a, b).map((file) => ({ file }));
  }

  async *read(slices: InputSlice[], policy: BadInputPolicy): AsyncIterable<ReadItem> {
    const pending: Promise<Prepared>[] = [];
    let next = 0;
    const fill = () => {
      while (pending.length < READ_AHEAD && next < slices.length) {
        const file = slices[next++].file;
        pending.push(
          this.prepare(file, policy).then(
            (item) => ({ item }),
            (error: unknown) => ({ error }),
          ),
        );
      }
    };
    fill();
    while (pending.length > 0) {
      const p = await (pending.shift() as Promise<Prepared>);
      fill();
      if ('error' in p) throw p.error;
      yield p.item;
    }
  }

  private async prepare(file: InputFile, policy: BadInputPolicy): Promise<ReadItem> {
    const rel = file.path;
    let st;
    try {
      st = await lstat(file.absPath);
    } catch (err) {
      return badInput(policy, rel, null, 'unreadable', `unreadable: ${oneLine(err)}`, rel, file.bytes);
    }
    if (st.isSymbolicLink()) {
      let target = '';
      try {
        target = await readlink(file.absPath);
      } catch {
        /* keep empty */
      }
      return excluded(rel, rel, null, 'symlink', 0, `symlink to ${target}`);
    }
    if (st.isDirectory()) {
      let why = 'cannot list directory';
      try {
        await readdir(file.absPath);
      } catch (err) {
        why = `cannot list directory: ${oneLine(err)}`;
      }
      return badInput(policy, rel, null, 'unreadable', why, rel, 0);
    }
    if (!st.isFile()) return excluded(rel, rel, null, 'special_file', 0, 'not a regular file');
    const max = this.opts.maxBytes;
    if (st.size > max) return excluded(rel, rel, null, 'too_large', st.size, `${st.size} bytes > maxBytes ${max}`);
    let bytes: Buffer;
    try {
      bytes = await readFile(file.absPath);
    } catch (err) {
      return badInput(policy, rel, null, 'unreadable', `unreadable: ${oneLine(err)}`, rel, st.size);
    }
    if (bytes.length > max) return excluded(rel, rel, null, 'too_large', bytes.length, `${bytes.length} bytes > maxBytes ${max}`);
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
      content_id: swhContentId(bytes),
      path: rel,
      repo: await this.repoOf(rel),
      size: bytes.length,
      content,
    };
    return { record };
  }

  /** The package or repository a file belongs to (see the `repoFrom` option). */
  async repoOf(relPath: string): Promise<string> {
    const slash = relPath.lastIndexOf('/');
    const dir = slash < 0 ? '' : relPath.slice(0, slash);
    const how = this.opts.repoFrom;
    if (how === 'auto' || how === 'package') {
      const pkg = await this.nearest(dir, this.pkgCache, (d) => this.packageAt(d));
      if (pkg !== null) return pkg;
    }
    if (how === 'auto' || how === 'git') {
      const git = await this.nearest(dir, this.gitCache, (d) => this.gitAt(d));
      if (git !== null) return git;
    }
    return slash < 0 ? path.basename(this.root) : relPath.slice(0, relPath.indexOf('/'));
  }

  private async nearest(dir: string, cache: Map<string, string | null>, probe: (d: string) => Promise<string | null>): Promise<string | null> {
    const cached = cache.get(dir);
    if (cached !== undefined) return cached;
    let found = await probe(dir);
    if (found === null && dir !== '') {
      const slash = dir.lastIndexOf('/');
      found = await this.nearest(slash < 0 ? '' : dir.slice(0, slash), cache, probe);
    }
    cache.set(dir, found);
    return found;
  }

  private async packageAt(dir: string): Promise<string | null> {
    try {
      const text = await readFile(path.join(this.root, dir, 'package.json'), 'utf8');
      const pkg = JSON.parse(text) as { name?: unknown; version?: unknown };
      if (typeof pkg.name !== 'string' || pkg.name === '') return null; // e.g. {"type":"module"} markers in dist/
      return typeof pkg.version === 'string' && pkg.version !== '' ? `${pkg.name}@${pkg.version}` : pkg.name;
    } catch {
      return null;
    }
  }

  private async gitAt(dir: string): Promise<string | null> {
    try {
      await lstat(path.join(this.root, dir, '.git'));
      return dir === '' ? path.basename(this.root) : dir;
    } catch {
      return null;
    }
  }
}
