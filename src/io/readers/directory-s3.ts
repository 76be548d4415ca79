import type { z } from 'zod';
import { InputError } from '../../core/errors.js';
import type { ColumnSpec } from '../../core/record.js';
import { badInput, excluded, oneLine } from '../common.js';
import { PatternSet } from '../glob.js';
import { asPrefix, readAll, storeFor, type ObjectInfo, type ObjectStore } from '../storage/index.js';
import type { BadInputPolicy, InputFile, InputSlice, ReadItem, Reader } from '../types.js';
import { directoryColumns, directoryReaderOptionsSchema, directorySlices, fileItem, packageName, RepoFinder, type DirectoryReaderOptions } from './directory-common.js';

/** GETs in flight while a task reads: small files cost a round trip each, so they are fetched ahead, in order. */
const AHEAD = 16;

/**
 * A `directory` input under an `s3://bucket/prefix/`: the objects below the prefix as a tree of
 * files, path = key relative to the prefix, content from GET. The same records, columns,
 * order, `repo` rules and exclusions as the local directory reader (no symlinks or special
 * files exist on a store): `.git` keys are never records but mark repositories, and a
 * `package.json` names its folder's package (fetched only for folders the task reads).
 */
export class S3DirectoryReader implements Reader {
  readonly contentColumn = 'content';
  private readonly store: ObjectStore;
  private readonly prefix: string;
  private readonly opts: z.output<typeof directoryReaderOptionsSchema>;
  private readonly include: PatternSet;
  private readonly exclude: PatternSet;
  private readonly packages = new Map<string, string | null>();
  private listing?: Promise<ObjectInfo[]>;
  private gitDirs = new Set<string>();
  private packageDirs = new Set<string>();
  private readonly repos: RepoFinder;

  constructor(
    readonly root: string,
    options: DirectoryReaderOptions = {},
  ) {
    const { store, key } = storeFor(root);
    this.store = store;
    this.prefix = asPrefix(key);
    this.opts = directoryReaderOptionsSchema.parse(options);
    this.include = new PatternSet(this.opts.include);
    this.exclude = new PatternSet(this.opts.exclude);
    const rootName = this.prefix.split('/').filter(Boolean).pop() ?? store.url('').replace(/^s3:\/\/|\/$/g, '');
    this.repos = new RepoFinder(this.opts.repoFrom, rootName, { packageAt: (d) => this.packages.get(d) ?? null, gitAt: (d) => this.gitDirs.has(d) });
  }

  get columns(): ColumnSpec[] {
    return directoryColumns(this.opts.contentId);
  }

  /** Every object below the prefix, listed once per reader; it also tells where `.git` and package.json are. */
  private all(): Promise<ObjectInfo[]> {
    this.listing ??= this.store.list(this.prefix).then((objects) => {
      for (const o of objects) {
        const rel = o.key.slice(this.prefix.length);
        const parts = rel.split('/');
        const git = parts.indexOf('.git');
        if (git >= 0) this.gitDirs.add(parts.slice(0, git).join('/'));
        else if (parts[parts.length - 1] === 'package.json') this.packageDirs.add(parts.slice(0, -1).join('/'));
      }
      return objects;
    });
    return this.listing;
  }

  /** A key is out when it or a folder above it is `.git` or matches `exclude` (as the walk skips a folder); `include` picks files. */
  private listed(rel: string): boolean {
    if (rel === '' || rel.endsWith('/')) return false; // a "folder" object some tools make
    const parts = rel.split('/');
    for (let i = 1; i <= parts.length; i++) if (parts[i - 1] === '.git' || this.exclude.matches(parts.slice(0, i).join('/'))) return false;
    return this.include.empty || this.include.matches(rel);
  }

  async listFiles(): Promise<InputFile[]> {
    const objects = await this.all();
    if (objects.length === 0) throw new InputError(this.root, 'no such key or prefix');
    return objects
      .map((o) => ({ o, rel: o.key.slice(this.prefix.length) }))
      .filter(({ rel }) => this.listed(rel))
      .map(({ o, rel }) => ({ path: rel, absPath: this.store.url(o.key), bytes: o.bytes, mtimeMs: o.mtimeMs }));
  }

  slices(files: InputFile[], rank: number, worldSize: number): InputSlice[] {
    return directorySlices(files, rank, worldSize, this.opts.maxBytes);
  }

  /** The package.json of every folder above the files to read (those that have one), fetched before reading. */
  private async loadPackages(files: InputFile[]): Promise<void> {
    if (this.opts.repoFrom !== 'auto' && this.opts.repoFrom !== 'package') return;
    const wanted = new Set<string>();
    for (const f of files) {
      const parts = f.path.split('/').slice(0, -1);
      for (let i = 0; i <= parts.length; i++) {
        const dir = parts.slice(0, i).join('/');
        if (this.packageDirs.has(dir) && !this.packages.has(dir)) wanted.add(dir);
      }
    }
    const dirs = [...wanted];
    for (let i = 0; i < dirs.length; i += AHEAD) {
      await Promise.all(
        dirs.slice(i, i + AHEAD).map(async (dir) => {
          const key = `${this.prefix}${dir === '' ? '' : `${dir}/`}package.json`;
          this.packages.set(dir, packageName((await readAll(this.store, key).catch(() => Buffer.alloc(0))).toString('utf8')));
        }),
      );
    }
  }

  /** The object's bytes up to max_bytes + 1, or why it could not be read (reported in order, by the caller). */
  private async fetch(file: InputFile): Promise<Buffer | Error | undefined> {
    if (file.bytes > this.opts.maxBytes) return undefined; // too large: never fetched
    try {
      return await readAll(this.store, this.prefix + file.path, { start: 0, end: this.opts.maxBytes + 1 });
    } catch (err) {
      return err as Error;
    }
  }

  async *read(slices: InputSlice[], policy: BadInputPolicy): AsyncIterable<ReadItem> {
    await this.all();
    await this.loadPackages(slices.map((s) => s.file));
    const inFlight: Promise<Buffer | Error | undefined>[] = [];
    let next = 0;
    const more = () => {
      while (next < slices.length && inFlight.length < AHEAD) inFlight.push(this.fetch(slices[next++].file));
    };
    more();
    for (const slice of slices) {
      const got = await inFlight.shift()!;
      more();
      yield this.item(slice.file, got, policy);
    }
  }

  private item(file: InputFile, got: Buffer | Error | undefined, policy: BadInputPolicy): ReadItem {
    const rel = file.path;
    const max = this.opts.maxBytes;
    if (got === undefined) return excluded(rel, rel, null, 'too_large', file.bytes, `${file.bytes} bytes > max_bytes ${max}`);
    if (got instanceof Error) return badInput(policy, rel, null, 'unreadable', `unreadable: ${oneLine(got)}`, rel, file.bytes);
    if (got.length > max) return excluded(rel, rel, null, 'too_large', got.length, `more than max_bytes ${max} bytes`);
    return fileItem(rel, got, this.opts.contentId, () => this.repos.repoOf(rel));
  }
}
