import { readFileSync } from 'node:fs';
import { maxFileBytesSchema, REPOSITORY_FILE_COLUMNS } from './vcs-common.js';
import { z } from 'zod';
import { InputError } from '../../core/errors.js';
import type { ColumnSpec, DataRecord } from '../../core/record.js';
import { fileItem } from '../../vcs/file-item.js';
import { hasCli } from '../../vcs/git-run.js';
import { exportRevision, findExportRepos, type ExportVcs } from '../../vcs/hg-svn.js';
import { pathText } from '../../vcs/paths.js';
import { RepoMetadata, repoMetadataSchema } from '../../vcs/repo-metadata.js';
import { badInput, contentIdSchema, excluded, oneLine } from '../common.js';
import { contiguousRange } from '../order.js';
import type { BadInputPolicy, InputFile, InputSlice, ReadItem, Reader } from '../types.js';

export const vcsExportReaderOptionsSchema = z.strictObject({
  /** Revision read in every repository (default: hg `tip`, svn `HEAD`). */
  revision: z.string().min(1).optional(),
  maxBytes: maxFileBytesSchema,
  metadata: repoMetadataSchema.optional(),
  /** Accepted for symmetry; records always carry `swh:1:cnt:` ids. */
  contentId: contentIdSchema,
});
export type VcsExportReaderOptions = z.input<typeof vcsExportReaderOptionsSchema>;

const COLUMNS: ColumnSpec[] = [...REPOSITORY_FILE_COLUMNS, { name: 'revision', type: 'string' }];

const CLI: Record<ExportVcs, string> = { hg: 'hg', svn: 'svn' };

/**
 * Files of Mercurial (`type: hg`) or Subversion (`type: svn`) repositories at a revision, one
 * repository or every one directly below a folder, through the tools' own CLIs (see
 * src/vcs/hg-svn.ts). `revision` is the tool's own id; `swh_dir` is computed from the tree.
 */
export class VcsExportReader implements Reader {
  readonly contentColumn = 'content';
  private readonly opts: z.output<typeof vcsExportReaderOptionsSchema>;
  private readonly metadata: RepoMetadata | null;

  constructor(
    readonly vcs: ExportVcs,
    readonly root: string,
    options: VcsExportReaderOptions = {},
  ) {
    this.opts = vcsExportReaderOptionsSchema.parse(options);
    this.metadata = this.opts.metadata ? new RepoMetadata(this.opts.metadata) : null;
  }

  get columns(): ColumnSpec[] {
    return this.metadata ? [...COLUMNS, ...this.metadata.columns] : COLUMNS;
  }

  async listFiles(): Promise<InputFile[]> {
    if (!hasCli(CLI[this.vcs])) throw new InputError(this.root, `the ${CLI[this.vcs]} command is not installed (Debian: apt-get install ${this.vcs === 'hg' ? 'mercurial' : 'subversion'})`);
    await this.metadata?.load();
    let found;
    try {
      found = findExportRepos(this.vcs, this.root);
    } catch (err) {
      throw new InputError(this.root, oneLine(err));
    }
    if (found.length === 0) throw new InputError(this.root, `no ${this.vcs} repository here or directly below`);
    return found.map((r) => ({ path: r.name, absPath: r.dir, bytes: 0, mtimeMs: 0 }));
  }

  slices(files: InputFile[], rank: number, worldSize: number): InputSlice[] {
    const [a, b] = contiguousRange(
      files.map(() => 1),
      rank,
      worldSize,
    );
    return files.slice(a, b).map((file) => ({ file }));
  }

  async *read(slices: InputSlice[], policy: BadInputPolicy): AsyncIterable<ReadItem> {
    await this.metadata?.load();
    for (const slice of slices) {
      const repo = slice.file.path;
      let exported;
      try {
        exported = exportRevision(this.vcs, slice.file.absPath, this.opts.revision);
      } catch (err) {
        yield badInput(policy, repo, null, 'unreadable', `repository unreadable: ${oneLine(err)}`, repo, 0);
        continue;
      }
      try {
        // source_row: the file's position in the revision's sorted listing (dedup addresses removals by source and row)
        for (const [row, f] of exported.files.entries()) {
          const path = pathText(f.path);
          const id = `${repo}/${path}`;
          if (f.mode === '120000') {
            yield excluded(id, repo, row, 'symlink', 0, 'symlink (not followed)');
            continue;
          }
          const fields: DataRecord = {
            id,
            source: repo,
            source_row: row,
            content_id: `swh:1:cnt:${f.sha}`,
            repo,
            path,
            origin: exported.origin,
            swh_dir: exported.swhDir,
            revision: exported.revision,
          };
          const item = fileItem(readFileSync(f.abs), id, repo, row, this.opts.maxBytes, fields);
          if (item.record) this.metadata?.apply(item.record, repo);
          yield item;
        }
      } finally {
        exported.dispose();
      }
    }
  }
}
