import { statSync } from 'node:fs';
import { maxFileBytesSchema, REPOSITORY_FILE_COLUMNS } from './vcs-common.js';
import path from 'node:path';
import { z } from 'zod';
import { InputError } from '../../core/errors.js';
import type { ColumnSpec, DataRecord } from '../../core/record.js';
import { CatFile } from '../../vcs/cat-file.js';
import { fileItem } from '../../vcs/file-item.js';
import { commonDir, findRepos, remoteUrl, type FoundRepo } from '../../vcs/git-dir.js';
import { lastTouches, logChanges, type LastTouch } from '../../vcs/git-log.js';
import { parseCommit } from '../../vcs/git-objects.js';
import { lookUpRef, peelToCommit, resolveCommit, snapshotBranches } from '../../vcs/git-refs.js';
import { walkTree, type TreeFileEntry } from '../../vcs/git-tree.js';
import { pathText } from '../../vcs/paths.js';
import { RepoMetadata, repoMetadataSchema } from '../../vcs/repo-metadata.js';
import { snapshotId } from '../../vcs/swhid.js';
import { badInput, contentIdSchema, excluded, oneLine } from '../common.js';
import { contiguousRange } from '../order.js';
import type { BadInputPolicy, InputFile, InputSlice, ReadItem, Reader } from '../types.js';

export const gitReaderOptionsSchema = z.strictObject({
  /** The ref (branch, tag, commit) read in every repository. */
  ref: z.string().min(1).default('HEAD'),
  /** When set, the newest commit on `ref` made before this date (any date `git log --before` takes). */
  date: z.string().min(1).optional(),
  /** History mode: every version of every file in the commits reachable from `ref` (and not from `from`). */
  history: z.boolean().default(false),
  /** History mode's lower end, exclusive (`from..ref`); default: the whole history. */
  from: z.string().min(1).optional(),
  /** Adds `last_commit`, `last_commit_time`, `last_author`: the newest commit that touched each file (one history walk per repository). */
  lastCommit: z.boolean().default(false),
  /** Larger files are excluded with reason `too_large` (The Stack v2: 10 MiB). */
  maxBytes: maxFileBytesSchema,
  /** Repository metadata joined by `repo` (see src/vcs/repo-metadata.ts). */
  metadata: repoMetadataSchema.optional(),
  /** Accepted for symmetry with the other readers; git records always carry their blob id (`swh:1:cnt:`). */
  contentId: contentIdSchema,
});
export type GitReaderOptions = z.input<typeof gitReaderOptionsSchema>;

const SNAPSHOT_COLUMNS: ColumnSpec[] = [...REPOSITORY_FILE_COLUMNS, { name: 'swh_rev', type: 'string' }, { name: 'swh_snp', type: 'string' }];
const LAST_COMMIT_COLUMNS: ColumnSpec[] = [
  { name: 'last_commit', type: 'string' },
  { name: 'last_commit_time', type: 'int64' },
  { name: 'last_author', type: 'string' },
];
const HISTORY_COLUMNS: ColumnSpec[] = [
  { name: 'commit', type: 'string' },
  { name: 'parent', type: 'string' },
  { name: 'author_time', type: 'int64' },
  { name: 'author', type: 'string' },
];

/** Blob requests in flight per repository: enough to keep cat-file streaming, bounded memory. */
const WINDOW = 256;
/** Repositories one cat-file process serves (its alternates list grows with them). */
const SHARED_REPOS = 64;

/** What every record of one repository shares. */
interface RepoContext {
  repo: FoundRepo;
  cat: CatFile;
  origin: string | null;
  snp: string;
}

/**
 * Files of git repositories: one repository (bare or with a work tree) or every repository
 * below a folder. Snapshot mode reads the tree of `ref` (or of the last commit before `date`);
 * history mode reads every added or changed file of every commit. Objects come from one
 * `git cat-file --batch` process per repository (measured faster than isomorphic-git: see
 * README, Version control). Submodules (`submodule`), symlinks (`symlink`) and Git LFS pointers
 * (`lfs_pointer`) are excluded with their reason, as are binary, non-UTF-8 and oversize files.
 */
export class GitReader implements Reader {
  readonly contentColumn = 'content';
  private readonly opts: z.output<typeof gitReaderOptionsSchema>;
  private readonly metadata: RepoMetadata | null;
  private repos = new Map<string, FoundRepo>();

  constructor(
    readonly root: string,
    options: GitReaderOptions = {},
  ) {
    this.opts = gitReaderOptionsSchema.parse(options);
    if (this.opts.from !== undefined && !this.opts.history) throw new InputError(root, '`from` is for history mode (history: true)');
    this.metadata = this.opts.metadata ? new RepoMetadata(this.opts.metadata) : null;
  }

  get columns(): ColumnSpec[] {
    const cols = [...SNAPSHOT_COLUMNS];
    if (this.opts.history) cols.push(...HISTORY_COLUMNS);
    else if (this.opts.lastCommit) cols.push(...LAST_COMMIT_COLUMNS);
    return this.metadata ? [...cols, ...this.metadata.columns] : cols;
  }

  /** One entry per repository, versioned by its git directory's stat; no process per repository. */
  async listFiles(): Promise<InputFile[]> {
    if (!statSync(this.root, { throwIfNoEntry: false })?.isDirectory()) throw new InputError(this.root, 'no such directory');
    await this.metadata?.load();
    const found = findRepos(this.root);
    if (found.length === 0) throw new InputError(this.root, 'no git repository here or below');
    return found.map((r) => {
      this.repos.set(r.name, r);
      // the git directory stands for the repository: the engine re-stats it before each task and
      // at release; a commit, checkout or fetch writes into it (index, logs, FETCH_HEAD, locks)
      const st = statSync(r.gitDir);
      return { path: r.name, absPath: r.gitDir, bytes: st.size, mtimeMs: st.mtimeMs };
    });
  }

  /** Whole repositories per rank, contiguous in name order. */
  slices(files: InputFile[], rank: number, worldSize: number): InputSlice[] {
    const [a, b] = contiguousRange(
      files.map(() => 1),
      rank,
      worldSize,
    );
    return files.slice(a, b).map((file) => ({ file }));
  }

  async *read(slices: InputSlice[], policy: BadInputPolicy): AsyncIterable<ReadItem> {
    for await (const chunk of this.readChunks(slices, policy)) yield* chunk;
  }

  /**
   * Repositories are read `SHARED_REPOS` at a time through one cat-file process that sees all
   * their objects (see CatFile's alternates); a repository whose read fails is one exclusion
   * (`unreadable`), and the next ones get a fresh process.
   */
  async *readChunks(slices: InputSlice[], policy: BadInputPolicy): AsyncIterable<ReadItem[]> {
    await this.metadata?.load();
    const repos = slices.map((s) => this.repos.get(s.file.path) ?? { name: s.file.path, dir: s.file.absPath, gitDir: s.file.absPath });
    let cat: CatFile | null = null;
    let served = 0;
    try {
      for (let i = 0; i < repos.length; i++) {
        const repo = repos[i];
        if (!cat || cat.broken || served === SHARED_REPOS) {
          cat?.close();
          const group = repos.slice(i, i + SHARED_REPOS);
          cat = new CatFile(
            group[0].gitDir,
            group.slice(1).map((r) => path.join(commonDir(r.gitDir), 'objects')),
          );
          served = 0;
        }
        served++;
        let started = false;
        try {
          for await (const chunk of this.readRepo(repo, cat)) {
            started = true;
            yield chunk;
          }
        } catch (err) {
          let failure = err;
          // a process shared with other repositories may have died of one of them: read this
          // one again on its own before calling it unreadable (unless part of it went out already)
          if (cat.broken && !started && served > 1) {
            const own = new CatFile(repo.gitDir);
            try {
              const chunks: ReadItem[][] = [];
              for await (const chunk of this.readRepo(repo, own)) chunks.push(chunk);
              yield* chunks;
              continue;
            } catch (again) {
              failure = again;
            } finally {
              own.close();
            }
          }
          yield [badInput(policy, repo.name, null, 'unreadable', `repository unreadable: ${oneLine(failure)}`, repo.name, 0)];
        }
      }
    } finally {
      cat?.close();
    }
  }

  private async *readRepo(repo: FoundRepo, cat: CatFile): AsyncIterable<ReadItem[]> {
    const commit = await this.commitOf(repo, cat);
    const ctx: RepoContext = { repo, cat, origin: remoteUrl(repo.gitDir), snp: snapshotId(await snapshotBranches(repo.gitDir, cat)) };
    yield* this.opts.history ? this.readHistory(ctx, commit.sha) : this.readSnapshot(ctx, commit);
  }

  /** The commit read: `ref` looked up in the repository's files (git asked only for expressions like `HEAD~2`, or a date). */
  private async commitOf(repo: FoundRepo, cat: CatFile): Promise<{ sha: string; content: Buffer }> {
    const { ref, date } = this.opts;
    const sha = date === undefined ? (lookUpRef(repo.gitDir, ref) ?? resolveCommit(repo.gitDir, ref)) : resolveCommit(repo.gitDir, ref, date);
    return peelToCommit(cat, sha);
  }

  private async *readSnapshot(ctx: RepoContext, head: { sha: string; content: Buffer }): AsyncIterable<ReadItem[]> {
    const commit = parseCommit(head.content);
    const entries = await walkTree(ctx.cat, commit.tree);
    const touched = this.opts.lastCommit ? lastTouches(ctx.repo.gitDir, head.sha) : null;
    const shared = { swh_dir: `swh:1:dir:${commit.tree}`, swh_rev: `swh:1:rev:${head.sha}` };
    for (let i = 0; i < entries.length; i += WINDOW) {
      const window = entries.slice(i, i + WINDOW);
      yield await this.readWindow(ctx, window, i, (e, path) => {
        const fields: DataRecord = { id: `${ctx.repo.name}/${path}`, ...shared };
        if (touched) {
          const t: LastTouch | undefined = touched.get(e.path.toString('latin1'));
          fields.last_commit = t?.commit ?? null;
          fields.last_commit_time = t?.authorTime ?? null;
          fields.last_author = t?.author ?? null;
        }
        return fields;
      });
    }
  }

  /** Every added or changed file of every commit of `from..rev` (or all of rev's history), oldest first. */
  private async *readHistory(ctx: RepoContext, rev: string): AsyncIterable<ReadItem[]> {
    const commits = logChanges(ctx.repo.gitDir, [this.opts.from !== undefined ? `${this.opts.from}..${rev}` : rev], { reverse: true });
    const trees = await Promise.all(commits.map((c) => ctx.cat.get(c.sha)));
    type Version = TreeFileEntry & { commit: number };
    const versions: Version[] = [];
    commits.forEach((c, ci) => {
      for (const ch of c.changes) if (ch.status !== 'D') versions.push({ path: ch.path, mode: ch.mode, sha: ch.sha, commit: ci });
    });
    for (let i = 0; i < versions.length; i += WINDOW) {
      yield await this.readWindow(ctx, versions.slice(i, i + WINDOW), i, (v, path) => {
        const c = commits[(v as Version).commit];
        const tree = trees[(v as Version).commit];
        return {
          id: `${ctx.repo.name}/${path}@${c.sha}`,
          swh_dir: tree ? `swh:1:dir:${parseCommit(tree.content).tree}` : null,
          swh_rev: `swh:1:rev:${c.sha}`,
          commit: c.sha,
          parent: c.parents[0] ?? null,
          author_time: c.authorTime,
          author: c.author,
        };
      });
    }
  }

  /**
   * The blobs of one window of entries, fetched together, as records or exclusions in entry
   * order. `source` is the repository and `source_row` the entry's position in its listing
   * (`first` + j): dedup addresses removals by (source, source_row), so each file needs its own.
   */
  private async readWindow(ctx: RepoContext, window: TreeFileEntry[], first: number, fieldsOf: (e: TreeFileEntry, path: string) => DataRecord): Promise<ReadItem[]> {
    const regular = (e: TreeFileEntry) => e.mode === '100644' || e.mode === '100755' || e.mode === '100664';
    const blobs = await Promise.all(window.map((e) => (regular(e) ? ctx.cat.get(e.sha) : null)));
    const items: ReadItem[] = [];
    const repo = ctx.repo.name;
    for (let j = 0; j < window.length; j++) {
      const e = window[j];
      const path = pathText(e.path);
      const fields = fieldsOf(e, path);
      const id = fields.id;
      const row = first + j;
      if (e.mode === '160000') items.push(excluded(id, repo, row, 'submodule', 0, `submodule at commit ${e.sha}`));
      else if (e.mode === '120000') items.push(excluded(id, repo, row, 'symlink', 0, 'symlink (not followed)'));
      else if (!regular(e)) items.push(excluded(id, repo, row, 'special_file', 0, `tree entry with mode ${e.mode}`));
      else if (!blobs[j]) items.push(excluded(id, repo, row, 'missing_blob', 0, `blob ${e.sha} is missing from the repository`));
      else {
        const record: DataRecord = { ...fields, source: repo, source_row: row, content_id: `swh:1:cnt:${e.sha}`, repo, path, origin: ctx.origin, swh_snp: ctx.snp };
        const item = fileItem(blobs[j]!.content, id, repo, row, this.opts.maxBytes, record);
        if (item.record) this.metadata?.apply(item.record, repo);
        items.push(item);
      }
    }
    return items;
  }
}
